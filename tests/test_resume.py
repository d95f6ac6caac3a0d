"""Resumable runs: `claims run` killed with SIGKILL part-way, run again, gives exactly the output
of an uninterrupted run (every file, same lines, same order), and says what it reused."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import CORPUS, ROOT, page_path

# Allowed development pages only (never the held-out test set).
PAGES = ("page-003 page-012 page-024 page-027 page-030 page-036 page-039 page-048 page-054 page-057 page-072 "
         "page-078 page-084 page-087 page-090 page-093 page-099 page-102 page-006 page-081 page-066 page-075 "
         "page-060 page-042").split()
TABLES = ("documents", "sentences", "entities", "quantities", "claims")
# Segmenter, gazetteer entities and quantities on the tagger and parser: real work, a few seconds.
COMPONENTS = "claims_segmenter,claims_entities,claims_quantities"


def small_documents(words_per_doc: int = 100) -> list[tuple[str, str]]:
    """(name, text): our real pages cut at line ends into documents of about words_per_doc words."""
    from nlp.ingest import read_documents

    out = []
    for doc in read_documents([page_path(page) for page in PAGES]):
        chunk, words = [], 0
        for line in doc.text.split("\n"):
            chunk.append(line)
            words += len(line.split())
            if words >= words_per_doc:
                out.append((f"{doc.doc_id}-{len(out):03d}", "\n".join(chunk)))
                chunk, words = [], 0
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("resume_corpus")
    for name, text in small_documents():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    assert 40 <= len(list(folder.iterdir())) <= 90
    return folder


def command(corpus: Path, out: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "nlp.cli.main", "run", str(corpus), "--out", str(out), "--config", str(config),
            "--components", COMPONENTS, "--shard-size", "4"]


@pytest.fixture(scope="module")
def config_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("resume_config") / "light.toml"
    path.write_text('exclude = ["ner"]\nuse_ner = false\n', encoding="utf-8")
    return path


def committed_shards(out: Path) -> int:
    path = out / ".work" / "results.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1) as db:
            return db.execute("SELECT COUNT(*) FROM shards").fetchone()[0]
    except sqlite3.Error:
        return 0


def run_to_end(cmd: list[str]) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.slow
def test_killed_run_resumes_to_the_uninterrupted_output(corpus, config_file, tmp_path):
    reference, resumed = tmp_path / "reference", tmp_path / "resumed"
    run_to_end(command(corpus, reference, config_file))
    n_docs = len(list(corpus.iterdir()))

    process = subprocess.Popen(command(corpus, resumed, config_file), cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while committed_shards(resumed) < 1 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL, "the run finished before it could be killed"
    assert not (resumed / "documents.jsonl").exists()  # nothing half-written in place
    done_before = committed_shards(resumed)
    assert 1 <= done_before

    result = run_to_end(command(corpus, resumed, config_file))
    run = json.loads((resumed / "run.json").read_text())
    assert run["documents"] == n_docs and run["reused"] + run["processed"] == n_docs
    assert 4 * done_before <= run["reused"] < n_docs
    assert f"reused {run['reused']}, processed {run['processed']}" in result.stderr
    for name in TABLES:
        assert (resumed / f"{name}.jsonl").read_text() == (reference / f"{name}.jsonl").read_text(), name
    doc_ids = [json.loads(line)["doc_id"] for line in (resumed / "documents.jsonl").open()]
    assert len(doc_ids) == len(set(doc_ids)) == n_docs
    assert not list(resumed.glob(".partial-*"))


@pytest.mark.slow
def test_kill_before_any_shard_leaves_nothing_behind_that_matters(corpus, config_file, tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen(command(corpus, out, config_file), cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)  # still loading the pipeline
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    run_to_end(command(corpus, out, config_file))
    assert len((out / "documents.jsonl").read_text().splitlines()) == len(list(corpus.iterdir()))
