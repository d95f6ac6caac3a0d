"""claims_segmenter: sentences, headings, list items, quotes, comments and boilerplate (SPEC §2).

PLACEHOLDER first version (line + punctuation rules); being replaced by the full rule layer.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions
from ..records import Segment

_BULLET = re.compile(r"^[ \t]*(?:[•·*-]|\d{1,2}[.)])[ \t]+")
_SPLIT = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+(?=[\"“‘(]?[A-Z0-9£])")


@Language.factory("claims_segmenter", assigns=["token.is_sent_start", "doc._.segments"], default_config={})
def make_segmenter(nlp: Language, name: str) -> "Segmenter":
    return Segmenter(name=name)


class Segmenter:
    def __init__(self, *, name: str = "claims_segmenter") -> None:
        self.name = name
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    def predict(self, docs: list[Doc]) -> list[tuple[Segment, ...]]:
        return [segment_text(doc.text) for doc in docs]

    def set_annotations(self, docs: list[Doc], segments: list[tuple[Segment, ...]]) -> None:
        for doc, segs in zip(docs, segments):
            doc._.segments = segs
            set_sentence_starts(doc, segs)


def segment_text(text: str) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for line in re.finditer(r"[^\n]+", text):
        body = line.group(0)
        offset = line.start()
        bullet = _BULLET.match(body)
        kind = "list-item" if bullet else "body"
        pos = bullet.end() if bullet else 0
        pieces = _SPLIT.split(body[pos:])
        cursor = offset + pos
        for piece in pieces:
            start = text.index(piece, cursor) if piece else cursor
            stripped = piece.strip()
            if stripped:
                s = start + piece.index(stripped)
                seg = kind if kind == "list-item" else ("heading" if stripped[-1] not in ".!?\"”’:" and len(pieces) == 1 else "body")
                out.append(Segment(s, s + len(stripped), seg, None))
            cursor = start + len(piece)
    return tuple(out)


def set_sentence_starts(doc: Doc, segments: tuple[Segment, ...]) -> None:
    """Mark each segment's first token as a sentence start and every other token as not."""
    starts = set()
    for seg in segments:
        token = doc.char_span(seg.start, seg.end, alignment_mode="expand")
        if token is not None and len(token):
            starts.add(token[0].i)
    for token in doc:
        token.is_sent_start = token.i == 0 or token.i in starts
