"""Rows to stdout as a rich table, CSV, JSON or Markdown."""

from __future__ import annotations

import csv
import html
import json
import sys
from collections.abc import Sequence

from rich.table import Table

from ._console import stdout_console

FORMATS = ("table", "csv", "json", "markdown")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def _markdown_cell(value) -> str:
    """A table cell that Markdown renderers show as text: HTML in documents is escaped, never run."""
    return html.escape(_cell(value), quote=False).replace("|", "\\|").replace("\n", " ")


def render(rows: Sequence[dict], columns: Sequence[str], *, fmt: str = "table", title: str | None = None) -> None:
    if fmt == "json":
        sys.stdout.write(json.dumps([{c: r.get(c) for c in columns} for r in rows], ensure_ascii=False, indent=1) + "\n")
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    elif fmt == "markdown":
        if title:
            sys.stdout.write(f"### {html.escape(title, quote=False)}\n\n")
        sys.stdout.write("| " + " | ".join(columns) + " |\n|" + "---|" * len(columns) + "\n")
        for row in rows:
            sys.stdout.write("| " + " | ".join(_markdown_cell(row.get(c)) for c in columns) + " |\n")
        sys.stdout.write("\n")
    else:
        table = Table(title=title, show_lines=False, header_style="bold")
        for column in columns:
            table.add_column(column, overflow="fold", max_width=70 if column == "text" else None)
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        stdout_console().print(table)
