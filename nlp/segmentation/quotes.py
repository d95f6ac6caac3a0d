"""Quoted speech: where quotations run (across sentences and paragraphs) and who says them."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .lines import Block
from .resources import Rules

_DOUBLE = re.compile(r"[“”\"]")
_SINGLE = re.compile(r"(?:(?<=[\s(\[—–-])|\A)[‘'](?=\S)(.{0,800}?)(?<=\S)[’'](?=[\s.,;:!?)\]—–-]|\Z)", re.DOTALL)
_OPEN_BEFORE = " \t\n([{—–-:"
_NAME_WORD = re.compile(r"[A-Z][\w’'.&-]*")
_TITLES = frozenset({"Mr", "Mrs", "Ms", "Dr", "Prof", "Mr.", "Mrs.", "Ms.", "Dr.", "Prof."})


@dataclass(slots=True)
class Run:
    """One quotation, possibly over several sentences and paragraphs."""

    spans: list[tuple[int, int]] = field(default_factory=list)  # quoted stretches, marks included
    speaker: str | None = None
    block: int = 0  # the block it opens in
    introduced: bool = False  # opened right after a colon ("Dame Glenys said: “…")


def find_runs(text: str, blocks: list[Block], rules: Rules) -> list[Run]:
    """Double-quoted runs (which may carry over paragraphs) plus long single-quoted passages."""
    runs: list[Run] = []
    prev_open: Run | None = None  # the run left open at the end of the previous block
    carry_until = -1  # blocks up to this index start inside ``prev_open``
    for k, block in enumerate(blocks):
        inside = prev_open if k <= carry_until else None
        left_open = _scan_block(text, block, k, inside, prev_open, runs)
        if left_open is not None and k >= carry_until:
            carry_until = _carry_until(text, blocks, k, rules)
        prev_open = left_open
    for k, block in enumerate(blocks):
        for m in _SINGLE.finditer(text, block.start, block.end):
            if m.end() - m.start() >= rules.min_single_quote_chars:
                runs.append(Run([(m.start(), m.end())], None, k))
    return runs


def _opening(text: str, i: int, start: int) -> bool:
    ch = text[i]
    return ch == "“" or (ch == '"' and (i == start or text[i - 1] in _OPEN_BEFORE))


def _scan_block(text, block, k, inside, prev_open, runs) -> Run | None:
    """Add this block's quoted stretches; return the run still open at its end, if any."""
    run = inside
    open_at = block.start if inside is not None else None
    for m in _DOUBLE.finditer(text, block.start, block.end):
        i = m.start()
        opening = _opening(text, i, block.start)
        if opening and open_at is None:
            # a paragraph opening with a quote mark continues a quotation left open just before
            if i == block.start and prev_open is not None and inside is None:
                run = prev_open
            else:
                run = Run(block=k)
                runs.append(run)
            open_at = i
        elif not opening and open_at is not None:
            run.spans.append((open_at, i + 1))
            open_at = None
    if open_at is None:
        return None
    run.spans.append((open_at, block.end))
    return run


def _carry_until(text: str, blocks: list[Block], k: int, rules: Rules) -> int:
    """Index of the later block whose first quote mark closes a quote left open in block ``k``
    (the paragraphs between are quoted too), or -1."""
    if k + 1 < len(blocks) and text[blocks[k + 1].start] in "“\"":
        return -1  # the next paragraph reopens it (the usual convention)
    for later in blocks[k + 1 : k + 1 + rules.quote_lookahead]:
        m = _DOUBLE.search(text, later.start, later.end)
        if m is not None:
            return -1 if _opening(text, m.start(), later.start) else later.index
    return -1


def attribute(text: str, runs: list[Run], sentences: list[tuple[int, int, int]], blocks: list[Block], rules: Rules) -> None:
    """Set each run's speaker from the words around it (in place)."""
    starts = [s for s, _, _ in sentences]
    recent: tuple[int, str] | None = None  # block and name of the latest named speaker
    ends_at: dict[int, Run] = {}  # block -> a run that ran to that block's end
    full_names: dict[str, str] = {}
    for run in sorted(runs, key=lambda r: r.spans[0][0]):
        open_at = run.spans[0][0]
        run.introduced = text[max(0, open_at - 3) : open_at].rstrip().endswith(":")
        who = _speaker(text, run, sentences, starts, blocks, rules)
        if who is None:
            who = _subject_before(text, open_at, blocks[run.block], sentences, starts, rules)
        if who is not None and who.lower() in rules.pronouns:
            previous = _subject(text, blocks[run.block - 1].start, rules) if run.block else None
            who = previous or (recent[1] if recent and run.block - recent[0] <= 2 else None)
        elif who is None and open_at == blocks[run.block].start and run.block - 1 in ends_at:
            who = ends_at[run.block - 1].speaker  # “…” then a new paragraph “…”: the same voice
        elif who is not None and who not in full_names.values():
            if who not in full_names:  # the fullest form is found once per name
                full_names[who] = _full_name(text, who, open_at)
            who = full_names[who]
        if who is not None:
            recent = (run.block, who)
        run.speaker = who
        for b in range(run.block, len(blocks)):
            if blocks[b].end - 2 <= run.spans[-1][1] <= blocks[b].end:
                ends_at[b] = run
                break
            if blocks[b].end > run.spans[-1][1]:
                break


def _subject(text: str, start: int, rules: Rules) -> str | None:
    """The named subject of a speech verb opening the sentence at ``start``
    ("Jon Deeks, professor …, highlighted", "Dame Glenys said NPS Wales staff …")."""
    m = rules.speech_subject.match(text, start, start + 300)
    return _clean(m.group("who"), rules) if m else None


def _subject_before(text, open_at, block, sentences, starts, rules) -> str | None:
    """A quote opening its own sentence, after "NAME said …" earlier in the paragraph."""
    si = bisect.bisect_right(starts, open_at) - 1
    if si <= 0 or sentences[si][0] <= block.start or text[sentences[si][0]] not in "“\"‘'":
        return None
    for sj in range(si - 1, -1, -1):
        if sentences[sj][0] < block.start:
            return None
        who = _subject(text, sentences[sj][0], rules)
        if who is not None and who.lower() not in rules.pronouns:
            return who
    return None


def _speaker(text, run, sentences, starts, blocks, rules) -> str | None:
    open_at = run.spans[0][0]
    si = max(bisect.bisect_right(starts, open_at) - 1, 0)
    before = text[max(sentences[si][0], open_at - 200) : open_at]
    m = rules.speech_before.search(before) if before.strip() else None
    if m:
        return _clean(m.group("who"), rules)
    for _, close in run.spans:
        sj = max(bisect.bisect_right(starts, close - 1) - 1, 0)
        after = text[close : min(sentences[sj][1], close + 200)]
        m = rules.speech_after.match(after)
        if m:
            return _clean(m.group("who") or m.group("who2"), rules)
    block = blocks[run.block]
    if open_at == block.start and run.block > 0:
        prev = blocks[run.block - 1]
        tail = text[max(prev.start, prev.end - 200) : prev.end].rstrip(":- ")
        if text[prev.end - 1] in ":-":
            m = re.search(r"\b(?:from|by)\s+(?P<who>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*)*)", tail) or rules.speech_before.search(tail + ":")
            if m:
                return _clean(m.group("who"), rules)
    return None


def _clean(who: str | None, rules: Rules) -> str | None:
    if not who:
        return None
    words = who.split()
    while words and (words[0] in rules.name_stopwords and words[0] not in _TITLES):
        words = words[1:]
    while words and words[-1].lower() in rules.role_words:
        words = words[:-1]
    if not words:
        return None
    if len(words) == 1 and words[0].lower() in rules.pronouns:
        return words[0].lower()
    return " ".join(words).rstrip(".,’'")


def _full_name(text: str, name: str, before: int) -> str:
    """The fullest earlier form of a name: `Dame Glenys` -> `Dame Glenys Stacey`."""
    words = name.split()
    if words[0] in _TITLES and len(words) > 1:
        rest = re.escape(" ".join(words[1:]))
        m = re.compile(r"(?<![\w’'])((?:" + re.escape(words[0]) + r"\s+)?[A-Z][a-z’'-]+\s+)" + rest + r"\b").search(text, 0, before)
        if m and m.group(1).split()[-1] not in _TITLES:
            full = m.group(1).split()
            return " ".join(full if full[0] in _TITLES else [words[0], *full]) + " " + " ".join(words[1:])
        return name
    if len(words) < 2:
        m = re.compile(r"(?<![\w’'])" + re.escape(name) + r"[ \t]+([A-Z][a-z’'-]+)(?=[\s,.;:)])").search(text, 0, before)
        return f"{name} {m.group(1)}" if m and m.group(1) != name else name
    m = re.compile(re.escape(name) + r"((?:\s+[A-Z][\w’'-]+){1,2})\b").search(text, 0, before)
    if m and not any(w in _TITLES for w in m.group(1).split()):
        return name + m.group(1)
    return name
