"""segment_text: the pure, spaCy-free segmenter (SPEC §2)."""

from __future__ import annotations

import bisect

from ..records import Segment
from .furniture import FurnitureModel, relabel
from .labels import BlockLabel, all_questions, label_blocks, late_furniture
from .lines import Block, build_blocks, split_lines
from .quotes import Run, attribute, find_runs
from .resources import Rules, load_rules
from .sentences import split_block


def layout(text: str, rules: Rules) -> tuple[list[Block], list[BlockLabel]]:
    """The blocks of ``text`` and what the rules call each (before any learned furniture)."""
    blocks = build_blocks(text, split_lines(text, rules), rules)
    return blocks, label_blocks(text, blocks, rules)


def segment_text(text: str, *, rules: Rules | None = None,
                 furniture: FurnitureModel | None = None) -> tuple[Segment, ...]:
    """Sentences, headings, list items, quotes, comments and furniture of ``text``, in order.

    ``text[s.start:s.end]`` is each segment, without surrounding white space or list markers.
    With a ``furniture`` model, blocks it calls page furniture are `boilerplate` too; journal
    metadata lines (``late_boilerplate_lines``) are made `boilerplate` after it.
    """
    return segment_texts([text], rules=rules, furniture=furniture)[0]


def segment_texts(texts: list[str], *, rules: Rules | None = None,
                  furniture: FurnitureModel | None = None) -> list[tuple[Segment, ...]]:
    """``segment_text`` for several texts, the furniture model scoring all their blocks at once."""
    rules = rules or load_rules()
    pages = [(text, *layout(text, rules)) for text in texts]
    if furniture is not None:
        relabelled = relabel(pages, furniture)
        pages = [(text, blocks, labels) for (text, blocks, _), labels in zip(pages, relabelled)]
    return [_segments(text, blocks, late_furniture(text, blocks, labels, rules), rules) for text, blocks, labels in pages]


def _segments(text: str, blocks: list[Block], labels: list[BlockLabel], rules: Rules) -> tuple[Segment, ...]:
    if not blocks:
        return ()
    sentences: list[tuple[int, int, int]] = []  # start, end, block index
    for block in blocks:
        if labels[block.index].single:
            sentences.append((block.start, block.end, block.index))
            continue
        sentences.extend((s, e, block.index) for s, e in split_block(text, block.start, block.end, rules))
    runs = find_runs(text, blocks, rules)
    attribute(text, runs, sentences, blocks, rules)
    quoted = _quote_cover(runs, sentences, rules)
    out: list[Segment] = []
    by_block: dict[int, list[int]] = {}
    for i, (_, _, b) in enumerate(sentences):
        by_block.setdefault(b, []).append(i)
    for k, idxs in by_block.items():
        label = labels[k]
        spans = [sentences[i][:2] for i in idxs]
        question_heading = label.segment == "body" and not label.whole and blocks[k].n_lines == 1 and all_questions(text, spans)
        for i in idxs:
            out.append(_segment(sentences[i], label, quoted.get(i), question_heading))
    return tuple(out)


def _segment(sent: tuple[int, int, int], label: BlockLabel, quote: Run | None, question_heading: bool) -> Segment:
    """Precedence: furniture, then quotation (a list item stays one), comment, question heading."""
    start, end, _ = sent
    if label.segment == "boilerplate":
        return Segment(start, end, "boilerplate", None)
    if quote is not None:
        kind = "list-item" if label.segment == "list-item" else "quote"
        return Segment(start, end, kind, quote.speaker)
    if question_heading:
        return Segment(start, end, "heading", None)
    return Segment(start, end, label.segment, label.speaker)


def _quote_cover(runs: list[Run], sentences: list[tuple[int, int, int]], rules: Rules) -> dict[int, Run]:
    """Sentence index -> the run covering at least ``quote_share`` of it."""
    starts = [s for s, _, _ in sentences]
    cover: dict[int, dict[int, int]] = {}
    for r, run in enumerate(runs):
        for qs, qe in run.spans:
            i = max(bisect.bisect_right(starts, qs) - 1, 0)
            while i < len(sentences) and sentences[i][0] < qe:
                s, e, _ = sentences[i]
                overlap = min(e, qe) - max(s, qs)
                if overlap > 0:
                    per = cover.setdefault(i, {})
                    per[r] = per.get(r, 0) + overlap
                i += 1
    out: dict[int, Run] = {}
    for i, per in cover.items():
        s, e, _ = sentences[i]
        r, _chars = max(per.items(), key=lambda kv: kv[1])
        opens_here = runs[r].introduced and s <= runs[r].spans[0][0] < e
        if opens_here or sum(per.values()) >= rules.quote_share * (e - s):
            out[i] = runs[r]
    return out
