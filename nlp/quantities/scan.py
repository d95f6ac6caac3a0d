"""Finding quantity mentions in a text: ``find_quantities(text)`` (pure, no spaCy).

A candidate pattern proposes spans; ``parse_quantity`` reads each; spans that touch something that
is not an amount (a year or date used as time, a time of day, a phone number, a section or series
number, list numbering, a URL, ``one`` in ``one of the``) are dropped. When a long candidate fails,
the plain number at its start is tried before moving on. Mentions never overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon, alternation, load_lexicon
from .parse import parse_quantity
from .patterns import Scanner, compiled

_COMPOUND = re.compile(r"(?i:(?<=\bone)-[a-z])")  # one-off, one-stop, one-sided: not a count


@dataclass(frozen=True, slots=True)
class Found:
    """A quantity mention: character offsets into the text and its normalised reading."""

    start: int
    end: int
    value: float
    value_high: float | None
    unit: str
    approx: str


def _exclusion_source(lex: Lexicon) -> str:
    month = alternation(lex.months) + r"\.?"
    months = "(?-i:" + month + ")"
    ordinal = r"(?:st|nd|rd|th)?"
    year = r"(?:1[89]\d\d|20\d\d)"
    simple = compiled(None).simple_words
    ref = rf"(?:\d+(?:\.\d+)*[a-z]?\b|{simple})"
    parts = [
        r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # URLs, e-mail addresses
        rf"(?<!\w)\d{{1,2}}{ordinal}(?:\s+of)?\s+{month}(?:,?\s+{year})?",  # 1 April, 4 December 2020
        rf"{months}\s+\d{{1,2}}(?:st|nd|rd|th|,?\s+{year})(?!\w)",  # December 4th, March 28, 2019
        r"(?<![\w/])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\w/])|(?<!\w)\d{4}-\d\d-\d\d(?!\w)",  # numeric dates
        rf"(?<![\w£$€.,]){year}(?:\s*[/–-]\s*(?:{year}|\d\d)(?!\d))?"  # a year or year range ...
        rf"(?![\w%]|[.,]\d|\s*(?:{alternation(lex.percent_words)}|{alternation(lex.scale_words)}))",
        r"(?<![\d:.])(?:[01]?\d|2[0-4])[:.][0-5]\d\s*(?:am|pm)\b|(?<![\d:.])(?:[01]?\d|2[0-4]):[0-5]\d(?![\d:])",
        r"(?<!\w)\d{1,2}\s?(?:am|pm)\b",  # times of day
        r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?\d{2,4}|\(?0\d{2,4}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)",  # phones
        rf"(?<![\w.]){alternation(lex.reference_words)}\s*{ref}(?:\s*(?:[-–,]|and|to)\s*{ref})*",  # section 2.39
        r"(?<![\w.,])\d{1,3}\.(?=(?-i:[A-Z]))",  # 57.The Dynamic Framework (paragraph numbers)
        r"(?<![\w.])\d+\.\d+\.\d+(?:\.\d+)*",  # 2.3.1
        r"(?m:^[ \t]*\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-z])[.)](?=\s))",  # list numbering 1. 2) a)
        r"(?m:^[ \t]*\d+\.\d+(?=[ \t]+(?-i:[A-Z])))",  # a numbered section heading: 2.39 Changes in risk
        rf"(?m:^[ \t]*\d{{1,2}}(?=[ \t]+(?-i:{alternation(lex.heading_starts)})))",  # 4 The creation of
        r"(?<!\w)\(\d{1,2}\)|\[\d+\]",  # (2), [12]
        r"(?m:(?<=[A-Za-z] )\d{1,4}(?=[ \t]*(?:$|:(?!\d)|[–—])))",  # Early implementation 4 / title numbers
        rf"(?<!\w)(?:{alternation(lex.one_before)})[\s-]+one\b",  # no one, any one
        rf"\bone(?=\s+{alternation(lex.one_after)})",  # one of the, one another
        rf"(?<!\w)(?:{alternation(lex.half_before)})\s+half\b",  # the first half of the year
        r"\bone[\s-]+to[\s-]+one\b|\bone-off\b|\bcovid[\s-]?19\b",
    ]
    # every exclusion starts at a word start: the look-behind rejects most positions at once
    return r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in parts) + ")"


@lru_cache(maxsize=4)
def _exclusions(path: str | None = None) -> re.Pattern:
    return re.compile(_exclusion_source(load_lexicon(path)), re.IGNORECASE)


def warm_up() -> None:
    """Compile every pattern (they are cached), so the first document is not slower."""
    compiled()
    _exclusions()
    find_quantities("about 5 per cent in 2019")


def exclusion_spans(text: str) -> list[tuple[int, int]]:  # for inspection and tests
    """Spans of the text that hold numbers which are not amounts (sorted, by start)."""
    return [m.span() for m in _exclusions().finditer(text) if m.end() > m.start()]


_LOOKBACK = 40  # chars before an anchor where its quantity may start (cue + 'a quarter of')
_WINDOW = 48  # chars after an anchor searched first (a longer quantity is then read whole)
_CONTEXT = 32  # chars around a mention searched for exclusions


def _blocked(text: str, start: int, end: int) -> bool:
    """True when [start, end) overlaps a stretch holding a number that is not an amount."""
    lo, hi = max(0, start - _CONTEXT), min(len(text), end + _CONTEXT)
    for m in _exclusions().finditer(text, lo, hi):
        if m.start() >= end:
            return False
        if m.end() > start and m.end() > m.start():
            return True
    return False


def _read(text: str, start: int, end: int) -> Found | None:
    if _COMPOUND.match(text, end):
        return None
    parsed = parse_quantity(text[start:end])
    if parsed is None or _blocked(text, start, end):
        return None
    return Found(start, end, parsed.value, parsed.value_high, parsed.unit, parsed.approx)


def _search(pattern: re.Pattern, text: str, lo: int, anchor_end: int) -> re.Match | None:
    endpos = min(len(text), anchor_end + _WINDOW)
    m = pattern.search(text, lo, endpos)
    if m is not None and m.end() >= endpos and endpos < len(text):
        m = pattern.match(text, m.start())  # the window cut it short: read it whole
    return m


def _at(text: str, scanned: str, m: re.Match, scanner: Scanner) -> Found | None:
    """The quantity a candidate match gives, or the plain number at its start, or None."""
    hit = _read(text, m.start(), m.end())
    if hit is None:
        fallback = scanner.simple.match(scanned, m.start())
        if fallback is not None and fallback.end() < m.end():
            hit = _read(text, fallback.start(), fallback.end())
    return hit


def find_quantities(text: str) -> list[Found]:
    """Every quantity mention in ``text``, sorted by start, never overlapping.

    Only the neighbourhood of an anchor (a digit, a currency sign, a number or fraction word) is
    searched with the full candidate pattern, so most of the text is skipped in one fast pass.
    """
    scanned = text.lower()
    scanner = compiled().lower
    if len(scanned) != len(text):  # a few characters change length in lower case
        scanned, scanner = text, compiled().cased
    found: list[Found] = []
    pos = 0
    for anchor in scanner.anchor.finditer(scanned):
        if anchor.end() <= pos:
            continue
        lo = max(pos, anchor.start() - _LOOKBACK)
        while lo <= anchor.start():
            m = _search(scanner.candidate, scanned, lo, anchor.end())
            if m is None or m.start() > anchor.start():
                break  # nothing here, or a later anchor's quantity
            hit = _at(text, scanned, m, scanner)
            if hit is not None:
                found.append(hit)
                pos = hit.end
                break
            lo = m.start() + 1
    return found
