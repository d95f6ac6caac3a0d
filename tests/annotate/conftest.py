"""Fixtures for the annotation tool: a hand-written run folder, a store loaded from it, a server."""

from __future__ import annotations

from pathlib import Path

import pytest
from annotate_helpers import Client, write_run_folder


@pytest.fixture
def run_dir(tmp_path) -> Path:
    return write_run_folder(tmp_path / "run")


@pytest.fixture
def store(tmp_path, run_dir):
    from nlp.annotate.loader import load_run
    from nlp.annotate.store import Store

    store = Store(tmp_path / "annotations.sqlite", durable=False)
    load_run(store, run_dir)
    return store


@pytest.fixture
def server(store):
    from nlp.annotate.server import make_server, serve_in_thread

    srv = make_server(store, "alice", port=0)
    serve_in_thread(srv)
    yield srv
    srv.shutdown()
    srv.server_close()


@pytest.fixture
def client(server) -> Client:
    return Client(server.url, server.ctx.token)
