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
    by: str | None = typer.Option(None, "--by", help="Also score each group of documents: site or kind."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, json, csv or markdown."),
    baselines: bool = typer.Option(True, "--baselines/--no-baselines",
                                   help="On dev or test: stance baselines and human agreement beside the run's."),
) -> None:
    """Score a run against gold annotations with SPEC §7's definitions, every layer."""
    from ..eval import evaluate_run

    try:
        scores = evaluate_run(out, gold, split=split, by=by, baselines=baselines)
    except ClaimsError as exc:
        fail(str(exc))
    if fmt == "json":
        sys.stdout.write(json.dumps(scores, indent=2) + "\n")
        return
    groups = scores.pop(f"by_{by}", {}) if by else {}
    rows = [{"layer": layer, "metric": metric, "value": value}
            for layer, metrics in scores.items() if isinstance(metrics, dict) for metric, value in metrics.items()]
    render(rows, ("layer", "metric", "value"), fmt=fmt,
           title=f"{scores['documents']['n']} gold documents" + (f" ({split} split)" if split else ""))
    if groups:
        render([_group_row(by, group, layers) for group, layers in groups.items()], (by,) + GROUP_COLUMNS, fmt=fmt,
               title=f"by {by}")


# The headline figure of each layer, one row per site or kind.
GROUP_COLUMNS = ("docs", "sentences_f1", "entities_f1", "quantities_f1", "claims_f1", "stance_macro_f1", "stance_n")


def _group_row(by: str, group: str, layers: dict) -> dict:
    stance = layers.get("stance", {})
    return {by: group, "docs": layers["documents"]["n"],
            "sentences_f1": layers["sentences"]["f1"], "entities_f1": layers["entities"]["f1"],
            "quantities_f1": layers["quantities"]["f1"], "claims_f1": layers["claims"]["f1"],
            "stance_macro_f1": stance.get("macro_f1"), "stance_n": stance.get("n")}
