"""The learned pair judge (nlp/links/pairs.py, train.py): the shipped model, its decisions, and
training end to end on the run of the five seed documents (their judged pairs)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nlp.links import LinkConfig, claim_table
from nlp.links.pairs import CLASSES, FEATURES, PairEvidence, PairModel, decide, load_pair_model, pair_evidence

from .conftest import ROOT, needs_pages, span
from .test_links import ENTITY_LABELS, claim

ANNOTATIONS = ROOT / "annotations"


def _model(threshold=0.5, change=0.5) -> PairModel:
    return PairModel(np.zeros((len(CLASSES), len(FEATURES))), np.zeros(len(CLASSES)), np.zeros(len(FEATURES)),
                     np.ones(len(FEATURES)), threshold, change, {})


def _evidence(cos=0.7, rule=None, frame_relation=None, fields=("measure=same", "scope=same")) -> PairEvidence:
    features = (cos,) + (0.0,) * (len(FEATURES) - 1)
    return PairEvidence(features, rule, frame_relation, tuple(fields))


def test_the_shipped_model_reads_the_features_of_this_code():
    model = load_pair_model()
    assert model is not None, "models/links/model.json is missing"
    assert model.coef.shape == (len(CLASSES), len(FEATURES))
    metrics = json.loads((ROOT / "models" / "links" / "metrics.json").read_text())
    assert 0.0 < model.threshold < 1.0 and 0.0 <= model.change_threshold <= 0.5
    assert (model.threshold, model.change_threshold) == (metrics["selection"]["threshold"],
                                                        metrics["selection"]["change_threshold"])
    assert "test" not in metrics["trained_on"]["splits"]
    assert (ROOT / "models" / "links" / "MODEL_CARD.md").exists()


def test_a_model_for_other_features_names_its_file(tmp_path):
    data = _model().to_json()
    data["features"] = data["features"][:-1]
    (tmp_path / "model.json").write_text(json.dumps(data))
    with pytest.raises(ValueError, match="model.json"):
        load_pair_model(str(tmp_path))


def test_probabilities_are_a_distribution_and_the_score_is_one_minus_none():
    model = load_pair_model()
    x = np.random.default_rng(0).random((5, len(FEATURES)))
    classes = model.class_proba(x)
    assert np.allclose(classes.sum(axis=1), 1.0)
    assert np.allclose(model.proba(x), 1.0 - classes[:, 0])
    # one row at a time gives what a batch gives (the link step scores a chunk in one call)
    assert np.allclose([model.proba(row[None])[0] for row in x], model.proba(x))


def test_decisions():
    model = _model(threshold=0.6, change=0.5)
    assert decide(_evidence(), 0.65, model) == "repeat"
    assert decide(_evidence(), 0.55, model) is None
    # an update the rules find stands whatever the model says
    assert decide(_evidence(rule={"relation": "update"}), 0.1, model) == "update"
    # one the frames alone name needs the same measure, the change cosine and change_threshold
    assert decide(_evidence(frame_relation="update"), 0.55, model) == "update"
    assert decide(_evidence(frame_relation="update"), 0.45, model) is None
    assert decide(_evidence(cos=0.5, frame_relation="update"), 0.9, model) is None
    assert decide(_evidence(frame_relation="contradict", fields=("measure=none", "proposition=same")), 0.9,
                  model) is None


# Gold update (dev): RPI inflation at 3.8% in July 2021 (a Napo page of 2021) and at 14.2% in October
# 2022 (a 2023 motion). The rules find nothing (no measure words of the quantities in common); the
# frames give the same measure, disjoint periods and disjoint values: an update.
RPI_2021 = claim("pool-159:6", span("pool-159", 409, 577), date="2021",
                 qty=[("3.8%", 3.8, "percent", "exact", None, "this year")])
RPI_2022 = claim("pool-161:19", span("pool-161", 1719, 1797), date="2023-09-26",
                 qty=[("14.2%", 14.2, "percent", "exact", None, "October 2022")])


def test_an_update_only_the_frames_name_is_decided_by_the_frames_and_the_cosine():
    needs_pages(RPI_2021[0], RPI_2022[0])
    (ca, qa), (cb, qb) = RPI_2021, RPI_2022
    table = claim_table([ca, cb], qa + qb, ENTITY_LABELS, [])
    evidence = pair_evidence(table, 0, 1, 0.69)  # their cosine with the packaged encoder
    assert evidence.rule is None and evidence.frame_relation == "update"
    assert {"measure=same", "period=disjoint", "value=disjoint"} <= set(evidence.frame_fields)
    # a low change_threshold (cross-validation on train+dev chose 0.1, models/links/metrics.json:
    # the model, trained on some fifty changes, gives them a low probability) lets the frames and
    # the cosine decide
    assert decide(evidence, 0.05, _model(change=0.0)) == "update"
    assert decide(evidence, 0.05, _model(change=0.5)) is None
    assert decide(pair_evidence(table, 0, 1, 0.5), 0.9, _model(change=0.0)) is None


def test_an_unknown_mode_is_an_error():
    from nlp.links.build import judge_scored
    from nlp.links.table import claim_table

    table = claim_table([{"claim_id": "a:1", "doc_id": "a", "text": "x"}, {"claim_id": "b:1", "doc_id": "b",
                                                                           "text": "y"}], [], [], [])
    with pytest.raises(ValueError, match="pair_model"):
        list(judge_scored(table, np.array([[0, 1]]), np.array([1], dtype=np.int8), np.array([0.9], dtype=np.float32),
                          LinkConfig(pair_model="bogus")))


def test_training_on_a_run_writes_a_model_the_link_step_uses(seed_run, tmp_path):
    from nlp.links.build import links_for_out_dir
    from nlp.links.train import train_links

    figures = train_links(seed_run, ANNOTATIONS, tmp_path / "links", splits=("train", "dev"))
    assert figures["trained_on"]["pairs"] >= 20 and figures["trained_on"]["links"] >= 5
    assert (tmp_path / "links" / "model.json").exists() and (tmp_path / "links" / "metrics.json").exists()
    model = load_pair_model(str(tmp_path / "links"))
    assert model.coef.shape == (len(CLASSES), len(FEATURES))
    for mode in ("judge", "score", "off"):
        links = links_for_out_dir(seed_run, config=LinkConfig(pair_model=mode, pair_model_dir=str(tmp_path / "links")))
        assert links, mode
        for link in links:
            assert link["relation"] in ("repeat", "update", "contradict")
            assert 0.0 <= link["score"] <= 1.0 and link["a"] < link["b"] and link["a_doc"] != link["b_doc"]
            assert link["reason"].endswith(link["relation"])
            if link["method"] != "model":  # the rules' reasons name the frame fields
                assert "frames: measure=" in link["reason"]
    with pytest.raises(ValueError, match="no judged pair"):
        train_links(seed_run, ANNOTATIONS, tmp_path / "none", splits=("nothing",))
