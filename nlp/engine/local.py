"""Engines run the pipeline over jobs (lists of documents) and yield each job's results in order.

An engine has `pipe_names` (what the pipeline it runs is made of: part of the cache key),
`map(jobs)` and `close()`. `jobs` yields (context, documents); `map` yields (context, results)
in the same order, results being [(Document, DocResult | InputError)]. The caller commits each
job's results as one shard and writes the rows; engines never write.

- `LocalEngine`: in this process, with a loaded pipeline.
- `ProcessEngine` (`--workers N`): N local processes, each loading the pipeline once. spaCy's own
  `nlp.pipe(n_process=N)` cannot be used: it sends Docs between processes as msgpack, which cannot
  carry our records in `Doc._`; a worker here returns plain `DocResult`s (pickled) instead.
- `DaskEngine` (`--engine dask`, nlp/engine/dask.py): the same worker function on a Dask cluster.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from spacy.language import Language

from ..config import Config
from ..errors import InputError
from ..records import Document
from .runner import Runner

# Per-process cache of loaded pipelines: a worker loads each pipeline once, not once per job.
_LOADED: dict[str, Language] = {}


@dataclass(frozen=True)
class PipelineSpec:
    """How a worker builds the pipeline: picklable, so it can travel to other processes and machines."""

    config: Config
    components: tuple[str, ...] | None = None
    # The default models folder where the spec was made (field default: evaluated there).
    maker_models_dir: str = field(default_factory=lambda: Config().models_dir)

    @property
    def key(self) -> str:
        return repr((self.config, self.components))

    def local_config(self) -> Config:
        """The config for this machine: one still pointing at the default models folder of the
        machine that made the spec uses this machine's default (a cluster worker may have the
        toolkit installed elsewhere); an explicit models_dir is kept."""
        if self.config.models_dir == self.maker_models_dir:
            return self.config.replace(models_dir=Config().models_dir)
        return self.config

    def load(self) -> Language:
        """The pipeline, loaded once per process."""
        if self.key not in _LOADED:
            from ..pipeline import load

            _LOADED[self.key] = load(self.local_config(), components=self.components)
        return _LOADED[self.key]


def watch_parent(parent: int, interval: float = 0.5) -> None:
    """A worker's initializer: a daemon thread ends the worker once its parent is gone (a parent
    killed with -9 cannot shut its pool down, and an orphaned worker would hold its memory)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(interval)
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def process_documents(spec: PipelineSpec, documents: list[Document]) -> list[tuple[int, object]]:
    """The worker function: (position, DocResult or error message) for each document."""
    runner = Runner(spec.load(), spec.config)
    out = []
    for n, (_doc, result) in enumerate(runner.process_all(documents)):
        out.append((n, str(result) if isinstance(result, InputError) else result))
    return out


def pipe_names_of(spec: PipelineSpec) -> list[str]:
    return list(spec.load().pipe_names)


def rebuild(documents: list[Document], results: list[tuple[int, object]]) -> list[tuple[Document, object]]:
    """A worker's answer back to (Document, DocResult | InputError) pairs."""
    pairs = []
    for n, result in results:
        doc = documents[n]
        pairs.append((doc, InputError(result, path=doc.source) if isinstance(result, str) else result))
    return pairs


def ordered(jobs: Iterable[tuple[object, list[Document]]], submit: Callable, collect: Callable,
            window: int) -> Iterator[tuple[object, list]]:
    """Submit jobs ahead (at most `window` in flight) and yield their results in submission order."""
    in_flight: deque = deque()
    for context, documents in jobs:
        in_flight.append((context, documents, submit(documents) if documents else None))
        if len(in_flight) >= window:
            yield _collect_one(in_flight.popleft(), collect)
    while in_flight:
        yield _collect_one(in_flight.popleft(), collect)


def _collect_one(item, collect) -> tuple[object, list]:
    context, documents, handle = item
    return context, (rebuild(documents, collect(handle)) if handle is not None else [])


class LocalEngine:
    def __init__(self, nlp: Language, config: Config) -> None:
        self.runner = Runner(nlp, config)
        self.pipe_names = list(nlp.pipe_names)

    def map(self, jobs: Iterable[tuple[object, list[Document]]]) -> Iterator[tuple[object, list]]:
        for context, documents in jobs:
            yield context, (self.runner.process_all(documents) if documents else [])

    def close(self) -> None:
        pass


class ProcessEngine:
    """`workers` local processes (spawned, so nothing of this process's state leaks into them)."""

    def __init__(self, spec: PipelineSpec, workers: int) -> None:
        self.spec = spec
        self.workers = workers
        self._pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=watch_parent, initargs=(os.getpid(),))
        self.pipe_names = self._pool.submit(pipe_names_of, spec).result()

    def map(self, jobs: Iterable[tuple[object, list[Document]]]) -> Iterator[tuple[object, list]]:
        yield from ordered(jobs, lambda docs: self._pool.submit(process_documents, self.spec, docs),
                           lambda future: future.result(), window=2 * self.workers)

    def close(self) -> None:
        self._pool.shutdown(cancel_futures=True)
