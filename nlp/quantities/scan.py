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
from .tables import table_units

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


_YEAR = r"(?:1[89]\d\d|20\d\d)"


def _date_parts(lex: Lexicon) -> list[str]:
    """Dates and times used as time, and page stamps made of them."""
    month = alternation(lex.months) + r"\.?"
    months = "(?-i:" + month + ")"
    short_months = "(?-i:" + alternation(m for m in lex.months if len(m) <= 4) + r")\.?"
    ordinal = r"(?:st|nd|rd|th)?"
    year = _YEAR
    return [
        rf"(?<!\w)\d{{1,2}}{ordinal}(?:\s+of)?\s+{month}(?:,?\s+{year})?",  # 1 April, 4 December 2020
        rf"(?<!\w)\d{{1,2}}{ordinal}\s*(?:[-–]|to|and)\s*\d{{1,2}}{ordinal}\s+{month}",  # 3-5 June: days
        rf"(?<!\w)\d{{1,2}}{ordinal},\s+{months}(?:,?\s+{year})?",  # 1, November 2013
        rf"{months}\s+\d{{1,2}}(?:st|nd|rd|th|,?\s+{year})(?!\w)",  # December 4th, March 28, 2019
        rf"{short_months}\s+\d{{1,2}}(?![\w%]|[.,]\d)",  # Oct 29, Jul 16 (a day, or a year)
        rf"{months}\s+{year}\d{{1,2}}(?!\d)",  # December 20201: a footnote number glued to the year
        r"(?<![\w/])\d{1,2}/\d{1,2}(?:/\d{2,4})?(?![\w/])|(?<!\w)\d{4}-\d\d-\d\d(?!\w)",  # numeric dates
        r"(?<!\d\s)(?:[12]?\d|3[01])\s(?:0?[1-9]|1[0-2])\s(?:\d\d|20\d\d)(?![\w%]|[.,]\d)",  # 31 3 21
        r"\(\d+\s+years?,\s*\d+\s+months?\s+ago\)",  # a page's age stamp: (10 years, 4 months ago)
        r"(?:(?<=\d{4}\s)|(?<=\d{4}\s\s))\(\d+\s+(?:years?|months?)\s+ago\)",  # 30th October 2013 (11 years ago)
        rf"{year}[a-z]?:\s?\d{{1,4}}(?:\s?[–-]\s?\d{{1,4}})?(?=\s*[);,])",  # (NAO, 2019: 9): a page
        rf"(?<=[\s(]){year}(?:[/–-]\d\d)?[.,;]\d{{1,2}}(?=\s|$)",  # 2020,4 and 2015–16.4: footnote numbers
        rf"(?<![\w£$€.,]){year}(?:[/–-]\d\d(?!\d)|\s*[/–-]\s*{year})?"  # a year or year range ...
        rf"(?![\w%]|[.,]\d|\s*(?:{alternation(lex.percent_words)}|{alternation(lex.scale_words)}))",
        rf"(?:\d{{1,2}}|{compiled(None).simple_words})\s+(?:months?|weeks?|years?)\s+(?:to|ending)"
        rf"(?:\s+\d{{1,2}}{ordinal})?\s+{months}",  # the 12 months to 30 June 2022: a period
        r"(?<![\d:.])(?:[01]?\d|2[0-4])[:.][0-5]\d\s*(?:am|pm)\b|(?<![\d:.])(?:[01]?\d|2[0-4]):[0-5]\d(?![\d:])",
        r"(?<!\w)\d{1,2}\s?(?:am|pm)\b",  # times of day
        r"(?<![\d:.])(?:[01]?\d|2[0-4])[:.][0-5]\d\s*(?-i:[ECMP][SD]T|BST|GMT|UTC|CET)\b",  # 04.14 EDT
        rf"(?<!\w)\d{{1,2}}-{months}-(?:\d\d|{year})(?!\d)",  # 22-Jan-2022
    ]


def _reference_parts(lex: Lexicon) -> list[str]:
    """Numbers that label or cite: sections, list and paragraph numbers, journal citations, codes."""
    simple = compiled(None).simple_words
    pct = alternation(lex.percent_words)
    ref = rf"(?:\d+(?:\.\d+)*[a-z]?\b(?!:\d|\s*{pct})(?:\(\w{{1,4}}\))*|\(\d{{1,3}}\)|{simple})"
    return [
        r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?\d{2,4}|\(?0\d{2,4}\)?)[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)",  # phones
        r"10\.\d{4,9}/\S+",  # a DOI
        r"(?:vol\.?|volume)\s*\d+,\s*(?:c|cols?)\.?\s*\d+(?:\s*[–-]\s*\d+)?",  # Hansard: Vol. 463, c. 354
        r"(?:(?:vol\.?|volume)\s*)?\d{1,4}\(\d{1,3}\)(?:,?\s*(?:pp?\.\s*)?\d+\s*[–-]\s*\d+)?",  # 60(4) 377–382
        r"\d+\.\.\d+",  # pages 377..382
        rf"(?<![\w.]){alternation(lex.reference_words)}\s*{ref}(?:\s*(?:[-–,]|\.\.|and|to)\s*{ref})*",  # section 2.39
        r"(?-i:(?<![A-Z]\s)(?!GBP|USD|EUR)[A-Z][A-Z&]{1,5})[ ]\d+(?:[–-]\d+)?(?![\d%]|[.,]\d)",  # FTSE 250, PB 44
        r"(?-i:Day|Week)\s+(?:\d{1,2}\b|" + simple + r")|(?-i:day)\s+one\b",  # Day 1, TR Week One: labels
        r"scale\s+of\s+(?:\d+|" + simple + r")\s+to\s+(?:\d+|" + simple + r")",  # on a scale of one to 25
        r"(?<=where\s)(?:\d{1,3}|" + simple + r")(?=\s+(?:is|means)\s+(?:the\s+)?(?:highest|lowest|best|worst|most|least))",  # where 25 is the highest: a scale point
        r"(?<![\w.,])\d{1,3}[.)](?=(?-i:[A-Z]))",  # 57.The Dynamic Framework, 2)Seek to (list numbers)
        r"#\d+",  # #5
        r"edited\s+\d+\s+times?|(?<=users\sand\s)\d+\s+guests?",  # forum furniture: edited 2 times, and 2 guests
        # Cm 8619, Q 45; 'No 4' only after a comma (Vol 12, No 4): 'No 16 year olds' is an amount.
        # Vol 12 and HC 123 are caught above (reference_words, capitals).
        r"(?:(?-i:Cm|Cmnd|Cmd|Q|Qq)|(?<=,\s)(?-i:No|Nos))\.?\s?\d+(?:\s?[-–]\s?\d+)?(?![\d%]|[.,]\d)",
        r"(?:(?-i:Previous|Prev|«|‹)\s+)?\d{1,3}(?:\s+(?:\d{1,3}|…|\.\.\.))+\s+(?-i:Next|Last|›|»)",  # pager: 1 2 3 Next
        r"(?<![\d:])1:1(?![\d:])|24\s?[-/x]\s?7(?!\d)",  # 1:1 (one-to-one) meetings, 24-7: no amounts
        r"(?:(?<=\s\s)|(?<=[.!?:;]\s)|(?m:^))\d{1,3}[.:](?=\s+(?-i:[A-Z“‘\"']))",  # ...  245.  Although
        r"(?<![\w.])\d+\.\d+\.\d+(?:\.\d+)*",  # 2.3.1
        r"(?m:^[ \t]*\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-z])[.)](?=\s))",  # list numbering 1. 2) a)
        r"(?m:^[ \t]*\d+\.\d+(?=[ \t]+(?-i:[A-Z])))",  # a numbered section heading: 2.39 Changes in risk
        rf"(?m:^[ \t]*\d{{1,2}}(?=[ \t]+(?-i:{alternation(lex.heading_starts)})))",  # 4 The creation of
        r"\(\d{1,2}\)(?=\s+(?!(?:and|or)\b)[a-z])",  # (1) the cost and (2) the quality; not Sodexo (6)
        r"(?m:(?<=[A-Za-z] )\d{1,4}(?=[ \t]*(?:$|:(?!\d))|[ \t]+[–—](?![ \t]*\d)))",  # Early implementation 4 / title numbers
        r"(?-i:[A-Z][a-z]+)[ ]\d{1,4}(?=['’”](?:[\s,.;:)]|$))",  # 'Latest From Napo 135': a title's number
    ]


def _word_parts(lex: Lexicon) -> list[str]:
    """Number words that do not count: one as a pronoun or a determiner, idioms."""
    dur = alternation(lex.durations)
    counted = alternation([*lex.durations, *lex.fractions, *lex.scale_words, "in", "out", "of", "and"])
    return [
        rf"(?<!\w)(?:{alternation(lex.one_before)})[\s-]+one\b",  # no one, any one
        r"one\s+by\s+one\b",
        rf"(?<!\bthan\s)(?<!\bjust\s)(?<!\bonly\s)\bone(?=\s+{alternation(lex.one_after)})",  # one of the; not only one of
        rf"an?\s+(?:(?!(?:hundred|thousand|million|billion|and)\b)[a-z]+\s+)?one\b(?![\s-]+{dur}\b|-)",  # a golden one
        rf"(?-i:One)(?=\s+(?-i:[a-z]|[A-Z]{{2}}))(?!\s+{counted}\b)",  # One former civil servant, One HMPPS
        r"(?-i:I)\s+for\s+one\b",
        rf"(?<!\w)(?:{alternation(lex.half_before)})\s+half\b",  # the first half of the year
        r"(?:an?\s+)?third[\s-]+part(?:y|ies)\b",  # a third party
        rf"an?\s+{alternation(lex.fractions)}(?=\s+(?:{alternation(lex.ordinal_after)}))",  # a third inspection
        r"(?<=\w\s)(?<!\bto\s)(?<!\bthan\s)one(?=\s*(?:[.;!?]|,\s+(?:and|but)\b))",  # if they see one. / a long and tough one; not rose to one.
        alternation(lex.idioms),  # a two-tier service
        r"\bone[\s-]+to[\s-]+one\b|\bone-off\b|\bcovid[\s-]?19\b",
    ]


_GLUED = [  # numbers glued to the word before them: footnote and citation markers
    r"(?<=[A-Za-z)\]”’\"][.,;:])\d{1,3}(?:[,–-]\d{1,3})*(?=\s|$)",  # a month,2 but / CRCs.96 HM / roles.1,2
    r"(?<=[A-Za-z.,;:][”’\"])\d{1,3}(?=\s|$)",  # in the community.”184
    r"\[\d{1,4}\]|(?<=\w)\(\d{1,3}\)",  # [12], June 2021[1], 66(1)
    r"(?<=[A-Za-z]\d,)\d{1,2}(?=\s|$)",  # Probation Service3,4: the second of two glued footnote marks
]


def _exclusion_source(lex: Lexicon) -> str:
    parts = [r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+",  # URLs, e-mail addresses
             *_date_parts(lex), *_reference_parts(lex), *_word_parts(lex)]
    # nearly every exclusion starts at a word start: the look-behind rejects most positions at once
    return (r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in parts) + r")|(?=[\d\[(])(?:"
            + "|".join(f"(?:{p})" for p in _GLUED) + ")")


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


@lru_cache(maxsize=4)
def _age_cue(path: str | None = None) -> re.Pattern:
    return re.compile(rf"(?<!\w){alternation(load_lexicon(path).age_cues)}\s+$", re.IGNORECASE)


@lru_cache(maxsize=4)
def _age_group(path: str | None = None) -> re.Pattern:
    """People right before 'over 55' ('staff over 55', 'those under 25'): an age group."""
    return re.compile(rf"(?<!\w){alternation(load_lexicon(path).age_groups)}\s+$", re.IGNORECASE)


_OVER_UNDER = re.compile(r"(?:over|under)\s+\d\d", re.IGNORECASE)


@lru_cache(maxsize=4)
def _counted_whole(path: str | None = None) -> re.Pattern:
    """What follows the whole of 'six of the 21 CRCs' when it counts bodies (quantities.json
    share_of: a body the measure vocabulary counts, or a word for bodies): the pages cite it as a figure."""
    lex = load_lexicon(path)
    forms = [*lex.whole_measure_forms, alternation(lex.whole_bodies)]
    # up to two words between: 'of the 21 newly formed Community Rehabilitation Companies'
    return re.compile(rf"(?:\s+[\w-]+){{0,2}}?\s+(?:{'|'.join(forms) or '(?!)'})\b", re.IGNORECASE)


_SHARE_OF = re.compile(r"(?<!\bout)\sof\s+(?:(?:the|its|their)\s+)?\S+$", re.IGNORECASE)  # not 'out of'

_OVER = re.compile(r"over\s+", re.IGNORECASE)


@lru_cache(maxsize=4)
def _over_during(path: str | None = None) -> re.Pattern:
    """What before 'over' makes it 'during' or a verb's particle, no 'more than' (quantities.json
    over_not_more_than): a number ('£450m over', '5% over') or a listed word ('a year over', 'hand over')."""
    words = alternation(load_lexicon(path).over_not_more_than)
    return re.compile(rf"(?:\d(?:%|bn|m|k)?|(?<!\w){words})\s+$", re.IGNORECASE)


@lru_cache(maxsize=4)
def _under_one(path: str | None = None) -> re.Pattern:
    """'under' before 'one' and a word that makes it no amount (quantities.json under_one_amounts):
    'under one roof' is a place ('one' read alone, exact), 'under one year' less than one."""
    words = alternation(load_lexicon(path).under_one_amounts)
    return re.compile(rf"under\s+(?=one\s+(?!{words})[a-z])", re.IGNORECASE)


def _read(text: str, start: int, end: int) -> Found | None:
    if _COMPOUND.match(text, end):
        return None
    if (over := _OVER.match(text, start)) and _over_during().search(text, max(0, start - 24), start):
        start = over.end()  # a time span or a particle: the number alone, exact
    elif under := _under_one().match(text, start):
        start = under.end()
    parsed = parse_quantity(text[start:end])
    if parsed is None:
        return None
    if parsed.unit == "fraction" and _SHARE_OF.search(text, start, end) and _counted_whole().match(text, end):
        return None  # six of the 21 CRCs: two counts (the fallback reads 'six')
    if _blocked(text, start, end) and not (parsed.unit == "ratio" and "/" in text[start:end]):
        return None  # a split that sums to 100 (70/30) is no date
    unit = parsed.unit
    if unit == "count" and (_age_cue().search(text, max(0, start - 24), start)  # aged 21
                            or (_OVER_UNDER.fullmatch(text, start, end)  # staff over 55
                                and _age_group().search(text, max(0, start - 24), start))):
        unit = "years"
    return Found(start, end, parsed.value, parsed.value_high, unit, parsed.approx)


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
    return table_units(text, _restated(text, _share_units(text, found)))


_OPEN_BRACKET = re.compile(r"\s*\(\s*")
_CLOSE_BRACKET = re.compile(r"\s*\)")
_MONEY_UNITS = frozenset({"gbp", "other"})


def _restated(text: str, found: list[Found]) -> list[Found]:
    """An amount restated in brackets in another currency keeps the first one's cue:
    'around 450 million pounds ($725 million)' -> $725 million, about."""
    out = list(found)
    for i in range(1, len(out)):
        q, before = out[i], out[i - 1]
        if (q.approx == "exact" and before.approx != "exact" and before.unit != q.unit
                and {before.unit, q.unit} <= _MONEY_UNITS and not text[q.start].isalnum()
                and _OPEN_BRACKET.fullmatch(text, before.end, q.start) and _CLOSE_BRACKET.match(text, q.end)):
            out[i] = Found(q.start, q.end, q.value, q.value_high, q.unit, before.approx)
    return out


_LISTED = re.compile(r"\s*(?:,|and|or)\s*")  # 3 and 6 months, 3, 6 or 9 months
_SHARED_UNITS = frozenset({"days", "weeks", "months", "years"})  # not percent: 'by 63 or 1.7%'


def _share_units(text: str, found: list[Found]) -> list[Found]:
    """A bare number listed right before one with a duration unit takes that unit:
    'after 3 and 6 months' -> 3 months."""
    out = list(found)
    for i in range(len(out) - 2, -1, -1):
        q, after = out[i], out[i + 1]
        if (q.unit == "count" and q.value_high is None and after.unit in _SHARED_UNITS
                and _LISTED.fullmatch(text, q.end, after.start) and text[q.start].isdigit()
                and text[after.start].isdigit()):
            out[i] = Found(q.start, q.end, q.value, None, after.unit, q.approx)
    return out
