"""claims report OUT: the claim table and per-document summary of a run."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import ClaimsError, ConfigError, Errors
from ._console import fail
from ._render import FORMATS, render


def report(
    out: Path = typer.Argument(..., help="A `claims run` output folder."),
    entity: str | None = typer.Option(None, "--entity", help="Only claims mentioning this entity id or name."),
    unit: str | None = typer.Option(None, "--unit", help="Only quantities in this unit (gbp, percent, …)."),
    doc: str | None = typer.Option(None, "--doc", help="Only documents whose id starts with this."),
    kind: str | None = typer.Option(None, "--kind", help="Only documents of this kind (blog, report, …)."),
    claim_type: str | None = typer.Option(None, "--type", help="Only claims of this type (numeric, factual, evaluative)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, json or markdown."),
    summary_only: bool = typer.Option(False, "--summary", help="Only the per-document summary."),
) -> None:
    """Print the claim table and a per-document summary."""
    from ..report import CLAIM_COLUMNS, SUMMARY_COLUMNS, ClaimFilter, claim_table, document_summary

    try:
        if fmt not in FORMATS:
            raise ConfigError(Errors.E012.format(value=fmt, option="--format", allowed=", ".join(FORMATS)))
        filters = ClaimFilter(entity=entity, unit=unit, doc=doc, kind=kind, type=claim_type)
        summary = document_summary(out)
        if not summary_only:
            claims = claim_table(out, filters)
            render(claims, CLAIM_COLUMNS, fmt=fmt, title=f"Claims ({len(claims)} rows)")
        if fmt == "table" or summary_only:
            if filters.doc or filters.kind:
                summary = [r for r in summary if r["doc_id"].startswith(filters.doc or "")
                           and (not filters.kind or r["kind"] == filters.kind)]
            render(summary, SUMMARY_COLUMNS, fmt=fmt, title=f"Documents ({len(summary)})")
    except ClaimsError as exc:
        fail(str(exc))
