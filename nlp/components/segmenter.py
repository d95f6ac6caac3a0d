"""claims_segmenter: sentences, headings, list items, quotes, comments and boilerplate (SPEC §2).

Runs first in the pipeline, from the raw text: the rules live in ``nlp.segmentation`` (and the
domain knowledge in ``nlp/data/segmenter.json``); this module only wraps them as a spaCy
component that writes ``Doc._.segments`` and fixes ``Token.is_sent_start`` so the parser
respects the boundaries.
"""

from __future__ import annotations

import bisect

import numpy

from spacy.language import Language
from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc

from ..extensions import doc_text, register_extensions
from .base import Component
from ..records import Segment
from ..segmentation import load_rules
from ..segmentation import segment_text as _segment_text
from ..segmentation.core import segment_texts
from ..segmentation.furniture import default_model_path, load_model

__all__ = ["Segmenter", "make_segmenter", "segment_text", "set_sentence_starts"]


@Language.factory(
    "claims_segmenter",
    assigns=["token.is_sent_start", "doc._.segments"],
    # rules_path: a segmenter.json to use instead of ours (null: the packaged file)
    # furniture_path: the learned page-furniture model (null: models/furniture/model.joblib; a path
    # that does not exist: the rules alone decide what is furniture)
    default_config={"rules_path": None, "furniture_path": None},
)
def make_segmenter(nlp: Language, name: str, rules_path: str | None = None,
                   furniture_path: str | None = None) -> "Segmenter":
    return Segmenter(name=name, rules_path=rules_path, furniture_path=furniture_path)


class Segmenter(Component):
    """Segments each Doc's text and marks the first token of every segment as a sentence start."""

    def __init__(self, *, name: str = "claims_segmenter", rules_path: str | None = None,
                 furniture_path: str | None = None) -> None:
        self.name = name
        self.rules = load_rules(rules_path)
        self.furniture = load_model(str(furniture_path or default_model_path()))
        register_extensions()

    def predict(self, docs: list[Doc]) -> list[tuple[Segment, ...]]:
        return segment_texts([doc_text(doc) for doc in docs], rules=self.rules, furniture=self.furniture)

    def set_annotations(self, docs: list[Doc], segments: list[tuple[Segment, ...]]) -> None:
        for doc, segs in zip(docs, segments):
            doc._.segments = segs
            set_sentence_starts(doc, segs)


def segment_text(text: str) -> tuple[Segment, ...]:
    """The segments of ``text`` with the packaged rules alone (no spaCy, no furniture model)."""
    return _segment_text(text)


def set_sentence_starts(doc: Doc, segments: tuple[Segment, ...]) -> None:
    """Mark the first token of each segment (and token 0) as a sentence start, every other as not."""
    if not len(doc):
        return
    token_starts = doc.to_array(IDX).tolist()
    starts = {0}
    for seg in segments:
        # the token holding the segment's first character (a token may start before it)
        i = bisect.bisect_right(token_starts, seg.start) - 1
        if i >= 0:
            starts.add(i)
    # One array write: setting token.is_sent_start token by token re-checks the whole Doc
    # each time (quadratic; minutes on a 200k-character piece).
    values = numpy.full((len(doc), 1), -1, dtype="int64").astype("uint64")
    values[sorted(starts), 0] = 1
    doc.from_array([SENT_START], values)
