"""The corpus run, top-down: `run.run_corpus` (the one entry the CLI calls) reads documents
(nlp.ingest), groups them into shards, has an engine (local, process pool, Dask) run the pipeline
over each (`runner`: long texts in pieces), commits results to the work store (`store`: resumable,
incremental), turns them into rows (`rows`) and writes the output files atomically (`writer`,
Parquet in `parquet`); `outputs` reads a finished output folder back for every other layer."""

from importlib import import_module

# Loaded on first use: `outputs` (read by eval, report, annotate and the link step) must not pull in
# spaCy and torch through `local` (~300 MB and ~3 s before a link step has read one row).
_LAZY = {"LocalEngine": "local", "PipelineSpec": "local", "ProcessEngine": "local",
         "ShardStore": "store", "cache_key": "store", "config_hash": "store"}

__all__ = ["make_engine", "LocalEngine", "PipelineSpec", "ProcessEngine", "ShardStore", "cache_key", "config_hash"]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def make_engine(name: str, *, config, components=None, workers: int = 1, scheduler: str | None = None, nlp=None):
    """The engine a run asks for: 'local' (in this process, or `workers` processes) or 'dask'."""
    from ..errors import ConfigError, Errors
    from .local import LocalEngine, PipelineSpec, ProcessEngine

    spec = PipelineSpec(config, tuple(components) if components else None)
    if name == "dask":
        from .dask import DaskEngine

        return DaskEngine(spec, scheduler=scheduler)
    if name != "local":
        raise ConfigError(Errors.E012.format(value=name, option="--engine", allowed="local, dask"))
    if workers > 1:
        return ProcessEngine(spec, workers)
    return LocalEngine(nlp or spec.load(), config)
