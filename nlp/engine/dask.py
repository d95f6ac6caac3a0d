"""`claims run --engine dask --scheduler ADDRESS`: the same pipeline on a Dask distributed cluster.

Why Dask rather than Ray: `pip install "dask[distributed]"` is pure Python with no native
services to build or run; `distributed.LocalCluster` gives a real multi-process cluster inside a
test on a 2-core machine; a researcher's existing cluster (SLURM/PBS via dask-jobqueue,
Kubernetes via dask-kubernetes, or `dask scheduler` + `dask worker` by hand) is reached with one
address; and futures carry arbitrary picklable Python objects (our `DocResult`s), so nothing about
the pipeline changes. Ray would add a large binary wheel and its own object store for no gain in a
job that is embarrassingly parallel over documents.

How it works: the client (the machine running `claims run`) reads the corpus, cuts it into
shards and submits each shard's uncached documents as one task, at most two per worker in flight.
Each worker builds the pipeline once (`PipelineSpec.load` caches it in the worker process) and
returns plain `DocResult`s. The client commits each shard to the work folder and writes the rows,
exactly as the local engine does, so outputs, resume and the cache are identical across engines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from ..errors import ConfigError, Errors
from ..records import Document
from .local import PipelineSpec, ordered, pipe_names_of, process_documents


class DaskEngine:
    def __init__(self, spec: PipelineSpec, *, scheduler: str | None = None, client=None) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise ConfigError(Errors.E019) from exc
        self.spec = spec
        self._own_client = client is None
        try:
            self.client = client if client is not None else Client(scheduler)
        except (OSError, TimeoutError) as exc:
            raise ConfigError(Errors.E020.format(address=scheduler, reason=exc)) from exc
        # One small task first: it loads the pipeline on a worker and says what it is made of.
        self.pipe_names = self.client.submit(pipe_names_of, spec, pure=False).result()
        workers = max(len(self.client.scheduler_info().get("workers", {})), 1)
        self.window = 2 * workers

    def map(self, jobs: Iterable[tuple[object, list[Document]]]) -> Iterator[tuple[object, list]]:
        yield from ordered(jobs, self._submit, lambda future: future.result(), window=self.window)

    def _submit(self, documents: list[Document]):
        return self.client.submit(process_documents, self.spec, documents, pure=False)

    def close(self) -> None:
        if self._own_client:
            self.client.close()
