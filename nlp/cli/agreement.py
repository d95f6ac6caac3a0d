"""claims agreement --db annotations/annotations.sqlite [--format table|json]"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from ..errors import ClaimsError
from ._console import fail
from ._render import render


def _fmt(value) -> str:
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def agreement(
    db: Path = typer.Option(Path("annotations/annotations.sqlite"), "--db", help="SQLite file of annotation events."),
    fmt: str = typer.Option("table", "--format", "-f", help="table or json."),
    limit: int = typer.Option(50, "--limit", help="Disagreements to list (0: none, -1: all)."),
    group: list[str] = typer.Option([], "--group", help="Pool annotators into one rater: "
                                    "NAME=annotator-a,annotator-b (repeatable), e.g. to compare two passes."),
) -> None:
    """Cohen's kappa per annotator pair and Krippendorff's alpha per layer, span F1 for entities and
    quantities, and the disagreements left to adjudicate."""
    from ..annotate.agreement import agreement_report
    from ..annotate.store import Store

    if not db.exists():
        fail(f"{db}: no such database")
    groups = {}
    for spec in group:
        name, _, members = spec.partition("=")
        if not name or not members:
            fail(f"--group {spec!r}: expected NAME=annotator,annotator")
        groups.update({member.strip(): name.strip() for member in members.split(",") if member.strip()})
    try:
        report = agreement_report(Store(db), max_disagreements=None if limit < 0 else limit, groups=groups)
    except ClaimsError as exc:
        fail(str(exc))
    if fmt == "json":
        sys.stdout.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        return
    if fmt != "table":
        fail(f"unknown --format {fmt!r}; expected table or json")
    rows = [{"layer": layer, "items": r["items"], "alpha": _fmt(r["alpha"]), "pair": f"{p['a']} / {p['b']}",
             "n": p["n"], "agreement": _fmt(p["agreement"]), "kappa": _fmt(p["kappa"])}
            for layer, r in report["layers"].items() for p in (r["pairs"] or [{"a": "-", "b": "-", "n": 0,
                                                                                "agreement": None, "kappa": None}])]
    render(rows, ("layer", "items", "alpha", "pair", "n", "agreement", "kappa"), fmt="table",
           title=f"Agreement: {', '.join(report['annotators']) or 'no annotators'}")
    spans = [{"layer": layer, "pair": f"{p['a']} / {p['b']}", "sentences": p["sentences"], "spans": f"{p['spans_a']} / "
              f"{p['spans_b']}", "matched": p["matched"], "f1": _fmt(p["f1"])}
             for layer, pairs in report["spans"].items() for p in pairs]
    render(spans, ("layer", "pair", "sentences", "spans", "matched", "f1"), fmt="table", title="Span F1 (exact span"
           " and label for entities, exact span for quantities)")
    listed = [{"layer": d["layer"], "item": d["item"], "values": "; ".join(f"{a}: {_short(d['layer'], v)}"
                                                                          for a, v in d["values"].items()),
               "settled": _short(d["layer"], d["adjudicated"]) if d["adjudicated"] is not None else "",
               "text": (d["text"] or "")[:80]} for d in report["disagreements"]]
    render(listed, ("layer", "item", "values", "settled", "text"), fmt="table",
           title=f"Disagreements ({report['n_disagreements']}, {report['n_settled']} settled; showing {len(listed)})")


def _short(layer: str, value) -> str:
    if layer in ("entity", "quantity"):
        return ", ".join(f"{s['text']}[{s.get('label') or s.get('unit')}]" for s in value) or "(none)"
    if isinstance(value, dict):
        return ", ".join(f"{v}" for v in value.values() if v is not None) or "-"
    return str(value)
