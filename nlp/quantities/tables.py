"""Units named by a table's headers: ``table_units(text, found)`` (pure, no spaCy).

A table copied from a page arrives as one cell per line: a caption (``Table 1: Number of working
days lost …``), the column headers, then rows of a label and one number per column::

    Table 1: Staff absences due to work-related stress …
    Total working days lost        <- column headers
    Average staff in post
    Average working days lost per person
    Prison Service                 <- a row: its label, then one cell per column
    2,270
    35,867
    0.1

A bare count in a cell takes the unit its column header names (``days``, ``%``); when no header
names one, the caption's unit holds for every column. Only durations and percentages are read.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .scan import Found

_CAPTION = re.compile(r"(?im)^[ \t]*table\s+\d{1,3}[a-z]?\s*[:.–-]\s*(?P<title>\S.*)$")
_CELL = re.compile(r"(?!(?:19|20)\d\d\Z)[-−]?[£$€]?\d[\d,]*(?:\.\d+)?\s?%?")  # a year heads a column
_UNIT = re.compile(r"\b(?P<dur>days|weeks|months|years)\b|(?P<pct>%|\bper\s?cent\b|\bpercentage\b)", re.IGNORECASE)
_MAX_LINES = 200  # a table ends within this many lines of its caption
_MAX_HEADER_WORDS = 20  # a longer line is running text: no table here


def _lines(text: str, start: int) -> list[tuple[int, int]]:
    """(start, end) of the next non-blank lines after ``start``, stripped."""
    out = []
    for m in re.finditer(r"[^\n]+", text[start:]):
        s, e = start + m.start(), start + m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        if len(out) >= _MAX_LINES:
            break
    return out


def _unit(phrase: str) -> str | None:
    m = _UNIT.search(phrase)
    if m is None:
        return None
    return m.group("dur").lower() if m.group("dur") else "percent"


def _cells(text: str, caption: re.Match) -> list[tuple[int, int, str]]:
    """(start, end, unit) of the cells of the table under ``caption`` whose column names a unit."""
    lines = _lines(text, caption.end())
    is_cell = [bool(_CELL.fullmatch(text, s, e)) for s, e in lines]
    first = next((i for i, c in enumerate(is_cell) if c), None)
    if first is None or first < 2:
        return []
    width = next((n for n, c in enumerate(is_cell[first:]) if not c), len(lines) - first)
    headers = lines[first - 1 - width:first - 1] if first - 1 >= width else []
    if not headers or any(text.count(" ", s, e) >= _MAX_HEADER_WORDS for s, e in lines[:first]):
        return []
    units = [_unit(text[s:e]) for s, e in headers]
    if not any(units):
        units = [_unit(caption.group("title"))] * width
    out = []
    i = first - 1  # a row: a label, then `width` cells
    while i + width < len(lines) and not is_cell[i] and all(is_cell[i + 1:i + 1 + width]):
        out.extend((*lines[i + 1 + j], unit) for j, unit in enumerate(units) if unit)
        i += width + 1
    return out


def table_units(text: str, found: list["Found"]) -> list["Found"]:
    """``found`` with each bare count alone in a table cell given its column's unit."""
    if not found:
        return found
    cells = {(s, e): unit for caption in _CAPTION.finditer(text) for s, e, unit in _cells(text, caption)}
    if not cells:
        return found
    return [replace(q, unit=cells[(q.start, q.end)]) if q.unit == "count" and (q.start, q.end) in cells else q
            for q in found]
