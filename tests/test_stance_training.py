"""Stance trained end to end on a small slice of the pool's annotations, and the baselines
`claims eval` prints beside the run's figures. The pages are read from ../shared (skips without)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from nlp.eval.metrics import macro_f1
from nlp.eval.stance_baselines import human_agreement, stance_baselines
from nlp.labels import STANCE
from nlp.stance.data import load_examples, page_kinds
from nlp.stance.model import load_model
from nlp.stance.target import load_target
from nlp.stance.training import train_stance

from .conftest import NO_SHARED, SHARED

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "annotations"

pytestmark = pytest.mark.skipif(not (SHARED / "pool").is_dir(), reason=NO_SHARED)


def _slice(tmp_path: Path, n_train: int, n_held: int) -> Path:
    """A gold folder of the first `n_train` train pages and `n_held` dev pages (other sites)."""
    split = json.loads((GOLD / "split.json").read_text(encoding="utf-8"))
    pages = {name: [d for d in split[name] if d.startswith("pool-") and (GOLD / "gold" / f"{d}.jsonl").is_file()]
             for name in ("train", "dev")}
    train, held = pages["train"][:n_train], pages["dev"][:n_held]
    (tmp_path / "gold").mkdir(parents=True)
    for doc_id in train + held:
        shutil.copy(GOLD / "gold" / f"{doc_id}.jsonl", tmp_path / "gold" / f"{doc_id}.jsonl")
    sites = {d: s for d, s in split["sites"].items() if d in train or d in held}
    (tmp_path / "split.json").write_text(json.dumps({"train": train, "dev": held, "test": [], "sites": sites}),
                                         encoding="utf-8")
    return tmp_path


def test_a_model_trained_on_a_slice_beats_majority_on_its_held_out_pages(tmp_path):
    gold = _slice(tmp_path / "gold_slice", n_train=60, n_held=12)
    report = train_stance(gold, tmp_path / "model", splits=("train",), corpus_dir=None)
    assert report is not None
    model = load_model(tmp_path / "model")
    target = load_target()
    held, labels = load_examples(gold, splits=("dev",), target=target,
                                 kinds=page_kinds(json.loads((gold / "split.json").read_text())["dev"]))
    proba = model.predict_proba(held)
    predicted = [model.target.labels[i] for i in proba.argmax(axis=1)]
    _, train_labels = load_examples(gold, splits=("train",), target=target)
    majority = Counter(train_labels).most_common(1)[0][0]
    learned = macro_f1(labels, predicted, STANCE)["macro_f1"]
    baseline = macro_f1(labels, [majority] * len(labels), STANCE)["macro_f1"]
    assert len(set(labels)) >= 3, "the held-out pages should carry several stance labels"
    assert learned > baseline + 0.05, (learned, baseline)


def test_baselines_on_dev_are_fitted_on_train_only_and_stand_below_the_human_ceiling():
    scores = stance_baselines(GOLD, "dev", before_model=None)
    assert set(scores) == {"stance_majority", "stance_tfidf_lr", "stance_human"}
    majority = scores["stance_majority"]
    assert majority["f1_none"] > 0.5 and majority["f1_support"] == majority["f1_oppose"] == 0.0
    assert scores["stance_tfidf_lr"]["macro_f1"] > majority["macro_f1"]
    human = scores["stance_human"]
    assert human["kappa"] > 0.6 and human["macro_f1"] > scores["stance_tfidf_lr"]["macro_f1"]
    assert majority["n"] == scores["stance_tfidf_lr"]["n"] > human["n"] > 0  # pass B read pool pages only


def test_no_baseline_is_fitted_for_the_training_split_itself():
    assert stance_baselines(GOLD, "train") == {}


def test_human_agreement_is_absent_without_two_passes(tmp_path):
    (tmp_path / "split.json").write_text(json.dumps({"dev": ["pool-001"]}), encoding="utf-8")
    assert human_agreement(tmp_path, "dev") is None


def test_the_cascade_trains_on_a_slice_saves_fp16_and_routes_only_what_the_first_pass_leaves(tmp_path):
    from nlp.stance.cascade import CascadeModel
    from nlp.stance.training import CASCADE

    gold = _slice(tmp_path / "gold_slice", n_train=12, n_held=4)
    train_stance(gold, tmp_path / "cascade", splits=("train",), corpus_dir=None, approach=CASCADE)
    model = load_model(tmp_path / "cascade")
    assert isinstance(model, CascadeModel)
    size = (tmp_path / "cascade" / "top_layers.pt").stat().st_size
    assert size < 4_000_000, size  # one MiniLM layer and the head in fp16 (~3.6 MB), not the encoder
    held, _ = load_examples(gold, splits=("dev",), target=load_target())
    first = model.first.predict_proba(held)
    proba = model.predict_proba(held)
    routed = model.route(first)
    assert model.seen == len(held) and model.routed == int(routed.sum())
    assert np.allclose(proba[~routed], first[~routed])  # settled sentences keep the first pass's scores
    assert np.allclose(proba.sum(axis=1), 1.0)
    if routed.any():
        assert not np.allclose(proba[routed], first[routed])
