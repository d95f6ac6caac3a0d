"""claims run INPUT... --out DIR"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ..config import Config
from ..errors import ClaimsError
from ._console import err, fail


def run(
    inputs: list[Path] = typer.Argument(..., help="Files and folders (recursively): .txt .md .html .pdf .jsonl"),
    out: Path = typer.Option(..., "--out", "-o", help="Output folder (created if missing)."),
    config_file: Path | None = typer.Option(None, "--config", help="TOML file overriding defaults (nlp/config.py)."),
    batch_size: int | None = typer.Option(None, "--batch-size", help="Documents per nlp.pipe batch."),
    no_ner: bool = typer.Option(False, "--no-ner", help="Skip spaCy's statistical NER (faster; gazetteer only)."),
) -> None:
    """Process a corpus and write SPEC §1's output files into OUT."""
    from ..run import run_corpus

    try:
        config = Config.from_toml(config_file) if config_file else Config()
    except ClaimsError as exc:
        fail(str(exc))
    if batch_size:
        config = config.replace(batch_size=batch_size)
    if no_ner:
        config = config.replace(use_ner=False)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=not err.is_terminal) as progress:
        task = progress.add_task("documents", total=None)
        summary = run_corpus(
            inputs, out, config=config,
            on_error=lambda message: err.print(f"[yellow]skipped:[/] {message}", soft_wrap=True),
            on_document=lambda _doc: progress.advance(task),
        )
    err.print(f"{summary.documents} documents, {summary.sentences} sentences, {summary.words} words in "
              f"{summary.seconds:.1f}s ({summary.words_per_second:,.0f} words/s); "
              f"{len(summary.failures)} failed; outputs in {out}/")
    if summary.failures:
        raise typer.Exit(2 if summary.documents else 1)
