"""Small typed records the pipeline produces. Each carries character offsets into its document's
text, never a rewritten string, so ``text[start:end]`` always gives the span back."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A doc_id names files (`claims export` writes DOC_ID.jsonl), so it may hold no path syntax.
_BAD_ID = re.compile(r"[/\\\x00-\x1f\x7f]")
MAX_ID_CHARS = 200


def doc_id_problem(doc_id: object) -> str | None:
    """Why `doc_id` cannot be used as a document id (None when it can): ids become file names."""
    if not isinstance(doc_id, str) or not doc_id.strip():
        return "it must be a non-empty string"
    if len(doc_id) > MAX_ID_CHARS:
        return f"it is longer than {MAX_ID_CHARS} characters"
    if _BAD_ID.search(doc_id) or doc_id.startswith("."):
        return "it may not contain '/', '\\' or control characters, nor start with '.'"
    return None


@dataclass(frozen=True, slots=True)
class Document:
    """One input document after reading, header removal and extraction."""

    doc_id: str
    text: str
    title: str | None = None
    kind: str = "other"
    date: str | None = None
    url: str | None = None
    author: str | None = None
    source: str | None = None  # the path (and line, for a JSONL corpus) it came from
    extra: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence-level unit (SPEC §2). ``start``/``end`` exclude bullet glyphs and white space."""

    start: int
    end: int
    segment: str  # body | heading | list-item | quote | comment | boilerplate
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class EntityMention:
    start: int
    end: int
    text: str
    label: str  # CRC | ORG | REGION | PROGRAMME | PERSON | LAW
    entity_id: str
    source: str = "gazetteer"  # gazetteer | abbreviation | ner


@dataclass(frozen=True, slots=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float
    value_high: float | None
    unit: str  # count | percent | fraction | gbp | ratio | days | weeks | months | years | other
    approx: str  # exact | about | more_than | less_than | at_least | at_most
    measure: str | None = None
    period: str | None = None


@dataclass(frozen=True, slots=True)
class Claim:
    sent_id: int
    type: str  # numeric | factual | evaluative
    score: float  # check-worthiness, in [0, 1]


@dataclass(frozen=True, slots=True)
class Stance:
    sent_id: int
    label: str
    scores: dict = field(hash=False)

    @property
    def confidence(self) -> float:
        return self.scores[self.label]
