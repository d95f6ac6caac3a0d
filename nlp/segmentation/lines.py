"""Layout: physical lines, list markers, and paragraphs (blocks) of wrapped lines.

A *block* is the stretch of text sentences are split in: one line, or several when a line
obviously continues on the next (wrapped text). Line breaks between blocks always end a segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .resources import Rules

# A non-blank line: group 1 is its content without surrounding white space.
_LINE = re.compile(r"[^\S\n]*(\S(?:[^\n]*\S)?)")
_TERMINAL = frozenset('.!?…"”’')
_OPENERS = "\"'“‘([«"
_LAST_WORD = re.compile(r"([\w’'-]+)\W*\Z")
_MARKER_ONLY = re.compile(r"\(?(?:\d{1,3}|[a-z])(?:\.\)|[.)])|[•·▪◦‣⁃∙●*]")
# A paragraph or section number opening a line: "107.HMPPS’s …", "1The impact of …" (a PDF heading
# glued to its number), "7  Practical issues …" (set off by a wide space), "1.1 The announcement …".
_PARAGRAPH_NUMBER = re.compile(
    r"\d{1,3}\.(?=[A-Z])|\d{1,2}(?=[A-Z][a-z])|\d{1,3}(?:[ \t]{2,}|\t)(?=[A-Z][a-z])"
    r"|\d{1,3}(?:\.\d{1,3})+\.?[ \t]+(?=[A-Z][a-z])"
)
# A list number glued to its item's first word ("1)Draw up a …", "(2)Seek to …"): flattened HTML lists.
_GLUED_ENUM = re.compile(r"\(?\d{1,2}\)(?=[A-Z][A-Za-z])")
_WORD = re.compile(r"[^\s]+")
_LOWER_WORD = re.compile(r"[\"“‘']?[a-z]+[’'a-z-]*(?=[\s,;:.!?”’\"]|\Z)")
_QUOTE_OPENERS = "\"“‘'"
_RUN_IN_GAP = re.compile(r"[ \t]+")
_ENUM = re.compile(r"\(?(\d{1,3}|[a-z])(\.\)|[.)])")


@dataclass(frozen=True, slots=True)
class Line:
    start: int  # content start, after any list marker
    end: int  # content end, trailing white space excluded
    bullet: bool  # opened by a bullet glyph or list number
    blank_before: bool  # a blank line (or the start of the text) comes before it
    marker: str = ""  # the list marker text, stripped ("•", "1.", "(a)")
    kind: str = ""  # a piece split off a line's start: "speaker", "furniture", "heading"; "after" the rest


@dataclass(frozen=True, slots=True)
class Block:
    start: int
    end: int
    bullet: bool
    n_lines: int
    blank_before: bool
    index: int  # position among the document's blocks
    kind: str = ""  # see Line.kind


def split_lines(text: str, rules: Rules) -> list[Line]:
    """Every non-blank line, with list markers split off (and inline list items split out)."""
    lines: list[Line] = []
    prev_end = 0
    turns = _transcript(text, rules)
    for m in _LINE.finditer(text):
        start, end = m.span(1)
        blank_before = not lines or text.count("\n", prev_end, start) > 1
        prev_end = end
        if _MARKER_ONLY.fullmatch(text, start, end):
            continue  # a list number or glyph alone on its line: not text
        glued = _GLUED_ENUM.match(text, start, end)
        if glued:
            lines.extend(_list_items(text, glued.end(), end, glued.group(), blank_before, rules))
            continue
        number = _PARAGRAPH_NUMBER.match(text, start, end)
        if number:  # "107.HMPPS’s Workforce Bulletin …": a numbered paragraph, not a list
            lines.extend(_run_in(text, number.end(), end, blank_before, rules, turns, number.group().strip()))
            continue
        bullet = rules.bullet_line.match(text, m.start(), end)
        if not bullet:
            lines.extend(_run_in(text, start, end, blank_before, rules, turns))
            continue
        body = bullet.end()
        for _ in range(3):  # "1. • item": markers in a row
            again = rules.bullet_line.match(text, body, end)
            if not again:
                break
            body = again.end()
        marker = text[m.start() : body].strip()
        lines.extend(_list_items(text, body, end, marker, blank_before, rules))
    return lines


def _transcript(text: str, rules: Rules) -> bool:
    """Does the text hold at least two turns opened by a speaker prefix (a transcript)?"""
    seen = 0
    for m in _LINE.finditer(text):
        if rules.speaker_prefix.match(text, m.start(1), m.end(1)):
            seen += 1
            if seen >= 2:
                return True
    return False


def _run_in(text: str, start: int, end: int, blank_before: bool, rules: Rules, turns: bool, marker: str = "") -> list[Line]:
    """A line, or two where something runs into the text at its start without a line break: a
    Hansard header ("Lords ChamberI thank …"), a transcript's speaker ("Chris Grayling: First, …",
    only in a transcript: elsewhere "Probation Service Reform: Parliamentary Approval" is a
    heading), a heading run into its paragraph ("Newly recruited PSOs The approach to …")."""
    for kind, pattern in (("furniture", rules.glued_header), ("speaker", rules.speaker_prefix if turns else None)):
        m = pattern.match(text, start, end) if pattern is not None else None
        if m is None:
            continue
        rest = m.end()
        while rest < end and text[rest].isspace():
            rest += 1
        if _words(text, rest, end) >= 3:
            return [Line(start, m.end("head"), False, blank_before, marker, kind), Line(rest, end, False, False, "", "after")]
    cut = _run_in_heading(text, start, end, rules)
    if cut:
        head_end, rest = cut
        return [Line(start, head_end, False, blank_before, marker, "heading"), Line(rest, end, False, False, "", "after")]
    return [Line(start, end, False, blank_before, marker)]


def _run_in_heading(text: str, start: int, end: int, rules: Rules) -> tuple[int, int] | None:
    """(end of the heading, start of the sentence) where a short heading without punctuation runs
    into a sentence on one line: before a capitalised opener followed by a lower-case word
    ("… PSOs The approach …"), or where the heading's first two words open the sentence again
    ("Twenty CRCs achieved … rate Twenty CRCs in the April …")."""
    if text[end - 1] not in ".!?":
        return None
    words = list(_WORD.finditer(text, start, min(end, start + 200)))
    if len(words) < 5:
        return None
    lead = (words[0].group(), words[1].group())
    for i in range(2, min(len(words) - 2, rules.max_heading_words + 1)):
        prev, word, after = words[i - 1].group(), words[i].group(), words[i + 1].group()
        if not _RUN_IN_GAP.fullmatch(text, words[i - 1].end(), words[i].start()):
            return None  # punctuation: the heading has ended, or this is a sentence
        if prev.lower() in rules.function_words or not prev[-1:].isalnum():
            continue
        opener = word in rules.run_in_openers and after[:1].islower()
        repeated = i >= 3 and (word, after) == lead and word[:1].isupper()
        if opener or repeated:
            return words[i - 1].end(), words[i].start()
    return None


def _list_items(text: str, start: int, end: int, marker: str, blank_before: bool, rules: Rules) -> list[Line]:
    """One list line, split where the same glyph or the next list number recurs inline."""
    cuts = _inline_cuts(text, start, end, marker, rules)
    items = []
    bounds = [start, *cuts, end]
    for i in range(len(bounds) - 1):
        s, e = bounds[i], bounds[i + 1]
        sub = rules.bullet_line.match(text, s, e) if i else None
        mark = marker if not i else text[s : sub.end() if sub else s].strip()
        s = sub.end() if sub else s
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            items.append(Line(s, e, True, blank_before and not i, mark))
    return items


def _inline_cuts(text: str, start: int, end: int, marker: str, rules: Rules) -> list[int]:
    glyph = marker[:1]
    if glyph and glyph in rules.inline_glyphs:
        return [m.start(1) for m in rules.inline_bullet.finditer(text, start, end) if m.group(1) == glyph]
    enum = _ENUM.fullmatch(marker.lstrip("(")) or _ENUM.fullmatch(marker)
    if not enum:
        return []
    value, suffix = enum.group(1), enum.group(2)
    cuts, pos = [], start
    while True:
        value = str(int(value) + 1) if value.isdigit() else chr(ord(value) + 1)
        hit = re.compile(r"\s(" + re.escape(value + suffix) + r")\s").search(text, pos, end)
        if not hit:
            return cuts
        cuts.append(hit.start(1))
        pos = hit.end(1)


def _words(text: str, start: int, end: int) -> int:
    return text.count(" ", start, end) + 1


def continues(text: str, prev: Line, nxt: Line, rules: Rules, wrapped: int = 0, spaced: int = 0) -> bool:
    """Does ``nxt`` carry on the sentence ``prev`` leaves unfinished (a wrapped line)? ``wrapped``
    and ``spaced``: see ``_hard_wrapped`` (lines in a row, or a blank line after each)."""
    if nxt.bullet or nxt.kind:
        return False
    if rules.page_number.match(text, prev.start, prev.end) or rules.page_number.match(text, nxt.start, nxt.end):
        return False  # a PDF page number ("18\nwww.smf.co.uk …") stands alone
    last = text[prev.end - 1]
    first_pos = nxt.start
    while first_pos < nxt.end - 1 and text[first_pos] in _OPENERS:
        first_pos += 1
    starts_lower = text[first_pos].islower()
    word = _LAST_WORD.search(text, prev.start, prev.end)
    open_ended = bool(word) and word.group(1).lower() in rules.function_words
    short = _words(text, prev.start, prev.end) < rules.min_wrapped_words
    if last in _TERMINAL:
        return False
    if nxt.blank_before:
        # a sentence carried on after a blank line: "… had deteriorated and\n\n“reducing …",
        # "Your editorial on the 4th November,\n\nreminds me …", "he mentioned\n\n“trusts …"
        if spaced and last.isalpha() and prev.end - prev.start >= spaced and (open_ended or starts_lower):
            return True  # a PDF copied with a blank line after every line ("… used by the \n\nPlanning …")
        if short or not _LOWER_WORD.match(text, nxt.start, nxt.end):
            return False
        quoted = text[nxt.start] in _QUOTE_OPENERS and last.isalpha() and word is not None and word.group(1).islower()
        return last == "," or (open_ended and last.isalpha()) or quoted
    if starts_lower:
        # "Resettlement after\nshort prison\nsentences": a short line runs on where it is left
        # open or the text is hard-wrapped
        return not short or _words(text, nxt.start, nxt.end) >= 5 or open_ended or bool(wrapped and last.isalpha())
    if _stub(text, nxt) and last.isalpha() and not short:
        return True  # "… our\nreport on Transforming\nRehabilitation.": the sentence's last word
    if short:
        return False
    if last in ",&" or (last == "-" and text[prev.end - 2].isalpha()):
        return True
    if open_ended and last.isalpha():
        return True
    # hard-wrapped documents: a long line with no end punctuation runs on
    return bool(wrapped) and last.isalnum() and prev.end - prev.start >= wrapped


def _stub(text: str, line: Line) -> bool:
    """A line of one or two words that ends a sentence: the tail of a wrapped one."""
    return _words(text, line.start, line.end) <= 2 and text[line.end - 1] in ".!?"


def build_blocks(text: str, lines: list[Line], rules: Rules) -> list[Block]:
    """Group lines into blocks, joining wrapped lines."""
    blocks: list[Block] = []
    wrapped = _hard_wrapped(text, lines, rules)
    spaced = _hard_wrapped(text, lines, rules, blank=True)
    i, n = 0, len(lines)
    while i < n:
        first = lines[i]
        j = i
        while j + 1 < n and continues(text, lines[j], lines[j + 1], rules, wrapped, spaced):
            j += 1
        blocks.append(Block(first.start, lines[j].end, first.bullet, j - i + 1, first.blank_before, len(blocks), first.kind))
        i = j + 1
    return blocks


def _hard_wrapped(text: str, lines: list[Line], rules: Rules, *, blank: bool = False) -> int:
    """For hard-wrapped text (PDF, e-mail: several lines break mid-sentence before a lower-case
    word), the shortest line length that still counts as running on; else 0. With ``blank``, the
    same for breaks across a blank line (a PDF copied with a blank line after every line)."""
    widths = sorted(
        prev.end - prev.start
        for prev, nxt in zip(lines, lines[1:])
        if nxt.blank_before == blank and not nxt.bullet and text[prev.end - 1].isalpha() and text[nxt.start].islower()
    )
    if len(widths) < rules.min_wrapped_breaks:
        return 0
    return int(widths[len(widths) // 2] * rules.wrapped_width_share)
