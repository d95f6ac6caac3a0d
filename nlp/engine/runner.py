"""Running a loaded pipeline over documents: long texts cut into pieces, a failing document isolated."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from spacy.language import Language

from ..config import Config
from ..errors import Errors, InputError
from ..extensions import DATE_KEY, KIND_KEY, remember_text
from ..records import Document
from .rows import merge_results, piece_result

# Characters of text in one call of the pipeline: a long document's pieces go through a few at a
# time, each turned into light records at once, so memory stays flat in document size.
BATCH_CHARS = 400_000
_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s+"))


def split_text(text: str, max_chars: int) -> list[tuple[int, str]]:
    """Cut a text into pieces of at most max_chars at the strongest boundary available
    (blank line, line end, sentence end, white space), with each piece's offset."""
    pieces, start = [], 0
    while len(text) - start > max_chars:
        window_end = start + max_chars
        cut = None
        for pattern in _CUTS:
            matches = [m for m in pattern.finditer(text, start + max_chars // 2, window_end)]
            if matches:
                cut = matches[-1].end()
                break
        cut = cut or window_end
        pieces.append((start, text[start:cut]))
        start = cut
    pieces.append((start, text[start:]))
    return pieces


def _pieces(documents: Iterable[Document], max_chars: int) -> Iterator[tuple[str, tuple[int, int, int]]]:
    for n, doc in enumerate(documents):
        parts = split_text(doc.text, max_chars)
        for i, (offset, piece) in enumerate(parts):
            yield piece, (n, offset, len(parts) - i - 1)


def batches(items: Iterable, size: int, *, limit: int | None = None, cost=len) -> Iterator[list]:
    """Items in order, in lists of at most `size` items and (when `limit` is given, but for a single
    item) at most `limit` of their summed `cost`."""
    batch, total = [], 0
    for item in items:
        if batch and (len(batch) >= size or (limit is not None and total + cost(item) > limit)):
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += cost(item) if limit is not None else 0
    if batch:
        yield batch


class Runner:
    """Runs a loaded pipeline over documents, isolating a document that makes it fail."""

    def __init__(self, nlp: Language, config: Config) -> None:
        self.nlp = nlp
        self.config = config

    def process(self, documents: list[Document]) -> Iterator[tuple[Document, object]]:
        """Yield (document, DocResult or InputError) in order."""
        try:
            yield from self._process(documents)
        except Exception:  # noqa: BLE001 - one bad document must not sink its batch
            if len(documents) == 1:
                raise
            for doc in documents:
                try:
                    yield from self._process([doc])
                except Exception as exc:  # noqa: BLE001
                    yield doc, InputError(Errors.E017.format(doc_id=doc.doc_id, reason=exc), path=doc.source)

    def process_all(self, documents: list[Document]) -> list[tuple[Document, object]]:
        """Every document's result; unlike `process`, a single failing document is an InputError too."""
        if len(documents) == 1:
            try:
                return list(self._process(documents))
            except Exception as exc:  # noqa: BLE001
                doc = documents[0]
                return [(doc, InputError(Errors.E017.format(doc_id=doc.doc_id, reason=exc), path=doc.source))]
        return list(self.process(documents))

    def _doc(self, text: str, document: Document):
        """A tokenized Doc carrying its document's kind and date for the components that read them
        (stance; entities, for names that mean one thing only from a date on)."""
        doc = remember_text(self.nlp.make_doc(text), text)
        doc.user_data[KIND_KEY] = document.kind or "other"
        if document.date:
            doc.user_data[DATE_KEY] = document.date
        return doc

    def _process(self, documents: list[Document]) -> Iterator[tuple[Document, object]]:
        pieces = []
        results = []
        stream = _pieces(documents, self.config.max_chars)
        for group in batches(stream, self.config.batch_size, limit=BATCH_CHARS, cost=lambda piece: len(piece[0])):
            group = [(self._doc(piece, documents[ctx[0]]), ctx) for piece, ctx in group]
            for spacy_doc, (n, offset, remaining) in self.nlp.pipe(group, as_tuples=True, batch_size=len(group)):
                pieces.append(piece_result(offset, spacy_doc))
                if remaining == 0:
                    results.append((documents[n], merge_results(pieces)))
                    pieces = []
        yield from results
