"""claims run INPUT... --out DIR"""

from __future__ import annotations

import time
from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from ..config import Config
from ..errors import ClaimsError, ConfigError, Errors
from ._console import err, fail


def run(
    inputs: list[Path] = typer.Argument(..., help="Files and folders (recursively): .txt .md .html .pdf .jsonl"),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder (created if missing)."),
    config_file: Path | None = typer.Option(None, "--config", help="TOML file overriding defaults (nlp/config.py)."),
    batch_size: int | None = typer.Option(None, "--batch-size", help="Documents per nlp.pipe batch."),
    workers: int | None = typer.Option(None, "--workers",
                                       help="Local worker processes, each with its own pipeline (default: config n_process)."),
    output_format: str = typer.Option("jsonl", "--format", help="Output tables as jsonl or parquet."),
    engine: str = typer.Option("local", "--engine", help="local, or dask (with --scheduler)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Dask scheduler address (tcp://host:8786)."),
    components: str | None = typer.Option(None, "--components", help="Only these of our components, comma-separated."),
    shard_size: int = typer.Option(64, "--shard-size", help="Documents per committed shard (the unit of resume)."),
    fresh: bool = typer.Option(False, "--fresh", help="Ignore results cached in OUT/.work by earlier runs."),
    no_ner: bool = typer.Option(False, "--no-ner", help="Skip spaCy's statistical NER (faster; gazetteer only)."),
    no_links: bool = typer.Option(False, "--no-links", help="Skip linking claims across documents (links.jsonl)."),
) -> None:
    """Process a corpus and write SPEC §1's output files into OUT (resumable; unchanged documents reused)."""
    try:
        config = _config(config_file, batch_size, no_ner, output_format)
        if no_links:
            config = config.replace(links=False)
        summary = _run(inputs, out, config, output_format, engine, scheduler, workers, components,
                       dict(fresh=fresh, shard_size=shard_size))
    except ClaimsError as exc:
        fail(str(exc))
    err.print(f"{summary.documents} documents (reused {summary.reused}, processed {summary.processed}), "
              f"{summary.sentences} sentences, {summary.words} words in {summary.seconds:.1f}s "
              f"({summary.words_per_second:,.0f} words/s processed); "
              f"{len(summary.failures)} failed; outputs in {out}/", soft_wrap=True)
    if summary.failures:
        raise typer.Exit(2 if summary.documents else 1)


def _config(config_file: Path | None, batch_size: int | None, no_ner: bool, output_format: str) -> Config:
    from ..engine.writer import FORMATS

    if output_format not in FORMATS:
        raise ConfigError(Errors.E012.format(value=output_format, option="--format", allowed=", ".join(FORMATS)))
    config = Config.from_toml(config_file) if config_file else Config()
    if batch_size:
        config = config.replace(batch_size=batch_size)
    if no_ner:
        config = config.replace(use_ner=False)
    return config


def _run(inputs, out, config, output_format, engine_name, scheduler, workers, components, options):
    from ..engine import make_engine
    from ..engine.corpus import count_documents
    from ..engine.run import run_corpus

    names = tuple(c.strip() for c in components.split(",") if c.strip()) if components else None
    engine = make_engine(engine_name, config=config, components=names, workers=workers or config.n_process,
                         scheduler=scheduler)
    total = count_documents(inputs, exclude=[out]) if err.is_terminal else None
    counts = {"words": 0, "failed": 0}
    started = time.perf_counter()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[rate]} words/s"), TextColumn("[yellow]{task.fields[failed]} failed"),
                  TimeElapsedColumn(), TimeRemainingColumn(), console=err, transient=True,
                  disable=not err.is_terminal) as progress:
        task = progress.add_task("documents", total=total, rate="0", failed=0)

        def on_document(document) -> None:
            counts["words"] += len(document.text.split())
            rate = counts["words"] / max(time.perf_counter() - started, 1e-6)
            progress.update(task, advance=1, rate=f"{rate:,.0f}")

        def on_error(message: str) -> None:
            counts["failed"] += 1
            progress.update(task, failed=counts["failed"])
            progress.console.print(f"[yellow]skipped:[/] {message}", soft_wrap=True)

        try:
            return run_corpus(inputs, out, config=config, engine=engine, output_format=output_format,
                              on_error=on_error, on_document=on_document, **options)
        finally:
            engine.close()
