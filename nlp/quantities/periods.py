"""Time expressions a figure refers to: ``find_periods(text)`` and ``nearest_period(...)`` (pure).

A period is written as in the text: a date (``28 March 2019``), a month and year (``end of
September 2018``), a financial year or year range (``2018/2019``, ``between 2017 and 2019``), a
year (``2015``, ``prior to 2014``), or a relative year (``this year``, ``this financial year``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import alternation, load_lexicon

_YEAR = r"(?:1[89]\d\d|20\d\d)"


@lru_cache(maxsize=1)
def _period_pattern() -> re.Pattern:
    lex = load_lexicon()
    month = "(?-i:" + alternation(lex.months) + r")\.?"
    # 2018/19 and 2018 - 2019; not 'June 2021 – 12 months from the announcement'
    year_range = rf"{_YEAR}(?:[/–-]\d\d(?!\d)|\s*[/–-]\s*{_YEAR}(?!\d))?"
    prefix = (r"(?:(?:since|prior\s+to|before|after|by|until|up\s+to|from|as\s+at|as\s+of|at|"
              r"(?:the\s+)?(?:year|months?|quarter)\s+to|(?:the\s+)?(?:end|start|beginning|middle|summer|"
              r"spring|autumn|winter)\s+of)\s+)?")
    parts = [
        rf"between\s+{year_range}\s+and\s+{year_range}",
        rf"from\s+{year_range}\s+to\s+{year_range}",
        rf"{prefix}(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{month}\s+{_YEAR}",  # (end of) September 2018
        rf"{prefix}\d{{1,2}}(?:st|nd|rd|th)?\s+{month}",  # 1 April
        rf"(?:{prefix}|(?:the\s+)?financial\s+year\s+)(?<![\w£$€.,]){year_range}(?![\w%]|[.,]\d)",
        r"(?:this|last|next|the\s+past|the\s+previous|the\s+current)\s+(?:financial\s+)?year\b",
    ]
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in parts) + ")", re.IGNORECASE)


def find_periods(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Character spans of the time expressions in ``text`` (or in ``text[start:end]``), sorted."""
    end = len(text) if end is None else end
    return [m.span() for m in _period_pattern().finditer(text, start, end)]


def nearest_period(periods: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The period closest to the mention ``[start, end)`` that does not overlap it (ties: later)."""
    best, best_dist = None, None
    for p_start, p_end in periods:
        if p_start < end and start < p_end:
            continue
        dist = p_start - end if p_start >= end else start - p_end + 1
        if best_dist is None or dist < best_dist:
            best, best_dist = (p_start, p_end), dist
    return best
