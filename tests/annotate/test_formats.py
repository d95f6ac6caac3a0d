"""claims export / claims import: export -> import -> export is identical for every format, the
real gold files survive a round trip byte for byte, and the exports hold what they promise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.annotate import actions
from nlp.annotate.errors import AnnotationError
from nlp.annotate.formats import FORMATS, export_labels, import_labels
from nlp.annotate.store import Store

ROOT = Path(__file__).resolve().parents[2]
# train and dev documents only: the test split is never opened
ALLOWED = ["000_57d1069afaf7de82", "001_561fdb856de98ebf", "002_845ac5acf3db497b", "003_c9ebe3be5a93ccd6",
           "004_1ecf1996b45117b8", "page-003", "page-012", "page-024", "page-027", "page-030", "page-036",
           "page-039", "page-048", "page-054", "page-057", "page-072", "page-078", "page-084", "page-087",
           "page-090", "page-093", "page-099", "page-102", "page-006", "page-081", "page-066", "page-075",
           "page-060", "page-042"]
THROUGH_ALL_FORMATS = {"000_57d1069afaf7de82", "page-003", "page-006", "page-042"}


def _target(tmp: Path, fmt: str, name: str) -> Path:
    return tmp / name if fmt == "jsonl" else tmp / f"{name}.{ 'json' if fmt == 'labelstudio' else 'spacy'}"


def _read(path: Path) -> dict[str, bytes]:
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {path.name: path.read_bytes()}


@pytest.fixture
def labelled(store):
    """Two annotators over four sentences, edits in every layer, one adjudication."""
    a3 = {"doc_id": "doc-a", "sent_id": 3}
    start = store.sentence("doc-a", 3)["start"]
    actions.set_label(store, "alice", {**a3, "layer": "stance", "value": "support"})
    actions.edit_span(store, "alice", {**a3, "layer": "entity", "op": "add",
                                       "span": {"start": start + 14, "end": start + 31, "label": "ORG",
                                                "entity_id": "probation_officers"}})
    actions.set_label(store, "alice", {**a3, "layer": "link", "item": "doc-a:3|doc-b:3",
                                       "value": {"relation": "contradict"}})
    for who in ("alice", "bob"):
        for doc_id, sent_id in (("doc-a", 3), ("doc-a", 2), ("doc-b", 1), ("doc-b", 2)):
            actions.accept(store, who, {"doc_id": doc_id, "sent_id": sent_id})
    actions.set_label(store, "bob", {"doc_id": "doc-b", "sent_id": 2, "layer": "segment",
                                     "value": {"segment": "quote", "speaker": "HM Inspectorate"}})
    actions.set_label(store, "bob", {"doc_id": "doc-b", "sent_id": 1, "layer": "claim",
                                     "value": {"claim": True, "claim_type": "factual"}})
    actions.set_label(store, "carol", {"doc_id": "doc-b", "sent_id": 1, "layer": "stance", "value": "oppose"})
    actions.set_label(store, "adjudicator", {**a3, "layer": "stance", "value": "qualified"}, adjudication=True)
    actions.skip(store, "carol", {"doc_id": "doc-a", "sent_id": 4})
    return store


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_is_identical(labelled, tmp_path, fmt):
    first = _target(tmp_path, fmt, "first")
    export_labels(labelled, fmt, first)
    fresh = Store(tmp_path / "fresh.sqlite", durable=False)
    import_labels(fresh, fmt, first)
    second = _target(tmp_path, fmt, "second")
    export_labels(fresh, fmt, second)
    assert list(_read(first).values()) == list(_read(second).values())
    assert [p for p in _read(first)] == [p.replace("second", "first") for p in _read(second)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_by_one_annotator(labelled, tmp_path, fmt):
    first = _target(tmp_path, fmt, "first")
    export_labels(labelled, fmt, first, annotator="bob")
    fresh = Store(tmp_path / "fresh.sqlite", durable=False)
    import_labels(fresh, fmt, first)
    second = _target(tmp_path, fmt, "second")
    export_labels(fresh, fmt, second, annotator="bob")
    assert list(_read(first).values()) == list(_read(second).values())


def test_jsonl_is_the_gold_format(labelled, tmp_path):
    export_labels(labelled, "jsonl", tmp_path / "gold")
    assert sorted(p.name for p in (tmp_path / "gold").iterdir()) == ["doc-a.jsonl", "doc-b.jsonl"]
    records = [json.loads(line) for line in (tmp_path / "gold" / "doc-a.jsonl").read_text().splitlines()]
    sentence = records[0]
    # doc-a is no page under corpus/ or ../shared/, so its records keep their text beside the hash
    assert list(sentence) == ["layer", "doc_id", "sent_id", "start", "end", "hash", "text", "segment", "speaker",
                              "claim", "claim_type", "stance", "annotator", "created", "guideline"]
    from nlp.gold.sources import span_hash

    assert sentence["hash"] == span_hash(sentence["text"])
    by_sent = {r["sent_id"]: r for r in records if r["layer"] == "sentence"}
    assert by_sent[3]["stance"] == "qualified" and by_sent[3]["annotator"] == "adjudicator"
    assert by_sent[3]["adjudicated"] is True
    assert by_sent[2]["speaker"] == "Napo"
    assert not [r for r in records if r["layer"] == "entity" and r["sent_id"] == 3]  # alice [span] vs bob []: latest
    export_labels(labelled, "jsonl", tmp_path / "alice", annotator="alice")
    records = [json.loads(line) for line in (tmp_path / "alice" / "doc-a.jsonl").read_text().splitlines()]
    entity = next(r for r in records if r["layer"] == "entity" and r["sent_id"] == 3)
    assert (entity["text"], entity["label"], entity["entity_id"]) == ("probation officer", "ORG", "probation_officers")
    assert [r["sent_id"] for r in records if r["layer"] == "sentence"] == [2, 3]  # only finished sentences; 4 skipped
    doc_b = [json.loads(line) for line in (tmp_path / "gold" / "doc-b.jsonl").read_text().splitlines()]
    assert {r["layer"] for r in doc_b} == {"sentence", "entity", "quantity"}
    quantity = next(r for r in doc_b if r["layer"] == "quantity")
    assert (quantity["value"], quantity["unit"], quantity["approx"]) == (0.8, "fraction", "exact")


def test_jsonl_export_is_read_by_claims_eval(labelled, tmp_path, run_dir):
    from nlp.eval import evaluate_run, load_gold

    export_labels(labelled, "jsonl", tmp_path / "annotations" / "gold")
    gold = load_gold(tmp_path / "annotations")
    assert set(gold) == {"doc-a", "doc-b"}
    scores = evaluate_run(run_dir, tmp_path / "annotations")
    assert scores["sentences"]["recall"] == 1.0  # gold sentences are the run's own
    assert scores["entities"]["n_gold"] >= 1


def test_labelstudio_tasks(labelled, tmp_path):
    export_labels(labelled, "labelstudio", tmp_path / "ls.json")
    tasks = json.loads((tmp_path / "ls.json").read_text())
    task = next(t for t in tasks if (t["data"]["doc_id"], t["data"]["sent_id"]) == ("doc-a", 3))
    assert task["data"]["text"].startswith("More than 650")
    who = {(a["completed_by"], a["ground_truth"]) for a in task["annotations"]}
    assert who == {("alice", False), ("bob", False), ("adjudicator", True)}
    alice = next(a for a in task["annotations"] if a["completed_by"] == "alice")
    regions = [r for r in alice["result"] if r["type"] == "labels"]
    for region in regions:  # offsets relative to the task text
        assert task["data"]["text"][region["value"]["start"]:region["value"]["end"]] == region["value"]["text"]
    assert {r["from_name"] for r in alice["result"]} >= {"stance", "claim", "segment", "entity", "quantity", "link"}
    assert task["predictions"][0]["result"][0]["from_name"] in {"stance", "claim", "segment"}
    skipped = next(t for t in tasks if (t["data"]["doc_id"], t["data"]["sent_id"]) == ("doc-a", 4))
    assert skipped["annotations"][0]["meta"]["status"] == "skipped"


def test_docbin_contents(labelled, tmp_path):
    import spacy
    from spacy.tokens import DocBin

    export_labels(labelled, "docbin", tmp_path / "gold.spacy", annotator="alice")
    docs = list(DocBin().from_disk(tmp_path / "gold.spacy").get_docs(spacy.blank("en").vocab))
    assert len(docs) == 4
    doc = next(d for d in docs if d.user_data["claims"]["sentence"]["sent_id"] == 3)
    assert doc.text.startswith("More than 650")
    assert [(s.text, s.label_) for s in doc.spans["entities"]] == [("probation officer", "ORG")]
    assert [(s.text, s.label_) for s in doc.spans["quantities"]] == [("More than 650", "count")]
    assert doc.cats["support"] == 1.0 and doc.cats["none"] == 0.0
    assert doc.user_data["claims"]["sentence"]["annotator"] == "alice"


@pytest.mark.parametrize("doc_id", ALLOWED)
def test_real_gold_files_round_trip_byte_for_byte(tmp_path, doc_id):
    from nlp.gold.sources import is_page

    path = ROOT / "annotations" / "gold" / f"{doc_id}.jsonl"
    if not path.exists():
        pytest.skip(f"{path.name} not annotated yet")
    if not is_page(doc_id):  # gold names spans by hash: importing looks their text up in the page
        pytest.skip(f"{doc_id}: ../shared is not beside the checkout")
    store = Store(tmp_path / "db.sqlite", durable=False)
    import_labels(store, "jsonl", path)
    export_labels(store, "jsonl", tmp_path / "out")
    assert (tmp_path / "out" / path.name).read_bytes() == path.read_bytes()
    if doc_id not in THROUGH_ALL_FORMATS:
        return
    for fmt in ("labelstudio", "docbin"):  # and through the other two formats
        again = Store(tmp_path / f"{fmt}.sqlite", durable=False)
        export_labels(store, fmt, tmp_path / f"x.{fmt}")
        import_labels(again, fmt, tmp_path / f"x.{fmt}")
        export_labels(again, "jsonl", tmp_path / f"out-{fmt}")
        assert (tmp_path / f"out-{fmt}" / path.name).read_bytes() == path.read_bytes()


def test_import_gold_with_run_keeps_suggestions(store, tmp_path):
    record = {"doc_id": "doc-a", "sent_id": 2, "stance": "support", "annotator": "pass2",
              "created": "2026-11-23T10:00:00Z", "guideline": "1.0"}  # the shape of stance_pass2.jsonl
    (tmp_path / "pass2.jsonl").write_text(json.dumps(record) + "\n")
    counts = import_labels(store, "jsonl", tmp_path / "pass2.jsonl")
    assert counts["stance"] == 1 and "segment" not in counts
    labels = store.sentence_labels("pass2", "doc-a", 2)
    assert labels["stance"] == "support" and labels["review"] == "done"
    assert "entity" not in labels and "quantity" not in labels  # a stance-only pass says nothing about spans


BAD_FILES = [
    ("jsonl", "x.jsonl", "{not json\n", "A012"),
    ("jsonl", "x.jsonl", json.dumps({"layer": "opinion", "doc_id": "d", "sent_id": 0}) + "\n", "unknown layer"),
    ("jsonl", "x.jsonl", json.dumps({"layer": "sentence", "doc_id": "d", "sent_id": 0, "start": 0, "end": 3,
                                     "text": "abc", "stance": "sure", "annotator": "a"}) + "\n", "invalid stance"),
    ("jsonl", "x.jsonl", json.dumps({"layer": "sentence", "doc_id": "d", "sent_id": 0, "start": 0, "end": 3,
                                     "text": "abc", "stance": "none"}) + "\n", "no annotator"),
    ("jsonl", "x.jsonl", json.dumps({"layer": "entity", "doc_id": "zz", "sent_id": 0, "start": 0, "end": 3,
                                     "text": "abc", "label": "ORG", "annotator": "a"}) + "\n", "unknown sentence"),
    ("labelstudio", "x.json", "{}", "expected a list"),
    ("labelstudio", "x.json", "[{\"data\": {}}]", "bad task"),
    ("docbin", "x.spacy", "not a docbin", "not a DocBin"),
]


@pytest.mark.parametrize("fmt,name,content,message", BAD_FILES)
def test_import_refuses_bad_files(tmp_path, fmt, name, content, message):
    (tmp_path / name).write_text(content)
    store = Store(tmp_path / "db.sqlite", durable=False)
    with pytest.raises(AnnotationError, match=message):
        import_labels(store, fmt, tmp_path / name)
    assert store.events() == []  # nothing half-imported


def test_import_refuses_a_different_segmentation(store, tmp_path):
    record = {"layer": "sentence", "doc_id": "doc-a", "sent_id": 2, "start": 100, "end": 153, "text": "x",
              "stance": "none", "annotator": "a"}
    (tmp_path / "x.jsonl").write_text(json.dumps(record) + "\n")
    with pytest.raises(AnnotationError, match="A011"):
        import_labels(store, "jsonl", tmp_path / "x.jsonl")


def test_unknown_format_and_empty_export(tmp_path):
    store = Store(tmp_path / "db.sqlite", durable=False)
    with pytest.raises(AnnotationError, match="unknown format"):
        export_labels(store, "csv", tmp_path / "x")
    with pytest.raises(AnnotationError, match="no labels"):
        export_labels(store, "jsonl", tmp_path / "x")
    with pytest.raises(AnnotationError, match="no such file"):
        import_labels(store, "jsonl", tmp_path / "missing.jsonl")


def test_an_adjudicated_sentence_survives_export_import_export(store, tmp_path):
    """Found by a hostile run: a sentence settled only by adjudication (its annotators' labels not
    exported with it) was dropped by the second export, because nothing marked it done."""
    a2 = {"doc_id": "doc-a", "sent_id": 2}
    actions.set_label(store, "alice", {**a2, "layer": "stance", "value": "support"})
    actions.set_label(store, "bob", {**a2, "layer": "stance", "value": "none"})
    actions.set_label(store, "adjudicator", {**a2, "layer": "stance", "value": "qualified"}, adjudication=True)
    export_labels(store, "jsonl", tmp_path / "first")
    fresh = Store(tmp_path / "fresh.sqlite", durable=False)
    import_labels(fresh, "jsonl", tmp_path / "first")
    export_labels(fresh, "jsonl", tmp_path / "second")
    first, second = _read(tmp_path / "first"), _read(tmp_path / "second")
    assert first == second
    record = json.loads(first["doc-a.jsonl"].splitlines()[0])
    assert record["sent_id"] == 2 and record["stance"] == "qualified" and record["adjudicated"] is True


@pytest.mark.parametrize("fmt", FORMATS)
def test_importing_the_same_file_twice_adds_no_events(labelled, tmp_path, fmt):
    exported = _target(tmp_path, fmt, "export")
    export_labels(labelled, fmt, exported)
    fresh = Store(tmp_path / "fresh.sqlite", durable=False)
    counts = []
    for _ in range(2):
        import_labels(fresh, fmt, exported)
        with fresh.connect() as conn:
            counts.append(conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])
    assert counts[0] == counts[1] > 0


def test_export_says_what_it_left_out_and_all_writes_it(labelled, tmp_path):
    actions.set_label(labelled, "dana", {"doc_id": "doc-a", "sent_id": 4, "layer": "stance", "value": "none"})
    counts = export_labels(labelled, "jsonl", tmp_path / "done")
    assert counts["left_out"] == 1  # dana's stance on doc-a 4: labelled, never marked done
    everything = export_labels(labelled, "jsonl", tmp_path / "all", unfinished=True)
    assert everything["left_out"] == 0 and everything["records"] > counts["records"]
    from typer.testing import CliRunner

    from nlp.cli.main import app

    result = CliRunner().invoke(app, ["export", "--db", str(labelled.path), "--out", str(tmp_path / "cli")])
    assert result.exit_code == 0 and "1 labelled sentences are not marked done" in result.stderr
