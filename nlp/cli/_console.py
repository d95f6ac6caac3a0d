"""Talk goes to stderr (rich), data to stdout."""

from __future__ import annotations

import sys

from rich.console import Console

err = Console(stderr=True, highlight=False)


def fail(message: str, code: int = 1):
    """Print one error line to stderr and exit non-zero."""
    import typer

    err.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(code)


def stdout_console(width: int | None = None) -> Console:
    return Console(file=sys.stdout, width=width or (None if sys.stdout.isatty() else 200), highlight=False)
