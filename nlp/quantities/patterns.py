"""Compiled regular expressions for number expressions, built once from the lexicon.

Fragments (all matched case-insensitively unless noted):

- ``simple``: a number word up to 99 (``thirty eight``, ``forty-two``, ``twelve``);
- ``wordnum``: number words with scales (``two hundred and fifty``, ``a dozen``, ``a million``);
- ``dig``: digits (``258,157``, ``2.5``), never inside a word, code or a longer number
  (``Q3``, ``COVID-19``, ``m4469``, ``08:12``);
- ``cue``: an approximation cue (``more than``, ``nearly``, ``up to``);
- ``candidate``: any quantity expression, cue included: money, fractions of a scale, proportions
  (``one in nine``, ``eight out of ten``), fractions, ratios, ranges, percentages and durations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon, alternation, load_lexicon, trie_alternation

I = re.IGNORECASE


@dataclass(frozen=True)
class Scanner:
    """The three patterns a scan runs, for lower-cased text (fast) or as written (case-insensitive)."""

    anchor: re.Pattern  # a digit, £, a number or fraction word, 'a year': every quantity has one
    candidate: re.Pattern  # a whole quantity expression, cue included
    simple: re.Pattern  # cue + one number, no unit (fallback at a rejected candidate's start)


@dataclass(frozen=True)
class Patterns:
    lower: Scanner  # for text.lower() (when it keeps the length)
    cased: Scanner  # for any text
    cue: re.Pattern  # a cue at the start of a span, with the white space after it
    suffix_cue: re.Pattern  # a cue at the end of a span, with the white space before it
    a_unit: re.Pattern  # 'a year' (after a cue)
    ratio: re.Pattern
    out_of: re.Pattern  # x out of y, x in y
    frac_of_scale: re.Pattern  # a quarter of a million
    fraction: re.Pattern  # two-thirds, a third, half
    generic: re.Pattern  # [between] number [sep number] [unit]
    number: re.Pattern  # [currency] digits|words [scale]
    simple_words: str  # the raw fragment for a number word up to 99, for the exclusion patterns


def _fragments(lex: Lexicon) -> dict[str, str]:
    f: dict[str, str] = {}
    f["units"] = alternation(lex.units)
    tens, teens = alternation(lex.tens), alternation(lex.teens)
    f["simple"] = rf"(?<![\w-])(?:{tens}(?:[\s-]+{f['units']})?|{teens}|{f['units']})"
    f["scalew"] = alternation(lex.scale_words)
    big = alternation(w for w in lex.scale_words if w != "hundred")
    group = rf"{f['simple']}(?:[\s-]+hundred\b(?:(?:\s+and\s+|[\s-]+){f['simple']})?)?"
    f["wordnum"] = (rf"(?<![\w-])(?:{group}|an?(?=\s+{f['scalew']}))"
                    rf"(?:[\s-]+{f['scalew']}(?:(?:\s+and\s+|[\s-]+){group})?)*")
    f["dig"] = r"(?<![\w./])(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)(?!\.\d)(?!,\d\d\d)"
    f["num"] = rf"(?:{f['dig']}|{f['wordnum']})"
    f["numscale"] = rf"{f['num']}(?:\s+and\s+a\s+half\b)?(?:\s+{big})?(?!\w)"
    f["cur"] = alternation(lex.currencies, bound=False)
    f["cur_lower"] = alternation([c.lower() for c in lex.currencies], bound=False)
    f["suffix"] = alternation(lex.scale_suffixes)
    f["money"] = rf"{f['cur']}\s?{f['dig']}(?:\s?{f['suffix']}|\s+{big})?(?!\w)"
    f["cue"] = rf"(?<![\w.]){alternation(lex.cues)}"
    f["suffix_cue"] = alternation(lex.suffix_cues)
    f["fracw"] = alternation(lex.fractions)
    f["fraction"] = rf"(?:(?:(?<![\w-])an?|{f['simple']})[\s-]+{f['fracw']}|(?<![\w-])half\b)(?!-\w)"
    small = rf"(?:{f['simple']}|(?<![\w.])\d{{1,3}}(?![\d,.]\d?))"
    f["out_of"] = rf"{small}\s+(?:out\s+of|in)\s+{small}(?!\w)"
    f["frac_of_scale"] = rf"{f['fraction']}\s+(?:of\s+)?an?\s+{big}"
    f["ratio"] = r"(?<![\d:.])\d{1,3}:\d{1,3}(?![\d:])"
    f["sep"] = r"(?:\s*[-–—]\s*|\s+to\s+)"
    f["pct"] = alternation(lex.percent_words)
    dur = alternation(lex.durations)
    f["dur"] = dur
    f["unit_suffix"] = (rf"(?:\s*{f['pct']}|[\s-]+(?:{alternation(lex.duration_adjectives)}\s+)?{dur}"
                        rf"|\s+{alternation(lex.money_words)})")
    singular = alternation(w for w, (_u, _m) in lex.durations.items() if not w.endswith("s"))
    f["a_unit"] = rf"an?\s+{singular}"
    words = [*lex.number_words, *lex.scale_words, *lex.fractions]
    singles = trie_alternation(w for w in lex.durations if not w.endswith("s"))
    f["anchor"] = rf"\d+|{f['cur_lower']}|\b(?:{trie_alternation(words)}|an?\s+{singles})\b"
    return f


def _candidate(f: dict[str, str]) -> str:
    money_range = (rf"between\s+{f['money']}\s+and\s+(?:{f['money']}|{f['numscale']})"
                   rf"|{f['money']}(?:{f['sep']}(?:{f['money']}|{f['numscale']}))?")
    plain = (rf"(?:between\s+{f['numscale']}\s+and\s+{f['numscale']}"
             rf"|{f['numscale']}(?:{f['sep']}{f['numscale']})?)(?:{f['unit_suffix']})?")
    body = "|".join([money_range, f["frac_of_scale"], f["out_of"], f["fraction"], f["ratio"], plain])
    # every quantity starts at a word start: the look-behind rejects most positions at once
    return (rf"(?<!\w)(?:{f['cue']}\s+{f['a_unit']}|(?:{f['cue']}\s+)?(?:{body})(?:\s+{f['suffix_cue']})?)"
            r"(?!\w)")


@lru_cache(maxsize=4)
def compiled(path: str | None = None) -> Patterns:
    """The compiled patterns for a lexicon file (ours by default)."""
    f = _fragments(load_lexicon(path))
    num_or_money = rf"(?:{f['cur']}\s?)?(?:{f['numscale']}|{f['dig']}(?:\s?{f['suffix']})?)"
    generic = (rf"(?:between\s+)?(?P<a>{num_or_money})(?:(?:{f['sep']}|\s+and\s+)(?P<b>{num_or_money}))?"
               rf"(?P<unit>{f['unit_suffix']})?")
    simple = rf"(?:{f['cue']}\s+)?(?:{f['money']}|{f['numscale']})"
    lower = {**f, "cur": f["cur_lower"]}
    lower["money"] = f["money"].replace(f["cur"], f["cur_lower"])
    lower_simple = simple.replace(f["cur"], f["cur_lower"])
    return Patterns(
        lower=Scanner(re.compile(f["anchor"]), re.compile(_candidate(lower)), re.compile(lower_simple)),
        cased=Scanner(re.compile(f["anchor"], I), re.compile(_candidate(f), I), re.compile(simple, I)),
        cue=re.compile(rf"{f['cue']}\s+", I),
        suffix_cue=re.compile(rf"\s+{f['suffix_cue']}$", I),
        a_unit=re.compile(rf"an?\s+(?P<unit>{f['dur']})", I),
        ratio=re.compile(r"(?P<a>\d{1,3}):(?P<b>\d{1,3})"),
        out_of=re.compile(rf"(?P<a>.+?)\s+(?:out\s+of|in)\s+(?P<b>.+)", I),
        frac_of_scale=re.compile(rf"(?P<frac>{f['fraction']})\s+(?:of\s+)?an?\s+(?P<scale>\w+)", I),
        fraction=re.compile(rf"(?:(?P<num>an?|{f['simple']})[\s-]+)?(?P<den>{f['fracw']})", I),
        generic=re.compile(generic, I),
        number=re.compile(rf"(?P<cur>{f['cur']})?\s?(?:(?P<dig>[\d,]+(?:\.\d+)?)\s?(?P<scale>[a-z]+)?|(?P<words>.+))", I),
        simple_words=f["simple"],
    )
