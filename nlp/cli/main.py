"""The `claims` command: one sub-command per module in this package."""

from __future__ import annotations

import typer

from . import eval as eval_cmd
from . import report, run
from . import train as train_cmd
from . import agreement as agreement_cmd
from . import annotate as annotate_cmd
from . import transfer

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Turn writing about a public policy into evidence a researcher can check.")
app.command("run")(run.run)
app.command("report")(report.report)
app.command("eval")(eval_cmd.evaluate)
app.command("train")(train_cmd.train)
app.command("annotate")(annotate_cmd.annotate)
app.command("agreement")(agreement_cmd.agreement)
app.command("export")(transfer.export)
app.command("import")(transfer.import_)

if __name__ == "__main__":
    app()
