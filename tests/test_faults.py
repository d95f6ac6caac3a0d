"""What `claims run` guarantees when its inputs are awkward: it never reads its own outputs, never
skips a folder or file in silence, and never replaces earlier outputs with an empty run."""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from nlp.cli.main import app
from nlp.engine.outputs import load_rows

from .conftest import SEED_IDS, copy_seed


@pytest.fixture
def inout(tmp_path):
    folder = tmp_path / "inout"
    folder.mkdir()
    for doc_id in SEED_IDS[:2]:
        copy_seed(doc_id, folder)
    return folder


def _run(*args):
    return CliRunner().invoke(app, ["run", *map(str, args), "--no-links", "--components", "claims_segmenter"])


def test_output_folder_inside_the_input_is_never_read(inout):
    first = _run(inout, "--out", inout / "out")
    assert first.exit_code == 0, first.stderr
    before = (inout / "out" / "sentences.jsonl").read_text()
    again = _run(inout, "--out", inout / "out")  # the outputs now lie inside the input folder
    assert again.exit_code == 0, again.stderr
    assert [d["doc_id"] for d in load_rows(inout / "out", "documents")] == list(SEED_IDS[:2])
    assert (inout / "out" / "sentences.jsonl").read_text() == before
    assert "duplicate" not in again.stderr


def test_asking_to_read_the_output_folder_is_an_error(inout):
    assert _run(inout, "--out", inout / "out").exit_code == 0
    result = _run(inout / "out" / "documents.jsonl", inout / f"{SEED_IDS[0]}.txt", "--out", inout / "out")
    assert result.exit_code == 2
    assert "E022" in result.stderr and "documents.jsonl" in result.stderr


def test_a_folder_that_cannot_be_listed_is_reported_and_fails_the_run(inout, monkeypatch):
    hidden = inout / "locked"
    hidden.mkdir()
    (hidden / "lost.txt").write_text("The CRCs were paid £467 million in 2019.")
    real_scandir = os.scandir

    def scandir(path="."):  # root reads any folder, so the permission error is injected
        if not isinstance(path, int) and os.fspath(path) == str(hidden):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = _run(inout, "--out", inout.parent / "out")
    assert result.exit_code == 2
    assert "locked: cannot read file: Permission denied" in result.stderr
    assert len(load_rows(inout.parent / "out", "documents")) == 2


def test_nothing_to_do_exits_1_and_keeps_earlier_outputs(inout, tmp_path):
    out = tmp_path / "out"
    assert _run(inout, "--out", out).exit_code == 0
    before = (out / "documents.jsonl").read_bytes()
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.docx").write_bytes(b"PK\x03\x04")
    (empty / "table.csv").write_text("a,b\n")
    result = _run(empty, "--out", out)
    assert result.exit_code == 1
    assert "E023" in result.stderr and "2 files of unsupported types skipped: 1 .csv, 1 .docx" in result.stderr
    assert (out / "documents.jsonl").read_bytes() == before
    assert json.loads((out / "run.json").read_text())["documents"] == 2


def _children(pid: int) -> set[int]:
    path = f"/proc/{pid}/task/{pid}/children"
    try:
        with open(path) as handle:
            return {int(p) for p in handle.read().split()}
    except OSError:
        return set()


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="needs Linux /proc to find the workers")
def test_workers_end_when_their_parent_is_killed(inout, tmp_path):
    import signal
    import subprocess
    import sys
    import time

    parent = subprocess.Popen([sys.executable, "-m", "nlp.cli.main", "run", str(inout), "--out", str(tmp_path / "out"),
                               "--workers", "2", "--components", "claims_segmenter", "--no-links"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        workers: set[int] = set()
        while time.monotonic() < deadline and len(workers) < 2:
            workers = {c for c in _children(parent.pid)
                       if "multiprocessing" in open(f"/proc/{c}/cmdline", "rb").read().decode(errors="replace")}
            time.sleep(0.1)
        assert len(workers) >= 2, "the workers never started"
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{w}") for w in workers):
        time.sleep(0.1)
    alive = [w for w in workers if os.path.exists(f"/proc/{w}")]
    for w in alive:
        os.kill(w, signal.SIGKILL)
    assert not alive, f"workers {alive} outlived their parent"


def test_a_doc_id_with_path_syntax_is_refused_by_run(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"doc_id": "../../../x", "text": "The CRCs were paid £467 million."}) + "\n"
                      + json.dumps({"doc_id": "fine", "text": "Napo welcomed reunification."}) + "\n")
    result = _run(corpus, "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert "E024" in result.stderr and "'../../../x'" in result.stderr
    assert [d["doc_id"] for d in load_rows(tmp_path / "out", "documents")] == ["fine"]


def test_a_doc_id_with_path_syntax_is_refused_by_import_and_never_written(tmp_path):
    record = {"layer": "sentence", "doc_id": "../../../escaped", "sent_id": 0, "start": 0, "end": 4, "text": "Text",
              "segment": "body", "speaker": None, "claim": False, "claim_type": None, "stance": "none",
              "annotator": "mallory", "created": "2026-11-23T10:00:00+00:00", "guideline": "1.1"}
    (tmp_path / "in.jsonl").write_text(json.dumps(record) + "\n")
    db = tmp_path / "db.sqlite"
    result = CliRunner().invoke(app, ["import", str(tmp_path / "in.jsonl"), "--db", str(db), "--format", "jsonl"])
    assert result.exit_code == 1 and "A012" in result.stderr and "cannot be used" in result.stderr
    out = tmp_path / "deep" / "er" / "export"
    CliRunner().invoke(app, ["export", "--db", str(db), "--format", "jsonl", "--out", str(out)])
    assert not list(tmp_path.rglob("escaped*"))


def test_markdown_report_escapes_html_in_documents(tmp_path):
    doc = tmp_path / "hostile.txt"
    doc.write_text("title: <img src=x onerror=alert(1)>\n---\n"
                   "The CRCs were paid <script>alert('x')</script> £467 million in 2019.\n")
    assert CliRunner().invoke(app, ["run", str(doc), "--out", str(tmp_path / "out")]).exit_code == 0
    result = CliRunner().invoke(app, ["report", str(tmp_path / "out"), "--format", "markdown"])
    assert result.exit_code == 0, result.stderr
    assert "&lt;script&gt;" in result.stdout and "<script>" not in result.stdout
    assert "<img" not in result.stdout
