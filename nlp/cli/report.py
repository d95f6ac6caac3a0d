"""claims report OUT: the claim table and per-document summary of a run; --stance, --links views."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import ClaimsError, ConfigError, Errors
from ._console import fail
from ._render import FORMATS, render


def report(
    out: Path = typer.Argument(..., help="A `claims run` output folder."),
    entity: str | None = typer.Option(None, "--entity", help="Only claims (or links) mentioning this entity id or name."),
    unit: str | None = typer.Option(None, "--unit", help="Only quantities in this unit (gbp, percent, …)."),
    doc: str | None = typer.Option(None, "--doc", help="Only documents whose id starts with this."),
    kind: str | None = typer.Option(None, "--kind", help="Only documents of this kind (blog, report, …)."),
    claim_type: str | None = typer.Option(None, "--type", help="Only claims of this type (numeric, factual, evaluative)."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, csv, json or markdown."),
    summary_only: bool = typer.Option(False, "--summary", help="Only the per-document summary."),
    stance: bool = typer.Option(False, "--stance", help="Stance toward the target, aggregated (see --by)."),
    by: str = typer.Option("document", "--by", help="With --stance: document, speaker, kind, year or month. With "
                                                    "--links: measure (a timeline, update chains and contradictions "
                                                    "per measure of each claim's frame)."),
    cell: str | None = typer.Option(None, "--cell", help="With --stance: the sentences behind a cell, GROUP or "
                                    "GROUP=LABEL, with the model's confidence and `why`: the words (or the "
                                    "neighbouring sentences, `context`) that drove the label, each weighted by the "
                                    "drop in the label's probability when it is removed (occlusion)."),
    why: bool = typer.Option(True, "--why/--no-why", help="With --cell: compute the `why` column (about 10 ms a "
                                                          "sentence with the default model)."),
    model: Path | None = typer.Option(None, "--model", help="With --cell: the stance model folder to explain with "
                                                            "(default: the one `claims run` uses, models/stance)."),
    links: bool = typer.Option(False, "--links", help="Links across sources: contradictions, updates, repeats."),
    measure: str | None = typer.Option(None, "--measure", help="With --links: only links about this measure (text)."),
    html: Path | None = typer.Option(None, "--html", help="Write a one-file HTML report (opens offline) to this "
                                                          "file; with --format json, the data behind it."),
) -> None:
    """Print the claim table and a per-document summary (or the stance view), or write the HTML report."""
    try:
        if fmt not in FORMATS:
            raise ConfigError(Errors.E012.format(value=fmt, option="--format", allowed=", ".join(FORMATS)))
        if html is not None:
            _html(out, html, fmt=fmt)
        elif links:
            _links(out, entity=entity, measure=measure, fmt=fmt, by=by)
        elif stance:
            _stance(out, by=by, cell=cell, fmt=fmt, why=why, model=model)
        else:
            _claims(out, entity=entity, unit=unit, doc=doc, kind=kind, claim_type=claim_type, fmt=fmt,
                    summary_only=summary_only)
    except ClaimsError as exc:
        fail(str(exc))


def _html(out, path: Path, *, fmt: str) -> None:
    from ..reports.html import write_report
    from ._console import err

    written = write_report(out, path, fmt="json" if fmt == "json" else "html")
    err.print(f"wrote {written['path']} ({written['bytes'] / 1e6:.1f} MB)", soft_wrap=True)
    for what, reason in written["truncated"].items():
        err.print(f"[yellow]{what}:[/] {reason}", soft_wrap=True)


def _claims(out, *, entity, unit, doc, kind, claim_type, fmt, summary_only) -> None:
    from ..reports.claims import CLAIM_COLUMNS, SUMMARY_COLUMNS, ClaimFilter, claim_table, document_summary

    filters = ClaimFilter(entity=entity, unit=unit, doc=doc, kind=kind, type=claim_type)
    summary = document_summary(out)
    if not summary_only:
        claims = claim_table(out, filters)
        render(claims, CLAIM_COLUMNS, fmt=fmt, title=f"Claims ({len(claims)} rows)")
    if fmt == "table" or summary_only:
        summary = [r for r in summary if r["doc_id"].startswith(doc or "") and (not kind or r["kind"] == kind)]
        render(summary, SUMMARY_COLUMNS, fmt=fmt, title=f"Documents ({len(summary)})")


def _stance(out, *, by: str, cell: str | None, fmt: str, why: bool = True, model: Path | None = None) -> None:
    from ..engine.outputs import check_out_dir
    from ..reports.stance import GROUPINGS, cell_sentences, explain_rows, stance_columns, stance_table
    from ..stance.explain import format_cues
    from ._console import err

    if by not in GROUPINGS:
        raise ConfigError(Errors.E012.format(value=by, option="--by", allowed=", ".join(GROUPINGS)))
    if not (check_out_dir(out) / "stance.jsonl").exists():
        raise ClaimsError(Errors.E010.format(path=out, name="stance.jsonl"))
    if cell:
        group, _, label = cell.partition("=")
        rows = cell_sentences(out, by=by, group=group, label=label or None)
        columns = ("doc_id", "sent_id", "label", "confidence", "speaker", "text")
        if why:
            rows, differ = explain_rows(out, rows, model_dir=model) if rows else (rows, 0)
            if differ:
                err.print(f"[yellow]{differ} of {len(rows)} sentences get another label or confidence from the "
                          f"model than in this run: was it run with another model? (--model DIR)[/]", soft_wrap=True)
            if fmt != "json":
                rows = [dict(r, why=format_cues(r["why"])) for r in rows]
            columns = ("doc_id", "sent_id", "label", "confidence", "why", "speaker", "text")
        render(rows, columns, fmt=fmt,
               title=f"{by} {group!r}{' / ' + label if label else ''}: {len(rows)} sentences")
        return
    rows = stance_table(out, by=by)
    render(rows, stance_columns(by), fmt=fmt, title=f"Stance by {by}")


def _links(out, *, entity: str | None, measure: str | None, fmt: str, by: str = "document") -> None:
    from ..engine.outputs import check_out_dir
    from ..reports.links import LINK_COLUMNS, MEASURE_COLUMNS, links_report, measure_report

    if not (check_out_dir(out) / "links.jsonl").exists():
        raise ClaimsError(Errors.E010.format(path=out, name="links.jsonl"))
    if by not in ("document", "measure"):
        raise ConfigError(Errors.E012.format(value=by, option="--by", allowed="measure (with --links)"))
    if by == "measure":
        rows = measure_report(out, entity, measure)
        render(rows, MEASURE_COLUMNS, fmt=fmt, title=f"Links by measure ({len(rows)} rows)")
        return
    rows = links_report(out, entity, measure)
    render(rows, LINK_COLUMNS, fmt=fmt, title=f"Links across sources ({len(rows)})")
