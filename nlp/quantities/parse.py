"""Reading one quantity expression: ``parse_quantity("more than a quarter of a million")``.

Pure functions on strings; no spaCy. ``parse_quantity`` takes the whole span a scanner found
(cue included) and returns its value in the unit's base, the top of a range, the unit and the
approximation class, or ``None`` when the string is not a quantity after all.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon, load_lexicon
from .patterns import Patterns, compiled

_SPLIT_WORDS = re.compile(r"[\s-]+")

_AGE_GROUP = re.compile(r"\d\ds")  # (the under) 18s
_AND_A_HALF = re.compile(r"[\s-]+and[\s-]+a[\s-]+half\b", re.IGNORECASE)  # one and a half (million), three-and-a-half


@dataclass(frozen=True, slots=True)
class Parsed:
    value: float
    value_high: float | None
    unit: str
    approx: str


def parse_words(text: str, lexicon: Lexicon | None = None) -> float | None:
    """``thirty eight`` -> 38, ``two hundred and fifty thousand`` -> 250000, ``a dozen`` -> 12."""
    lex = lexicon or load_lexicon()
    total, current, seen = 0, 0, False
    for word in _SPLIT_WORDS.split(text.lower().strip()):
        if word in ("", "and"):
            continue
        if word in ("a", "an"):
            current, seen = max(current, 1), True
        elif word in lex.number_words:
            current += lex.number_words[word]
            seen = True
        elif word == "hundred" or word == "dozen":
            current = max(current, 1) * lex.scale_words[word]
            seen = True
        elif word in lex.scale_words:
            total += max(current, 1) * lex.scale_words[word]
            current, seen = 0, True
        else:
            return None
    return float(total + current) if seen else None


def parse_number(text: str, lexicon: Lexicon | None = None) -> tuple[float, str | None] | None:
    """One number with its currency and scale: ``£1.2bn`` -> (1.2e9, 'gbp'); ``twelve`` -> (12, None)."""
    lex = lexicon or load_lexicon()
    if half := _AND_A_HALF.search(text):
        base = parse_number(text[:half.start()], lex)
        scale = text[half.end():].strip().lower()
        factor = lex.scale_words.get(scale) if scale else 1
        return None if base is None or factor is None else ((base[0] + 0.5) * factor, base[1])
    m = compiled().number.fullmatch(text.strip())
    if m is None:
        return None
    cur = m.group("cur")
    currency = lex.currencies.get(cur.upper() if cur.isalpha() else cur) if cur else None
    if m.group("dig") is not None:
        digits = m.group("dig").replace(",", "")
        if not digits or digits == ".":
            return None
        value = float(digits)
        scale = (m.group("scale") or "").lower()
        if scale:
            factor = lex.scale_words.get(scale) or lex.scale_suffixes.get(scale)
            if factor is None:
                return None
            value *= factor
        return value, currency
    value = parse_words(m.group("words"), lex)
    return None if value is None else (value, currency)


def split_cue(span: str, patterns: Patterns | None = None,
              lexicon: Lexicon | None = None) -> tuple[str, str]:
    """('more_than', 'a quarter of a million') from 'More than a quarter of a million';
    ('at_most', '12 months') from '12 months or less'."""
    lex = lexicon or load_lexicon()
    p = patterns or compiled()
    if m := p.suffix_cue.search(span):  # 12 months or less, 18 years old or over
        return lex.suffix_cues.get(_normal(m.group(0)).removeprefix("old "), "exact"), span[:m.start()]
    if m := p.cue.match(span):  # more than 50
        return lex.cues.get(_normal(m.group(0)), "about"), span[m.end():]
    return "exact", span


def _fraction_value(m: re.Match, lex: Lexicon) -> float:
    num = m.group("num")
    count = 1.0 if not num or num.lower() in ("a", "an") else parse_words(num, lex)
    return (count or 1.0) * lex.fractions[m.group("den").lower()]


def _special(body: str, p: Patterns, lex: Lexicon) -> tuple[float, float | None, str] | None:
    """Ratios, proportions, fractions and 'a year': (value, value_high, unit) or None."""
    if m := p.a_unit.fullmatch(body):
        unit, mult = lex.durations[m.group("unit").lower()]
        return float(mult), None, unit
    if _AGE_GROUP.fullmatch(body):  # (the under) 18s: an age group
        return float(body[:2]), None, "years"
    if m := p.half_unit.fullmatch(body):  # half an hour
        unit, mult = lex.durations[m.group("unit").lower()]
        return 0.5 * mult, None, unit
    if m := p.ratio.fullmatch(body):
        left, right = (50.0 if n.lower() == "fifty" else float(n) for n in (m.group("a"), m.group("b")))
        if m.group("sep") != ":" and left + right != 100:  # 70/30 is a split; 3/4 and 24/7 are not
            return None
        if m.group("sep") in "-–" and left != right:  # 50-50; 20-80 is a range
            return None
        return (round(left / right, 4), None, "ratio") if right else None
    if m := p.multiple.fullmatch(body):  # three times (that of), twice (as high)
        word = m.group("word")
        times = lex.multiple_words[word.lower()] if word else parse_number(m.group("num"), lex)
        times = times[0] if isinstance(times, tuple) else times
        return (float(times), None, "ratio") if times else None
    if p.fraction_verb.fullmatch(body):  # halved
        return float(lex.fraction_verbs[body.lower()]), None, "fraction"
    if m := p.frac_of_scale.fullmatch(body):
        scale = lex.scale_words.get(m.group("scale").lower())
        frac = p.fraction.fullmatch(m.group("frac"))
        if scale and frac:
            unit = lex.money_words[m.group("money").lower()] if m.group("money") else "count"
            return round(_fraction_value(frac, lex) * scale, 4), None, unit
    if m := p.fraction.fullmatch(body):
        return round(_fraction_value(m, lex), 4), None, "fraction"
    if m := p.couple.fullmatch(body):  # a couple (of years)
        unit, mult = lex.durations[m.group("unit").lower()] if m.group("unit") else ("count", 1)
        return 2.0 * mult, None, unit
    if (m := p.vague.fullmatch(body)) and (value := _vague_value(m, lex)):  # tens of thousands
        return value, None, "gbp" if m.group("money") else "count"
    if m := p.out_of.fullmatch(body):
        a, b = parse_number(m.group("a"), lex), parse_number(m.group("b"), lex)
        if m.group("of") and (not a or not b or a[0] == 1):
            return None  # only one of the 31: counts (a whole the pages cite as a count: scan.py)
        if a and b and b[0] > 0 and a[0] <= b[0]:
            return round(a[0] / b[0], 4), None, "fraction"
        return None
    return None


def _vague_value(m: re.Match, lex: Lexicon) -> float | None:
    if m.group("scale"):
        return lex.vague_scales.get(m.group("scale").lower())
    mult = lex.vague_multipliers.get(m.group("mult").lower())
    obj = lex.vague_objects.get(m.group("obj").lower())
    return float(mult * obj) if mult and obj else None


_VAGUE_APPROX = "at_least"  # 'thousands of offenders': at least a thousand


def _bare_digits(text: str) -> float | None:
    """The number written in ``text`` before any scale word: '10bn' -> 10, '£9.5' -> 9.5, else None."""
    m = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    return float(m.group(0).replace(",", "")) if m else None


def _share_scale(low: float, a: str, high: float, b: str) -> float:
    """'£7-10bn', 'between 9.5 and 13 billion': the scale written once, on the top, applies to both."""
    bare_a, bare_b = _bare_digits(a), _bare_digits(b)
    if bare_a is None or not bare_b or low != bare_a or high == bare_b:
        return low
    factor = high / bare_b
    return low * factor if low * factor < high else low


@lru_cache(maxsize=4)
def _other_units(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_normal(w) for w in words)


@lru_cache(maxsize=4)
def _percent_words(words: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_normal(w) for w in words)


def _normal(phrase: str) -> str:
    return " ".join(w for w in _SPLIT_WORDS.split(phrase.lower()) if w)


def _unit_of(suffix: str | None, currency: str | None, lex: Lexicon) -> tuple[str, float]:
    if suffix:
        word = _normal(suffix)
        if word in _percent_words(lex.percent_words):
            return "percent", 1.0
        if word in lex.money_words:
            return lex.money_words[word], 1.0
        if word in _other_units(lex.other_units):
            return "other", 1.0
        last = word.split()[-1]
        if last in lex.durations:
            unit, mult = lex.durations[last]
            return unit, float(mult)
    return (currency or "count"), 1.0


def parse_quantity(span: str, lexicon: Lexicon | None = None) -> Parsed | None:
    """Value, top of range, unit and approximation class of one quantity expression."""
    lex = lexicon or load_lexicon()
    p = compiled()
    span = span.strip()
    sign = 1.0
    if m := p.sign.match(span):  # (-17): a fall
        sign, span = -1.0, span[m.end():]
    approx, body = split_cue(span, p, lex)
    body = body.strip()
    special = _special(body, p, lex)
    if special is not None:
        value, high, unit = special
        if approx == "exact" and p.vague.fullmatch(body):
            approx = _VAGUE_APPROX
        elif approx == "exact" and p.couple.fullmatch(body):
            approx = "about"  # a couple
        return Parsed(sign * value, high, unit, approx)
    parsed = _generic(body, p, lex)
    if parsed is None:
        return None
    value, value_high, unit = parsed
    if sign < 0:
        value, value_high = -value, None if value_high is None else -value_high
        value, value_high = (value_high, value) if value_high is not None else (value, None)
    return Parsed(value, value_high, unit, approx)


def _generic(body: str, p: Patterns, lex: Lexicon) -> tuple[float, float | None, str] | None:
    """[between] number [sep number] [unit]: (value, value_high, unit) or None."""
    m = p.generic.fullmatch(body)
    if m is None:
        return None
    low = parse_number(m.group("a"), lex)
    high = parse_number(m.group("b"), lex) if m.group("b") else None
    if low is None or (m.group("b") and high is None):
        return None
    if m.group("unit_a") and _normal(m.group("unit_a")) != _normal(m.group("unit") or ""):
        return None  # 20% to 30 years
    currency = low[1] or (high[1] if high else None)
    unit, mult = ("years", 1.0) if m.group("ages") else _unit_of(m.group("unit"), currency, lex)
    value = low[0] * mult
    value_high = high[0] * mult if high else None
    if value_high is not None:
        value = _share_scale(value, m.group("a"), value_high, m.group("b"))
        if value_high < value and m.group("between"):  # between 51% and 32%: the range either way
            value, value_high = value_high, value
        if value_high <= value:
            return None
    if not math.isfinite(value) or (value_high is not None and not math.isfinite(value_high)):
        return None
    return value, value_high, unit
