"""The queue's order and filters, and the tool over a real `claims run` output (2 corpus pages)."""

from __future__ import annotations

from pathlib import Path

import pytest
from annotate_helpers import write_run_folder

from nlp.annotate import actions
from nlp.annotate.errors import AnnotationError
from nlp.annotate.loader import load_run
from nlp.annotate.queue import QueueFilter, build_queue
from nlp.annotate.store import Store
from tests.conftest import page_path

ROOT = Path(__file__).resolve().parents[2]


def _keys(items):
    return [(i["doc_id"], i["sent_id"]) for i in items]


def test_least_confident_first_then_document(store):
    confidences = [i["confidence"] for i in build_queue(store, "alice")]
    assert confidences == sorted(confidences)


def test_document_order_without_stance(tmp_path):
    store = Store(tmp_path / "db.sqlite", durable=False)
    load_run(store, write_run_folder(tmp_path / "run", stance=False, links=False))
    keys = _keys(build_queue(store, "alice"))
    assert keys == sorted(keys)


def test_finished_leave_skipped_go_last_and_include_done(store):
    actions.accept(store, "alice", {"doc_id": "doc-a", "sent_id": 3})
    actions.skip(store, "alice", {"doc_id": "doc-b", "sent_id": 1})
    keys = _keys(build_queue(store, "alice"))
    assert ("doc-a", 3) not in keys and keys[-1] == ("doc-b", 1)
    assert _keys(build_queue(store, "bob"))[:2] == [("doc-a", 3), ("doc-b", 1)]  # per annotator
    assert _keys(build_queue(store, "alice", QueueFilter(include_done=True)))[-1] == ("doc-a", 3)


@pytest.mark.parametrize("filters,expected", [
    (QueueFilter(doc="doc-b", layer="quantity"), [("doc-b", 1), ("doc-b", 3)]),
    (QueueFilter(layer="stance", label="support"), [("doc-b", 1), ("doc-a", 2)]),
    (QueueFilter(layer="claim", label="evaluative"), [("doc-b", 2), ("doc-a", 2)]),
    (QueueFilter(layer="segment", label="heading"), [("doc-b", 0), ("doc-a", 0)]),
    (QueueFilter(layer="quantity", label="fraction"), [("doc-b", 1)]),
    (QueueFilter(layer="link", label="update"), [("doc-a", 3), ("doc-b", 3)]),
    (QueueFilter(layer="link", label="repeat"), []),
    (QueueFilter(label="PERSON"), []),
])
def test_filters(store, filters, expected):
    assert _keys(build_queue(store, "alice", filters)) == expected


def test_unknown_layer_filter(store):
    with pytest.raises(AnnotationError, match="unknown layer"):
        build_queue(store, "alice", QueueFilter(layer="colour"))


def test_reloading_a_run_keeps_labels_but_refuses_new_segmentation(store, run_dir):
    actions.set_label(store, "alice", {"doc_id": "doc-a", "sent_id": 3, "layer": "stance", "value": "oppose"})
    load_run(store, run_dir)  # same run again: fine, labels untouched
    assert store.sentence_labels("alice", "doc-a", 3)["stance"] == "oppose"
    lines = (run_dir / "sentences.jsonl").read_text().splitlines()
    (run_dir / "sentences.jsonl").write_text("\n".join(lines[:3]) + "\n")  # doc-a now has 3 sentences
    with pytest.raises(AnnotationError, match="A011"):
        load_run(store, run_dir)


@pytest.mark.slow
def test_real_pipeline_output(tmp_path):
    from nlp.engine.run import run_corpus

    out = tmp_path / "run"
    run_corpus([page_path("page-003"), page_path("page-006")], out)
    store = Store(tmp_path / "db.sqlite", durable=False)
    counts = load_run(store, out)
    assert counts["documents"] == 2 and counts["sentences"] > 10
    first = build_queue(store, "alice")[0]
    view = actions.sentence_view(store, "alice", first["doc_id"], first["sent_id"])
    assert view["document"]["title"] and view["sentence"]["text"]
    if "stance" not in view["suggestions"]:
        actions.set_label(store, "alice", {**first, "layer": "stance", "value": "none"})
    events = actions.accept(store, "alice", {"doc_id": first["doc_id"], "sent_id": first["sent_id"]})
    assert events[-1]["after"] == "done"
    from nlp.annotate.formats import export_labels

    export_labels(store, "jsonl", tmp_path / "gold")
    assert (tmp_path / "gold" / f"{first['doc_id']}.jsonl").exists()
