"""claims annotate OUT --db annotations/annotations.sqlite --annotator NAME [--port N] [--host H]"""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import ClaimsError
from ._console import err, fail

LOCAL = ("127.0.0.1", "localhost", "::1")


def annotate(
    out: Path = typer.Argument(..., help="A `claims run` output folder."),
    db: Path = typer.Option(Path("annotations/annotations.sqlite"), "--db", help="SQLite file of annotation events."),
    annotator: str = typer.Option(..., "--annotator", "-a",
                                  help="Your name: every label you give is recorded under it."),
    port: int = typer.Option(8765, "--port", help="Port to listen on (0: any free port)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind; anything beyond localhost is reachable "
                                                        "by others on the network."),
    password: str | None = typer.Option(None, "--password", envvar="CLAIMS_ANNOTATE_PASSWORD",
                                        help="Ask for this password (HTTP basic auth; any user name)."),
    allow_host: list[str] = typer.Option([], "--allow-host",
                                         help="A host name browsers use to reach the app (repeat); needed, with "
                                              "--password, when --host is beyond localhost."),
) -> None:
    """Open the annotation web app over a run's output: correct stance, claims, entities, quantities, links."""
    from ..annotate.loader import load_run
    from ..annotate.server import make_server
    from ..annotate.store import Store

    annotator = annotator.strip()
    if not annotator:
        fail("--annotator must not be empty")
    try:
        store = Store(db)
        counts = load_run(store, out)
        server = make_server(store, annotator, host=host, port=port, password=password,
                             allowed_hosts=tuple(allow_host))
    except ClaimsError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
    if host not in LOCAL:
        err.print(f"[bold yellow]warning:[/] listening on {host} for {', '.join(allow_host)}: anyone who can reach "
                  "this machine and has the password can open the app", soft_wrap=True)
    err.print(f"{counts['documents']} documents, {counts['sentences']} sentences; labels go to {db} as {annotator!r}")
    err.print(f"annotate at [bold]{server.url}[/]  (Ctrl+C to stop)", soft_wrap=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        err.print("stopped; every saved label is in the database")
    finally:
        server.server_close()
