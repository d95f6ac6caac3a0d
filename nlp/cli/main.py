"""The `claims` command: one sub-command per module in this package."""

from __future__ import annotations

import typer

from . import eval as eval_cmd
from . import report, run

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn writing about a public policy into evidence a researcher can check.")
app.command("run")(run.run)
app.command("report")(report.report)
app.command("eval")(eval_cmd.evaluate)

if __name__ == "__main__":
    app()
