"""Small typed records the pipeline produces. Each carries character offsets into its document's
text, never a rewritten string, so ``text[start:end]`` always gives the span back."""

from __future__ import annotations

from dataclasses import dataclass, field


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
