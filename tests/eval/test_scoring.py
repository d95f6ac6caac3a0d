"""The scorer behind every figure: metric arithmetic by hand, and gold scored against itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.eval import evaluate_run, load_gold
from nlp.eval.metrics import expected_calibration_error, macro_f1, pairwise_id_agreement, prf

ANNOTATIONS = Path(__file__).resolve().parents[2] / "annotations"
from ..conftest import CORPUS, PAGES, page_path


def test_prf_by_hand():
    assert prf(3, 4, 6) == {"precision": 0.75, "recall": 0.5, "f1": 0.6, "tp": 3, "n_pred": 4, "n_gold": 6}
    assert prf(0, 0, 5)["f1"] == 0.0


def test_macro_f1_by_hand():
    gold = ["support", "none", "none", "oppose", "qualified", "none"]
    pred = ["support", "none", "support", "none", "qualified", "none"]
    scores = macro_f1(gold, pred, ("support", "oppose", "qualified", "none"))
    assert scores["f1_support"] == pytest.approx(2 / 3, abs=1e-4)
    assert scores["f1_oppose"] == 0.0
    assert scores["f1_qualified"] == 1.0
    assert scores["f1_none"] == pytest.approx(2 * (2 / 3 * 2 / 3) / (4 / 3), abs=1e-4)
    assert scores["accuracy"] == pytest.approx(4 / 6, abs=1e-4)


def test_pairwise_id_agreement_by_hand():
    # gold: m0,m1,m2 are one thing, m3 another; the pipeline split m2 off and missed m3
    scores = pairwise_id_agreement(["nps", "nps", "nps", "crc"], ["a", "a", "b", None])
    assert scores["id_pairs_gold"] == 3
    assert scores["id_pair_precision"] == 1.0  # its one same-id pair (m0,m1) is right
    assert scores["id_pair_recall"] == pytest.approx(1 / 3, abs=1e-4)
    merged = pairwise_id_agreement(["nps", "crc"], ["x", "x"])
    assert merged["id_pair_precision"] == 0.0


def test_expected_calibration_error():
    assert expected_calibration_error([1.0, 1.0], [True, True]) == 0.0
    assert expected_calibration_error([0.9, 0.9], [False, False]) == pytest.approx(0.9)


def _run_folder_from_gold(tmp_path: Path, doc_ids: list[str]) -> Path:
    """A run output folder whose predictions are exactly the gold annotations."""
    from nlp.ingest import read_documents

    docs = {d.doc_id: d for d in read_documents([page_path(doc_id) for doc_id in doc_ids])}
    gold = load_gold(ANNOTATIONS, text=True)
    files = {name: [] for name in ("documents", "sentences", "entities", "quantities", "claims", "stance")}
    for doc_id in doc_ids:
        layers = gold[doc_id]
        files["documents"].append({"doc_id": doc_id, "text": docs[doc_id].text, "kind": docs[doc_id].kind})
        for s in layers["sentence"]:
            files["sentences"].append({k: s[k] for k in ("doc_id", "sent_id", "start", "end", "text", "segment", "speaker")})
            if s["claim"]:
                files["claims"].append({"doc_id": doc_id, "sent_id": s["sent_id"], "type": s["claim_type"]})
            files["stance"].append({"doc_id": doc_id, "sent_id": s["sent_id"], "label": s["stance"], "confidence": 1.0})
        files["entities"] += layers["entity"]
        files["quantities"] += layers["quantity"]
    for name, rows in files.items():
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return tmp_path


def test_gold_scored_against_itself_is_perfect(tmp_path):
    if not (ANNOTATIONS / "gold").is_dir():
        pytest.skip("no gold annotations")
    split = json.loads((ANNOTATIONS / "split.json").read_text())
    doc_ids = [split["train"][0]] + split["dev"][:2]
    scores = evaluate_run(_run_folder_from_gold(tmp_path, doc_ids), ANNOTATIONS)
    # every gold document counts; the others are simply missed
    assert scores["documents"]["n"] == len(list((ANNOTATIONS / "gold").glob("*.jsonl")))
    scores = evaluate_run(tmp_path, ANNOTATIONS, split="dev")
    for layer in ("sentences", "entities", "quantities", "claims"):
        assert scores[layer]["precision"] == 1.0, layer
    for layer in ("sentences", "entities", "quantities", "claims"):
        # two dev documents are in the folder; the others count as missed
        assert 0 < scores[layer]["recall"] < 1.0, layer
    assert scores["entities"]["id_pair_precision"] == 1.0
    assert scores["quantities"]["value_unit_accuracy"] == 1.0 and scores["quantities"]["approx_accuracy"] == 1.0
    assert scores["claims"]["type_accuracy"] == 1.0


def test_gold_files_are_well_formed(shared_dir):
    gold = load_gold(ANNOTATIONS, text=True)  # every span looked up in its page, its hash checked
    split = json.loads((ANNOTATIONS / "split.json").read_text())
    assert set(gold) == set(split["train"]) | set(split["dev"]) | set(split["test"])
    assert not set(split["train"]) & set(split["test"]) and not set(split["dev"]) & set(split["test"])
    for doc_id, layers in gold.items():
        for layer in ("sentence", "entity", "quantity"):
            for record in layers[layer]:
                assert record["text"].strip() and record["hash"]
                assert record["annotator"] and record["created"] and record["guideline"]


def test_gold_files_hold_offsets_not_other_peoples_text():
    for path in (ANNOTATIONS / "gold").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            assert "text" not in record and len(record["hash"]) == 12, path.name


def test_gold_links_scored_against_themselves(tmp_path):
    if not (ANNOTATIONS / "links.jsonl").exists():
        pytest.skip("no gold links")
    gold_links = [json.loads(line) for line in (ANNOTATIONS / "links.jsonl").read_text().splitlines() if line]
    doc_ids = sorted({pair[side]["doc_id"] for pair in gold_links for side in ("a", "b")})
    out = _run_folder_from_gold(tmp_path, doc_ids)
    sent_id = {}
    for layers in load_gold(ANNOTATIONS).values():
        for s in layers["sentence"]:
            sent_id[(s["doc_id"], s["start"], s["end"])] = f"{s['doc_id']}:{s['sent_id']}"
    rows = []
    for pair in gold_links:
        if pair["relation"] != "none":
            a, b = (sent_id[(pair[x]["doc_id"], pair[x]["start"], pair[x]["end"])] for x in ("a", "b"))
            rows.append({"a": min(a, b), "b": max(a, b), "relation": pair["relation"], "score": 1.0, "reason": "gold"})
    (out / "links.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    scores = evaluate_run(out, ANNOTATIONS, split="dev")
    for relation in ("repeat", "update", "contradict", "all"):
        assert scores[f"links_{relation}"]["precision"] == 1.0, relation
        assert scores[f"links_{relation}"]["recall"] == 1.0, relation
    assert scores["links_must_not_link"]["predicted"] == 0
    # one must-not-link pair predicted as a repeat is a false positive
    from nlp.eval.links import pair_split_rule

    rule = pair_split_rule(ANNOTATIONS / "split.json")
    trap = next(p for p in gold_links if p["relation"] == "none" and rule(p["a"]["doc_id"], p["b"]["doc_id"]) == "dev")
    a, b = (sent_id[(trap[x]["doc_id"], trap[x]["start"], trap[x]["end"])] for x in ("a", "b"))
    rows.append({"a": min(a, b), "b": max(a, b), "relation": "repeat", "score": 1.0, "reason": "trap"})
    (out / "links.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    scores = evaluate_run(out, ANNOTATIONS, split="dev")
    assert scores["links_repeat"]["precision"] < 1.0 and scores["links_must_not_link"]["predicted"] == 1
    assert scores["links"]["unjudged"] == 0  # links touching test documents belong to the test split
    # pairs of two train documents belong to train, not dev: the dev figures never score them
    train = evaluate_run(out, ANNOTATIONS, split="train")
    assert train["links_repeat"]["n_gold"] + scores["links_repeat"]["n_gold"] == sum(
        p["relation"] == "repeat" and rule(p["a"]["doc_id"], p["b"]["doc_id"]) != "test" for p in gold_links)
    assert train["links_must_not_link"]["predicted"] == 0


def test_pooled_link_judgements_count_for_precision_not_recall():
    from nlp.eval.links import score_links

    sentences = [{"doc_id": d, "sent_id": 0, "start": 0, "end": 10} for d in ("a", "b", "c")]

    def pair(x, y, relation, **extra):
        return {"a": {"doc_id": x, "start": 0, "end": 10}, "b": {"doc_id": y, "start": 0, "end": 10},
                "relation": relation, **extra}

    gold = [pair("a", "b", "repeat"), pair("a", "c", "repeat", origin="pooled"), pair("b", "c", "none", origin="pooled")]
    links = [{"a": "a:0", "b": "c:0", "relation": "repeat"}, {"a": "b:0", "b": "c:0", "relation": "repeat"}]
    scores = score_links(gold, links, sentences)
    assert scores["repeat"]["n_pred"] == 2 and scores["repeat"]["tp"] == 1  # both judged, one right
    assert scores["repeat"]["n_gold"] == 1 and scores["repeat"]["recall"] == 0.0  # pooled pairs are not recall's
    only_ab = score_links(gold, links, sentences, keep_link=lambda x, y: "c" not in (x, y))
    assert only_ab["repeat"]["n_pred"] == 0 and only_ab["unjudged"] == 0
