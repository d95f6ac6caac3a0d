"""What each block is: furniture, a comment byline, a heading, a list item, a comment or body."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .lines import Block
from .resources import Rules

_TERMINAL = frozenset('.!?…"”’')
_LAST_WORD = re.compile(r"([\w’'-]+)\W*\Z")
_INNER_BOUNDARY = re.compile(r"[.!?][\"”’)]*\s+[A-Z“\"‘]")
_ALNUM = re.compile(r"[^\W_]")
_INNER_STOP = re.compile(r"[.!][\"”’)]*\s+[A-Z“\"‘]")
_MAX_FURNITURE_CHARS = 300  # longer blocks are never page furniture


@dataclass(frozen=True, slots=True)
class BlockLabel:
    segment: str  # body | heading | list-item | comment | boilerplate
    speaker: str | None = None
    whole: bool = False  # the label holds for every sentence, whatever quotes say
    single: bool = False  # the block is one segment, not split into sentences


def _byline(line: str, rules: Rules) -> str | None:
    if len(line) > 90:
        return None
    for pattern in rules.bylines:
        m = pattern.match(line)
        if m:
            name = m.group("name").strip(" ,:-")
            if name and len(name.split()) <= 6:
                return name
    return None


def _furniture(line: str, rules: Rules) -> bool:
    return len(line) <= _MAX_FURNITURE_CHARS and bool(
        rules.boilerplate.match(line) or rules.contact.match(line) or rules.caption.match(line))


def label_blocks(text: str, blocks: list[Block], rules: Rules) -> list[BlockLabel]:
    """One label per block, in order. Everything after the comments start is `comment`."""
    labels: list[BlockLabel] = []
    in_comments = False
    speaker: str | None = None
    title_seen = False
    turn: str | None = None  # the speaker of a transcript turn whose prefix was just split off
    for block in blocks:
        line = text[block.start : block.end]
        if block.kind == "speaker":
            turn = _turn_speaker(line, rules)
            labels.append(BlockLabel("boilerplate", None, True))
            continue
        if block.kind == "furniture":
            labels.append(BlockLabel("boilerplate", None, True))
            continue
        speaker_here, turn = (turn if block.kind == "after" else None), None
        name = _byline(line, rules)
        if name is not None:
            in_comments, speaker = True, name
            labels.append(BlockLabel("boilerplate", None, True))
            continue
        if len(line) <= _MAX_FURNITURE_CHARS and rules.comment_start.match(line):
            in_comments, speaker = True, None
            labels.append(BlockLabel("boilerplate", None, True))
            continue
        if _furniture(line, rules):
            if in_comments and rules.comment_end.match(line):
                speaker = None
            labels.append(BlockLabel("boilerplate", None, True))
            continue
        if in_comments:
            labels.append(BlockLabel("comment", speaker, True))
            continue
        if ("©" in line and len(line) <= _MAX_FURNITURE_CHARS) or not _ALNUM.search(line):
            labels.append(BlockLabel("boilerplate", None, True))
            continue
        if block.kind == "heading":
            label = BlockLabel("heading")
        else:
            label = _layout_label(text, block, line, rules, first=not title_seen)
        if speaker_here is not None and label.segment == "body":
            label = BlockLabel("body", speaker_here)
        title_seen = True
        labels.append(label)
    _mark_alt_text(text, blocks, labels, rules)
    _mark_page_numbers(text, blocks, labels, rules)
    _mark_repeated(text, blocks, labels)
    signed = _mark_signatures(text, blocks, labels, rules)
    _sign_comments(text, blocks, labels, signed)
    return labels


def _turn_speaker(line: str, rules: Rules) -> str | None:
    """The name in a transcript speaker prefix ("Chris Grayling:"), without its constituency."""
    m = rules.speaker_prefix.match(line + " X")
    return (m.group("name") or m.group("role")) if m else None


def _sign_comments(text: str, blocks: list[Block], labels: list[BlockLabel], signed: list[int]) -> None:
    """A comment without a byline but signed off (`'Getafix`, `FranK.`) is by its signer."""
    done: set[int] = set()
    for k in signed:
        if k in done or k == 0 or labels[k - 1].segment not in ("comment", "boilerplate"):
            continue
        group = k
        while group - 1 in signed:
            group -= 1
        done.update(range(group, k + 1))
        name = text[blocks[group].start : blocks[group].end].strip("'‘’\".,- ")
        j = group - 1
        while j >= 0 and labels[j].segment == "comment" and labels[j].speaker is None:
            labels[j] = BlockLabel("comment", name, True)
            j -= 1


def _mark_page_numbers(text: str, blocks: list[Block], labels: list[BlockLabel], rules: Rules) -> None:
    """A PDF page number alone on its line (``27``, ``Page 3 of 40``) is furniture; a bare number
    beside another bare number is a table's cell (``418`` above ``550``) and stays text."""
    bare = [text[b.start : b.end].isdigit() for b in blocks]
    for k, block in enumerate(blocks):
        if block.bullet or labels[k].segment == "boilerplate" or not rules.page_number.match(text, block.start, block.end):
            continue
        if bare[k] and ((k > 0 and bare[k - 1]) or (k + 1 < len(blocks) and bare[k + 1])):
            continue
        labels[k] = BlockLabel("boilerplate", None, True)


def late_furniture(text: str, blocks: list[Block], labels: list[BlockLabel], rules: Rules) -> list[BlockLabel]:
    """The labels with journal metadata lines (``DOI10.1177/…``, ``Corresponding Author:``) made
    furniture; applied after the furniture model, whose features see the rules' labels before it."""
    out = list(labels)
    for k, block in enumerate(blocks):
        if out[k].segment != "boilerplate" and block.n_lines == 1 and rules.late_boilerplate.match(
                text[block.start:block.end].strip()):
            out[k] = BlockLabel("boilerplate", None, True)
    return out


_REPEATED = 3  # a short line this often on one page is a tag, a menu entry or a button
_REPEATED_WORDS = 8


def _mark_repeated(text: str, blocks: list[Block], labels: list[BlockLabel]) -> None:
    """A short line found three times or more on a page (``Home affairs`` tags, ``Share`` rows) is
    furniture; a line ending in a colon that introduces a list each time is not, nor a list item."""
    counts: dict[str, list[int]] = {}
    for k, block in enumerate(blocks):
        if block.n_lines == 1 and not block.bullet and text.count(" ", block.start, block.end) < _REPEATED_WORDS:
            counts.setdefault(" ".join(text[block.start : block.end].lower().split()), []).append(k)
    for line, where in counts.items():
        if len(where) >= _REPEATED and not line.endswith(":"):
            for k in where:
                if labels[k].segment != "boilerplate":
                    labels[k] = BlockLabel("boilerplate", None, True)


def _mark_alt_text(text: str, blocks: list[Block], labels: list[BlockLabel], rules: Rules) -> None:
    """The image's alt text on the line right before its caption (``Chris Grayling`` above ``The PAC
    … criticised Chris Grayling’s changes. Photograph: Andy Rain/EPA``): a short line without end
    punctuation, no blank line between them, is furniture like the caption."""
    for k in range(1, len(blocks)):
        block, prev = blocks[k], blocks[k - 1]
        if block.blank_before or labels[k - 1].segment == "boilerplate" or prev.n_lines > 1 or prev.bullet:
            continue
        line = text[prev.start : prev.end]
        if (line[-1] in _TERMINAL or line.count(" ") + 1 > rules.max_heading_words
                or not rules.caption.match(text, block.start, block.end)):
            continue
        labels[k - 1] = BlockLabel("boilerplate", None, True)


def _mark_signatures(text: str, blocks: list[Block], labels: list[BlockLabel], rules: Rules) -> list[int]:
    """Short name-like lines just before furniture (`David Hood`, `Vice President of
    International Business, MTC`, `'Getafix`) are signatures: boilerplate. Returns their indices."""
    signed: list[int] = []
    for k in range(len(blocks) - 1, -1, -1):
        if labels[k].segment == "boilerplate" or blocks[k].bullet or blocks[k].n_lines > 1:
            continue
        if k + 1 == len(blocks) or labels[k + 1].segment != "boilerplate":
            continue
        if rules.signoff.fullmatch(text, blocks[k].start, blocks[k].end):
            labels[k] = BlockLabel("boilerplate", None, True)
            signed.append(k)
    return sorted(signed)


def _layout_label(text: str, block: Block, line: str, rules: Rules, *, first: bool) -> BlockLabel:
    if block.bullet:
        return BlockLabel("list-item")
    if block.n_lines > 1:
        return BlockLabel("body")
    if rules.question_heading.match(line) or rules.date_line.match(line):
        return BlockLabel("heading")
    words = line.count(" ") + 1
    last = line[-1]
    if line.endswith(":-"):
        return BlockLabel("body")  # "… from Nick Hall, CEO of Northumbria CRC:-" introduces what follows
    if last not in _TERMINAL and last not in ":;":
        if rules.signature.match(line) and "," in line:
            return BlockLabel("boilerplate", None, True)
        tail = _LAST_WORD.search(line)
        open_ended = tail is not None and tail.group(1).lower() in rules.function_words
        if words <= rules.max_heading_words and not open_ended and not _INNER_BOUNDARY.search(line):
            return BlockLabel("heading")
        if first and words <= rules.max_title_words and not open_ended and "?" in line and not _INNER_STOP.search(line):
            # a page title asking a question, then more ("Rehabilitation redux? Future probation
            # reforms"): one heading, as a line without a full stop stands alone (GUIDELINES §1)
            return BlockLabel("heading", single=True)
        return BlockLabel("body")
    if last == ":" and words <= rules.max_colon_heading_words:
        return BlockLabel("heading")
    if first and last in "?!" and words <= rules.max_title_words and line.count(". ") == 0:
        return BlockLabel("heading")
    return BlockLabel("body")


def all_questions(text: str, spans: list[tuple[int, int]]) -> bool:
    """A paragraph made only of (at most three) questions: a question heading."""
    return 0 < len(spans) <= 3 and all(text[e - 1] == "?" or text[e - 2 : e] in ('?"', "?”") for _, e in spans)
