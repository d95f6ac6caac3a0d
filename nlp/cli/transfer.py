"""claims export --db … --format jsonl|labelstudio|docbin --out PATH, and claims import."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..errors import ClaimsError
from ._console import err, fail

_FORMAT_HELP = ("jsonl (gold files, one per document, into a folder), labelstudio (a JSON file) or docbin "
                "(a .spacy file).")


def export(
    db: Path = typer.Option(Path("annotations/annotations.sqlite"), "--db", help="SQLite file of annotation events."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help=_FORMAT_HELP),
    out: Path = typer.Option(..., "--out", "-o", help="Folder (jsonl) or file to write."),
    annotator: str | None = typer.Option(None, "--annotator", help="Only this annotator's labels (default: "
                                                                   "adjudications, then the majority)."),
    all_sentences: bool = typer.Option(False, "--all", help="Also sentences labelled but not marked done."),
) -> None:
    """Write the labels out: jsonl is the project's gold format, ready for `claims eval` and training."""
    from ..annotate.formats import export_labels
    from ..annotate.store import Store

    if not db.exists():
        fail(f"{db}: no such database")
    try:
        counts = export_labels(Store(db), fmt, out, annotator=annotator, unfinished=all_sentences)
    except ClaimsError as exc:
        fail(str(exc))
    sys.stdout.write(json.dumps({"format": fmt, "out": str(out), **counts}) + "\n")
    if counts.get("ties"):
        err.print(f"[yellow]warning:[/] {counts['ties']} labels tied between annotators; the most recent was used. "
                  "Settle them in the app's adjudication view (`claims agreement` lists them).", soft_wrap=True)
    if counts.get("left_out"):
        err.print(f"[yellow]warning:[/] {counts['left_out']} labelled sentences are not marked done and were left "
                  "out; finish them in the app or export them too with --all", soft_wrap=True)
    err.print(f"exported to {out}")


def import_(
    path: Path = typer.Argument(..., help="File or folder to read (jsonl: a file or a folder of *.jsonl)."),
    db: Path = typer.Option(Path("annotations/annotations.sqlite"), "--db", help="SQLite file of annotation events."),
    fmt: str = typer.Option("jsonl", "--format", "-f", help=_FORMAT_HELP),
    annotator: str | None = typer.Option(None, "--annotator", help="Annotator for records that name none."),
    run_dir: Path | None = typer.Option(None, "--run", help="Also load this `claims run` folder (documents, "
                                                          "sentences, model suggestions) first."),
) -> None:
    """Read labels into the database as events, keeping each label's annotator and time."""
    from ..annotate.formats import import_labels
    from ..annotate.loader import load_run
    from ..annotate.store import Store

    try:
        store = Store(db)
        if run_dir is not None:
            load_run(store, run_dir)
        counts = import_labels(store, fmt, path, annotator=annotator)
    except ClaimsError as exc:
        fail(str(exc))
    sys.stdout.write(json.dumps({"format": fmt, "path": str(path), **counts}) + "\n")
    err.print(f"imported into {db}")
