"""The commands: `claims annotate` as a real subprocess (killed with SIGKILL mid-session: nothing saved
is lost), and `claims agreement`, `claims export`, `claims import` through typer (stdout holds data only)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from annotate_helpers import Client
from typer.testing import CliRunner

from nlp.annotate import actions
from nlp.annotate.store import Store
from nlp.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def _start(run_dir: Path, db: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "nlp.cli.main", "annotate", str(run_dir), "--db", str(db),
                             "--annotator", "dana", "--port", "0", *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "COLUMNS": "200"})
    lines = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line:
            break
        lines.append(line)
        match = re.search(r"(http://\S+/)", line)
        if match:
            return proc, match.group(1)
    proc.kill()
    raise AssertionError("server did not start: " + "".join(lines))


def test_kill_mid_session_loses_nothing(run_dir, tmp_path):
    db = tmp_path / "annotations.sqlite"
    proc, url = _start(run_dir, db)
    try:
        page = Client(url).request("GET", "/")[2].decode()
        token = re.search(r'name="claims-token" content="([^"]+)"', page).group(1)
        client = Client(url, token)
        assert client.post("/api/label", {"doc_id": "doc-a", "sent_id": 3, "layer": "stance", "value": "oppose"})[0] == 200
        assert client.post("/api/accept", {"doc_id": "doc-a", "sent_id": 3})[0] == 200
        assert client.post("/api/label", {"doc_id": "doc-b", "sent_id": 1, "layer": "stance", "value": "support"})[0] == 200
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    store = Store(db)  # reopen after the kill
    assert store.sentence_labels("dana", "doc-a", 3)["stance"] == "oppose"
    assert store.sentence_labels("dana", "doc-a", 3)["review"] == "done"
    assert store.sentence_labels("dana", "doc-b", 1)["stance"] == "support"
    # stance; accept: claim, segment, entity, quantity, the link, review; then a stance
    assert len(store.events(annotator="dana")) == 8
    with store.connect() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_annotate_with_password_subprocess(run_dir, tmp_path):
    proc, url = _start(run_dir, tmp_path / "db.sqlite", "--host", "0.0.0.0", "--password", "pw",
                       "--allow-host", "annotate.example.org")
    try:
        assert url.startswith("http://127.0.0.1:")
        assert Client(url).get("/api/session")[0] == 401
        import http.client
        from urllib.parse import urlsplit

        conn = http.client.HTTPConnection(urlsplit(url).hostname, urlsplit(url).port, timeout=10)
        for host, status in (("rebound.attacker.example", 400), ("annotate.example.org", 401)):
            conn.request("GET", "/api/session", headers={"Host": host})
            response = conn.getresponse()
            response.read()
            assert response.status == status, host
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()


def test_annotate_warning_text(run_dir, tmp_path, monkeypatch):
    """The warning itself, through typer with the server's loop replaced."""
    from nlp.annotate import server as server_module

    monkeypatch.setattr(server_module.AnnotateServer, "serve_forever", lambda self, *a, **k: None)
    base = ["annotate", str(run_dir), "--db", str(tmp_path / "db.sqlite"), "--annotator", "dana", "--port", "0",
            "--host", "0.0.0.0"]
    for missing in ([], ["--password", "pw"], ["--allow-host", "lab.example.org"]):
        refused = CliRunner().invoke(app, base + missing)
        assert refused.exit_code == 1 and "A015" in refused.stderr, missing
    result = CliRunner().invoke(app, base + ["--password", "pw", "--allow-host", "lab.example.org"])
    assert result.exit_code == 0, result.output
    assert "warning" in result.stderr and "lab.example.org" in result.stderr
    assert "annotate at http://127.0.0.1:" in result.stderr
    assert result.stdout == ""


def test_annotate_bad_folder(tmp_path):
    result = CliRunner().invoke(app, ["annotate", str(tmp_path), "--db", str(tmp_path / "db.sqlite"),
                                      "--annotator", "dana"])
    assert result.exit_code == 1 and "E010" in result.stderr and result.stdout == ""


@pytest.fixture
def two_annotators(store):
    for who, label in (("ann", "support"), ("ben", "none")):
        actions.set_label(store, who, {"doc_id": "doc-a", "sent_id": 3, "layer": "stance", "value": label})
        actions.accept(store, who, {"doc_id": "doc-a", "sent_id": 3})
        actions.accept(store, who, {"doc_id": "doc-b", "sent_id": 1})
    return store


def test_agreement_table_and_json(two_annotators):
    db = str(two_annotators.path)
    result = CliRunner().invoke(app, ["agreement", "--db", db])
    assert result.exit_code == 0, result.output
    assert "stance" in result.stdout and "ann / ben" in result.stdout and "Disagreements (1" in result.stdout
    result = CliRunner().invoke(app, ["agreement", "--db", db, "--format", "json"])
    report = json.loads(result.stdout)
    assert report["layers"]["stance"]["pairs"][0]["n"] == 2
    assert report["disagreements"][0]["item"] == "doc-a:3"


def test_export_warns_about_ties(two_annotators, tmp_path):
    result = CliRunner().invoke(app, ["export", "--db", str(two_annotators.path), "--out", str(tmp_path / "gold")])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["ties"] == 1  # ann: support, ben: none on doc-a:3
    assert "1 labels tied" in result.stderr


def test_agreement_groups(two_annotators):
    actions.set_label(two_annotators, "cy", {"doc_id": "doc-b", "sent_id": 2, "layer": "stance", "value": "none"})
    result = CliRunner().invoke(app, ["agreement", "--db", str(two_annotators.path), "--format", "json",
                                      "--group", "pass1=ann,cy", "--group", "pass2=ben"])
    report = json.loads(result.stdout)
    assert report["annotators"] == ["pass1", "pass2"]
    assert report["layers"]["stance"]["pairs"][0]["n"] == 2
    result = CliRunner().invoke(app, ["agreement", "--db", str(two_annotators.path), "--group", "oops"])
    assert result.exit_code == 1 and "expected NAME=" in result.stderr


def test_agreement_missing_db(tmp_path):
    result = CliRunner().invoke(app, ["agreement", "--db", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 1 and "no such database" in result.stderr


@pytest.mark.parametrize("fmt,name", [("jsonl", "gold"), ("labelstudio", "ls.json"), ("docbin", "gold.spacy")])
def test_export_import_commands(two_annotators, tmp_path, fmt, name):
    runner = CliRunner()
    out = tmp_path / name
    result = runner.invoke(app, ["export", "--db", str(two_annotators.path), "--format", fmt, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["format"] == fmt
    result = runner.invoke(app, ["import", str(out), "--db", str(tmp_path / "new.sqlite"), "--format", fmt])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["format"] == fmt
    assert Store(tmp_path / "new.sqlite", durable=False).latest()


def test_import_with_run_and_bad_format(run_dir, tmp_path):
    record = {"layer": "sentence", "doc_id": "doc-a", "sent_id": 1, "start": 21, "end": 104, "stance": "support",
              "annotator": "pass2", "created": "2026-11-23T10:00:00+00:00",
              "text": "The National Probation Service will take over all offender management in June 2021."}
    (tmp_path / "pass2.jsonl").write_text(json.dumps(record) + "\n")
    runner = CliRunner()
    result = runner.invoke(app, ["import", str(tmp_path / "pass2.jsonl"), "--db", str(tmp_path / "db.sqlite"),
                                 "--run", str(run_dir)])
    assert result.exit_code == 0, result.output
    store = Store(tmp_path / "db.sqlite", durable=False)
    assert store.suggestions("doc-a", 1)["stance"]["value"] == "none"
    assert store.sentence_labels("pass2", "doc-a", 1)["stance"] == "support"
    result = runner.invoke(app, ["export", "--db", str(tmp_path / "db.sqlite"), "--format", "csv", "--out", "x"])
    assert result.exit_code == 1 and "unknown format" in result.stderr and result.stdout == ""
