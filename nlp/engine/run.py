"""`claims run`: a corpus in, SPEC §1's output files out. Importable; the CLI is a thin wrapper.

A run streams: documents are read one at a time, grouped into shards of `shard_size`, and each
shard's documents that the work folder (`DIR/.work/`, nlp/engine/store.py) has no result for are
sent to the engine. Each shard's fresh results are committed to the work folder at once (so a run
killed at any moment loses at most the shards in flight), and every document's rows, fresh or
reused, are streamed in input order into the output files, which are moved into place when the
run completes. Running the same command again after a kill reuses every committed shard; running
it over a corpus where a few documents changed processes only those (the cache key is the text's
sha256 + PIPELINE_VERSION + a hash of the config and pipeline).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from .. import PIPELINE_VERSION
from ..config import Config
from ..errors import Errors, InputError
from ..ingest import read_documents
from ..records import Document
from .local import LocalEngine
from .rows import OUTPUT_FILES, rows_for
from .runner import Runner, batches, split_text  # noqa: F401  (re-exported: part of this module's API)
from .store import ShardStore, config_hash
from .writer import OutputWriter, remove_stale

BASE_FILES = ("documents", "sentences", "entities", "quantities", "claims")
# Documents per shard: the unit of commit (a kill loses at most the shards in flight) and of work
# sent to a worker. Larger amortises per-shard overhead; smaller loses less on a kill.
SHARD_SIZE = 64


@dataclass
class RunSummary:
    documents: int = 0
    sentences: int = 0
    words: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    processed: int = 0  # documents the pipeline ran over in this run
    reused: int = 0  # documents whose results came from the work folder (an earlier or killed run)
    processed_words: int = 0

    @property
    def words_per_second(self) -> float:
        """Words of the documents processed in this run (reused ones cost nothing) per second."""
        return self.processed_words / self.seconds if self.seconds else 0.0


def _jobs(documents: Iterable[Document], store: ShardStore, shard_size: int) -> Iterator[tuple[list, list]]:
    """(shard: [(document, key)], documents of the shard the store has no result for)."""
    for chunk in batches(documents, shard_size):
        shard = [(doc, store.key(doc)) for doc in chunk]
        store.mark_used(key for _, key in shard)
        yield shard, [doc for doc, key in shard if not store.has(key)]


def run_corpus(
    inputs: Iterable[str | Path],
    out_dir: str | Path,
    *,
    config: Config | None = None,
    nlp: Language | None = None,
    on_error: Callable[[str], None] | None = None,
    on_document: Callable[[Document], None] | None = None,
    engine=None,
    shard_size: int = SHARD_SIZE,
    output_format: str = "jsonl",
    fresh: bool = False,
    corpus_step: Callable[[Path], Iterable[str]] | None = None,
) -> RunSummary:
    """Process every document under the inputs and write the output files into out_dir.

    engine: a LocalEngine (default, in this process, with `nlp` or the pipeline `config` loads),
    ProcessEngine or DaskEngine (nlp/engine/). fresh: ignore and clear the work folder's results.
    corpus_step: see the hook below.
    """
    config, inputs = config or Config(), list(inputs)
    if corpus_step is None and config.links:
        corpus_step = link_step
    if engine is None:
        from ..pipeline import load

        engine = LocalEngine(nlp or load(config), config)
    summary = RunSummary()
    started = time.perf_counter()
    names = BASE_FILES + (("stance",) if "claims_stance" in engine.pipe_names else ())

    def fail(message: str) -> None:
        summary.failures.append(message)
        if on_error:
            on_error(message)


    with ShardStore(out_dir, config_hash(config, engine.pipe_names)) as store, \
            OutputWriter(out_dir, names, output_format=output_format) as writer:
        if fresh:
            store.clear()
        skipped: Counter = Counter()
        documents = _readable_documents(inputs, fail, exclude=[out_dir], skipped=skipped)
        for shard, results in engine.map(_jobs(documents, store, shard_size)):
            _write_shard(shard, results, store, writer, summary, fail, on_document)
        if not summary.documents:  # never replace an earlier run's outputs with empty files
            raise InputError(Errors.E023.format(inputs=", ".join(map(str, inputs)),
                                                found=_nothing_found(summary, skipped)))
        store.prune()
        tables = writer.finish_tables()
        # ---- HOOK: corpus-level steps over the finished tables -------------------------------
        # Every document's rows are written and closed in `tables` (NAME.jsonl, input order).
        # A corpus-level step (build_links, issue 4) reads them there, writes its own tables
        # (links.jsonl) into the same folder and returns their names; they are committed
        # atomically with the rest (and converted to Parquet with --format parquet).
        for name in (corpus_step(tables) if corpus_step else ()):
            writer.add_table(name)
        # ---------------------------------------------------------------------------------------
        summary.seconds = time.perf_counter() - started
        writer.write_json("run.json", _run_record(summary, engine.pipe_names, writer.names, output_format))
    remove_stale(out_dir, tuple(n for n in OUTPUT_FILES if n not in writer.names), keep_format=output_format)
    return summary


def _write_shard(shard, results, store, writer, summary, fail, on_document) -> None:
    """Commit a shard's fresh results, then write every document's rows in input order."""
    keys = {doc.doc_id: key for doc, key in shard}
    fresh = {doc.doc_id: result for doc, result in results}
    store.commit_shard([(doc.doc_id, keys[doc.doc_id], result) for doc, result in results
                        if not isinstance(result, InputError)])
    for document, key in shard:
        result = fresh.get(document.doc_id)
        if result is None:
            result = store.get(key)
            if result is None:  # committed once but unreadable now: should not happen
                fail(Errors.E017.format(doc_id=document.doc_id, reason="cached result lost"))
                continue
            summary.reused += 1
        elif isinstance(result, InputError):
            fail(str(result))
            continue
        else:
            summary.processed += 1
            summary.processed_words += len(document.text.split())
        for name, rows in rows_for(document, result).items():
            if name in writer.names:
                writer.write(name, rows)
        summary.documents += 1
        summary.sentences += len(result.segments)
        summary.words += len(document.text.split())
        if on_document:
            on_document(document)


def _nothing_found(summary: RunSummary, skipped: Counter) -> str:
    parts = [f"{len(summary.failures)} failed"] if summary.failures else []
    if skipped:
        kinds = ", ".join(f"{n} {suffix}" for suffix, n in sorted(skipped.items()))
        parts.append(f"{sum(skipped.values())} files of unsupported types skipped: {kinds}")
    return "; ".join(parts) or "no .txt, .md, .html, .pdf or .jsonl files found"


def _readable_documents(inputs, fail: Callable[[str], None], **discovery) -> Iterator[Document]:
    """Documents that could be read, each doc_id once; every other input reported through `fail`."""
    seen: set[str] = set()
    for item in read_documents(inputs, **discovery):
        if isinstance(item, InputError):
            fail(str(item))
        elif item.doc_id in seen:
            fail(Errors.E014.format(doc_id=item.doc_id, path=item.source))
        else:
            seen.add(item.doc_id)
            yield item


def link_step(tables: Path) -> tuple[str, ...]:
    """The default corpus-level step: link claims across documents into links.jsonl (SPEC §6)."""
    from ..links import write_links

    write_links(tables)
    return ("links",)


def _run_record(summary: RunSummary, pipe_names, names, output_format: str) -> dict:
    return {
        "pipeline_version": PIPELINE_VERSION, "documents": summary.documents, "sentences": summary.sentences,
        "words": summary.words, "seconds": round(summary.seconds, 3), "failures": summary.failures,
        "processed": summary.processed, "reused": summary.reused, "pipeline": list(pipe_names),
        "files": list(names), "format": output_format,
    }
