"""claims_quantities: numeric mentions with normalised values, measure and period (SPEC §4).

The number expressions are found and read by the pure functions of ``nlp.quantities`` (one pass of
compiled patterns over the document text); this component adds what needs the spaCy analysis:

- ``measure``: the noun phrase the number quantifies, from the dependency parse;
- ``period``: the nearest time expression in the same sentence (``doc._.segments`` from
  claims_segmenter, else ``doc.sents``);
- a bare ``one`` that the tagger reads as a pronoun (``a long and winding one``) is dropped;
- numbers in short ``boilerplate`` segments (``11 comments``, ``2 responses``) are left out unless
  ``skip_boilerplate`` is False; furniture that reads as a sentence (a photo caption, a related
  article's summary) keeps its figures, as the annotators read them.

The parse is the Doc's own when spaCy's parser ran over it; otherwise only the sentences that hold
a quantity are parsed (nlp/components/analysis.py). With no parser in the pipeline at all it still
finds quantities, with ``measure=None`` (and keeps every ``one``).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import doc_text, register_extensions
from .analysis import PARSE, PosFromTags, SentenceAnalysis
from .base import Component
from ..quantities import Found, find_quantities, warm_up
from ..quantities.measure import find_measure
from ..quantities.periods import find_periods, nearest_period
from ..records import Quantity

_PRONOUN_POS = {"PRON", "NOUN"}
FURNITURE_SENTENCE_WORDS = 9  # furniture of this many words or more reads as a sentence


@Language.factory(
    "claims_quantities",
    assigns=["doc._.quantities"],
    requires=["doc._.segments"],  # the parse is optional: without it measure is None, every 'one' kept
    default_config={"use_parse": True, "skip_boilerplate": True},
)
def make_quantities(nlp: Language, name: str, use_parse: bool,
                    skip_boilerplate: bool) -> "QuantityTagger":
    # use_parse: read `measure` from the dependency parse (False: faster, measure is always None).
    # skip_boilerplate: no quantities in page furniture ('11 comments', '2 responses') (False: keep).
    return QuantityTagger(nlp, name=name, use_parse=use_parse, skip_boilerplate=skip_boilerplate)


@dataclass(frozen=True, slots=True)
class _Mention:
    """A quantity found in the text, placed in its sentence, before the parse is read."""

    found: Found
    sentence: tuple[int, int] | None  # character bounds of its sentence
    period: tuple[int, int] | None


class QuantityTagger(Component):
    """Sets ``doc._.quantities``: a tuple of ``Quantity`` records sorted by start.

    The parse comes from the Doc when spaCy's parser ran over it (``analysis = "documents"``), else
    from parsing just the sentences that hold a quantity, all sentences of a batch at once.
    """

    def __init__(self, nlp: Language | None = None, *, name: str = "claims_quantities", use_parse: bool = True,
                 skip_boilerplate: bool = True) -> None:
        self.name = name
        self.use_parse = use_parse
        self.skip_boilerplate = skip_boilerplate
        self.analysis = SentenceAnalysis(nlp, PARSE) if nlp is not None and use_parse else None
        self.pos_from_tags = PosFromTags(nlp) if self.analysis else None
        register_extensions()
        warm_up()  # compile the patterns now rather than on the first document

    def predict(self, docs: Iterable[Doc]) -> list[tuple[Quantity, ...]]:
        docs = list(docs)
        mentions = [self._mentions(doc) for doc in docs]
        parsed = self._parse_sentences(docs, mentions)
        return [self._records(doc, found, parsed) for doc, found in zip(docs, mentions)]

    def set_annotations(self, docs: Iterable[Doc], predictions: list[tuple[Quantity, ...]]) -> None:
        for doc, quantities in zip(docs, predictions):
            doc._.quantities = quantities

    def _mentions(self, doc: Doc) -> list[_Mention]:
        text = doc_text(doc)
        found = find_quantities(text)
        if not found:
            return []
        bounds = sentence_bounds(doc)
        starts = [s for s, _e, _kind in bounds]
        periods: dict[int, list[tuple[int, int]]] = {}  # sentence index -> its time expressions
        out = []
        for q in found:
            i = bisect_right(starts, q.start) - 1
            if i < 0 or q.start >= bounds[i][1]:  # outside every sentence: no period
                out.append(_Mention(q, None, None))
                continue
            if self.skip_boilerplate and bounds[i][2] == "boilerplate" and _short(text, bounds[i]):
                continue
            if i not in periods:
                periods[i] = find_periods(text, bounds[i][0], bounds[i][1])
            out.append(_Mention(q, bounds[i][:2], nearest_period(periods[i], q.start, q.end)))
        return out

    def _parse_sentences(self, docs: list[Doc], mentions: list[list[_Mention]]) -> dict:
        """(id(doc), sentence bounds) -> that sentence parsed on its own, for Docs spaCy did not parse."""
        if not self.analysis:
            return {}
        wanted = {}
        for doc, found in zip(docs, mentions):
            if doc.has_annotation("DEP") or not found:
                continue
            text = doc_text(doc)
            for m in found:
                if m.sentence is not None:
                    wanted.setdefault((id(doc), m.sentence), text[m.sentence[0]:m.sentence[1]])
        parsed = self.analysis(list(wanted.values()))
        self.pos_from_tags(parsed)
        return dict(zip(wanted, parsed))

    def _records(self, doc: Doc, mentions: list[_Mention], parsed: dict) -> tuple[Quantity, ...]:
        text = doc_text(doc)
        whole = doc.has_annotation("DEP")
        out = []
        for m in mentions:
            q = m.found
            if whole:
                span = doc.char_span(q.start, q.end, alignment_mode="expand")
            else:
                sent = parsed.get((id(doc), m.sentence))
                offset = m.sentence[0] if sent is not None else 0
                span = sent.char_span(q.start - offset, q.end - offset, alignment_mode="expand") if sent else None
            if span is not None and span.doc.has_annotation("POS") and _is_pronoun_one(text, q, span):
                continue
            measure = find_measure(span) if self.use_parse and span is not None else None
            out.append(Quantity(
                start=q.start, end=q.end, text=text[q.start:q.end], value=q.value,
                value_high=q.value_high, unit=q.unit, approx=q.approx, measure=measure,
                period=text[m.period[0]:m.period[1]] if m.period else None,
            ))
        return tuple(out)


def _is_pronoun_one(text: str, q: Found, span) -> bool:
    return text[q.start:q.end].lower() == "one" and len(span) == 1 and span[0].pos_ in _PRONOUN_POS


def sentence_bounds(doc: Doc) -> list[tuple[int, int, str | None]]:
    """Sorted (start, end, segment) of the sentences: claims_segmenter's, else doc.sents (segment
    None)."""
    segments = doc._.segments
    if segments is not None:
        return sorted((s.start, s.end, s.segment) for s in segments)
    if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
        return [(s.start_char, s.end_char, None) for s in doc.sents]
    return [(0, len(doc_text(doc)), None)]


def _short(text: str, bound: tuple[int, int, str]) -> bool:
    """Short furniture (`11 comments`, `2 min read`) has counts, not claims; a caption or teaser that
    reads as a sentence (`The report found 64.1% of adults … reoffended`) keeps its figures."""
    return text.count(" ", bound[0], bound[1]) + 1 < FURNITURE_SENTENCE_WORDS
