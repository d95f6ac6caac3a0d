"""`claims run`: a corpus in, SPEC §1's output files out. Importable; the CLI is a thin wrapper."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from . import PIPELINE_VERSION
from .config import Config
from .errors import Errors, InputError
from .export import OUTPUT_FILES, merge_pieces, rows_for
from .ingest import read_documents
from .records import Document
from .writer import OutputWriter, remove_stale

BASE_FILES = ("documents", "sentences", "entities", "quantities", "claims")
_CUTS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s+"))


@dataclass
class RunSummary:
    documents: int = 0
    sentences: int = 0
    words: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def words_per_second(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0


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

    def _process(self, documents: list[Document]) -> Iterator[tuple[Document, object]]:
        pieces: list[tuple[int, object]] = []
        stream = self.nlp.pipe(_pieces(documents, self.config.max_chars), as_tuples=True,
                               batch_size=self.config.batch_size)
        results = []
        for spacy_doc, (n, offset, remaining) in stream:
            pieces.append((offset, spacy_doc))
            if remaining == 0:
                results.append((documents[n], merge_pieces(pieces)))
                pieces = []
        yield from results


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def run_corpus(
    inputs: Iterable[str | Path],
    out_dir: str | Path,
    *,
    config: Config | None = None,
    nlp: Language | None = None,
    on_error: Callable[[str], None] | None = None,
    on_document: Callable[[Document], None] | None = None,
) -> RunSummary:
    """Process every document under the inputs and write the output files into out_dir."""
    from .pipeline import load

    config = config or Config()
    nlp = nlp or load(config)
    summary, seen = RunSummary(), set()
    started = time.perf_counter()
    writes_stance = "claims_stance" in nlp.pipe_names
    names = BASE_FILES + (("stance",) if writes_stance else ())

    def fail(message: str) -> None:
        summary.failures.append(message)
        if on_error:
            on_error(message)

    def good_documents() -> Iterator[Document]:
        for item in read_documents(inputs):
            if isinstance(item, InputError):
                fail(str(item))
            elif item.doc_id in seen:
                fail(Errors.E014.format(doc_id=item.doc_id, path=item.source))
            else:
                seen.add(item.doc_id)
                yield item

    with OutputWriter(out_dir, names) as writer:
        runner = Runner(nlp, config)
        for batch in _batches(good_documents(), config.batch_size):
            for document, result in runner.process(batch):
                if isinstance(result, InputError):
                    fail(str(result))
                    continue
                for name, rows in rows_for(document, result).items():
                    if name in names:
                        writer.write(name, rows)
                summary.documents += 1
                summary.sentences += len(result.segments)
                summary.words += len(document.text.split())
                if on_document:
                    on_document(document)
        summary.seconds = time.perf_counter() - started
        writer.write_json("run.json", {
            "pipeline_version": PIPELINE_VERSION, "documents": summary.documents, "sentences": summary.sentences,
            "words": summary.words, "seconds": round(summary.seconds, 3), "failures": summary.failures,
            "pipeline": nlp.pipe_names, "files": list(names),
        })
    remove_stale(out_dir, tuple(n for n in OUTPUT_FILES if n not in names))
    return summary
