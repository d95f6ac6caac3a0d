"""claims eval OUT --gold annotations/ [--split test]"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..errors import ClaimsError
from ._console import fail
from ._render import render


def evaluate(
    out: Path = typer.Argument(..., help="A `claims run` output folder."),
    gold: Path = typer.Option(Path("annotations"), "--gold", help="Annotations folder (gold/*.jsonl, split.json)."),
    split: str | None = typer.Option(None, "--split", help="train, dev or test (split.json); default: every gold document."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
) -> None:
    """Score a run against gold annotations with SPEC §7's definitions, every layer."""
    from ..eval import evaluate_run

    try:
        scores = evaluate_run(out, gold, split=split)
    except ClaimsError as exc:
        fail(str(exc))
    if fmt == "json":
        sys.stdout.write(json.dumps(scores, indent=2) + "\n")
        return
    rows = [{"layer": layer, "metric": metric, "value": value}
            for layer, metrics in scores.items() if isinstance(metrics, dict) for metric, value in metrics.items()]
    render(rows, ("layer", "metric", "value"), fmt=fmt if fmt != "json" else "table",
           title=f"{scores['documents']['n']} gold documents" + (f" ({split} split)" if split else ""))
