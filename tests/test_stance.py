"""Stance: estimator contract, target as configuration (retargeting end to end), calibration,
determinism, and the claims_stance component on real corpus sentences."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils.estimator_checks import parametrize_with_checks

import nlp.components  # noqa: F401  (registers the factories)
from nlp.errors import InputError
from nlp.stance.calibration import TemperatureScaledClassifier, fit_temperature, softmax_temperature
from nlp.stance.data import contexts_for, load_examples
from nlp.stance.model import load_model
from nlp.stance.target import load_target
from nlp.stance.training import fit_model, train_stance

ROOT = Path(__file__).resolve().parents[1]
MODEL_DIR = ROOT / "models" / "stance"

# A made-up target with made-up annotations, written here: six short "documents".
FOUR_DAY_TOML = """
name = "four-day week"
description = "A four-day working week with no loss of pay."
gold_field = "stance"
default_label = "neutral"
[labels]
for = "Wants the four-day week."
against = "Does not want the four-day week."
neutral = "Says nothing for or against it."
"""
FOUR_DAY_DOCS = {
    "fdw-1": [("A four-day week would make staff happier.", "for"),
              ("The trial ran for six months.", "neutral"),
              ("We should adopt the four-day week everywhere.", "for"),
              ("Productivity fell badly under the shorter week.", "against"),
              ("The office opens at nine.", "neutral")],
    "fdw-2": [("Shorter weeks are great for families.", "for"),
              ("The four-day week is a costly mistake.", "against"),
              ("Sixty firms took part.", "neutral"),
              ("Workers loved the extra day off.", "for"),
              ("The report was published on Monday.", "neutral")],
    "fdw-3": [("The four-day week will ruin small businesses.", "against"),
              ("Customers cannot wait an extra day.", "against"),
              ("The survey had twelve questions.", "neutral"),
              ("Happier staff and lower costs: bring in the four-day week.", "for"),
              ("Managers met on Tuesday.", "neutral")],
    "fdw-4": [("A shorter week is simply a good idea.", "for"),
              ("Cutting a day will hurt output.", "against"),
              ("The trial started in June.", "neutral"),
              ("We oppose the four-day week.", "against"),
              ("Staff support the four-day week strongly.", "for")],
    "fdw-5": [("The minister spoke for ten minutes.", "neutral"),
              ("The four-day week is a great success.", "for"),
              ("Nobody wants the four-day week here.", "against"),
              ("Lunch is served at noon.", "neutral"),
              ("The shorter week failed our customers.", "against")],
    "fdw-6": [("Every firm should try the four-day week.", "for"),
              ("The four-day week is a bad idea for hospitals.", "against"),
              ("The meeting lasted an hour.", "neutral"),
              ("Staff were more rested and productive.", "for"),
              ("The building has four floors.", "neutral")],
}


def _write_gold(root: Path) -> Path:
    """Gold files in the project's format (layer: sentence records) plus split.json."""
    (root / "gold").mkdir(parents=True)
    for doc_id, rows in FOUR_DAY_DOCS.items():
        offset, lines = 0, []
        for sent_id, (text, label) in enumerate(rows):
            lines.append(json.dumps({"layer": "sentence", "doc_id": doc_id, "sent_id": sent_id, "start": offset,
                                     "end": offset + len(text), "text": text, "segment": "body",
                                     "speaker": None, "stance": label}))
            offset += len(text) + 1
        (root / "gold" / f"{doc_id}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "split.json").write_text(json.dumps({"train": sorted(FOUR_DAY_DOCS), "dev": [], "test": []}))
    return root


@pytest.fixture(scope="module")
def four_day(tmp_path_factory):
    root = _write_gold(tmp_path_factory.mktemp("four_day"))
    (root / "target.toml").write_text(FOUR_DAY_TOML, encoding="utf-8")
    report = train_stance(root, root / "model", seed=0, approach="tfidf_lr", target_path=root / "target.toml",
                          corpus_dir=None)
    return root, report


# --- the estimator contract ---------------------------------------------------------------------

@pytest.fixture(autouse=True, scope="module")
def _one_blas_thread():
    """Small linear models: threaded BLAS only adds contention on a busy 2-core machine."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        yield


@parametrize_with_checks([TemperatureScaledClassifier(cv=3, random_state=1)])
def test_sklearn_contract(estimator, check):
    check(estimator)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.lists(st.floats(0.001, 1.0), min_size=4, max_size=4), min_size=1, max_size=20),
       st.floats(0.05, 20.0))
def test_temperature_keeps_argmax_and_sums_to_one(rows, temperature):
    proba = np.asarray(rows)
    proba /= proba.sum(axis=1, keepdims=True)
    scaled = softmax_temperature(proba, temperature)
    assert np.allclose(scaled.sum(axis=1), 1.0)
    assert (scaled.argmax(axis=1) == proba.argmax(axis=1)).all() or np.isclose(
        np.sort(proba, axis=1)[:, -1], np.sort(proba, axis=1)[:, -2]).any()


def test_temperature_cools_overconfident_scores():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 400)
    right = rng.random(400) < 0.7  # 70 % right, but always 99 % sure
    guess = np.where(right, y, 1 - y)
    proba = np.where(guess[:, None] == np.arange(2), 0.99, 0.01)
    assert fit_temperature(proba, y) > 1.5


# --- the target as configuration ------------------------------------------------------------------

def test_default_target_is_spec_label_set():
    target = load_target()
    assert target.name == "reunification"
    assert target.labels == ("support", "oppose", "qualified", "none")
    assert target.default_label == "none" and all(target.definitions)


def test_retarget_end_to_end(four_day):
    import spacy

    root, report = four_day
    model = load_model(root / "model")
    assert model.target.name == "four-day week"
    assert (root / "model" / "MODEL_CARD.md").is_file()
    nlp = spacy.blank("en")
    nlp.add_pipe("claims_segmenter")
    nlp.add_pipe("claims_stance", config={"models_dir": str(root), "model_subdir": "model"})
    doc = nlp("We should adopt the four-day week. The office opens at nine. Nobody wants a shorter week.")
    assert len(doc._.stance) == len(doc._.segments) == 3
    for stance in doc._.stance:
        assert stance.label in {"for", "against", "neutral"}
        assert set(stance.scores) == {"for", "against", "neutral"}
        assert sum(stance.scores.values()) == pytest.approx(1.0)
    assert doc._.stance[0].label == "for"


def test_load_examples_reads_target_field(four_day):
    root, _ = four_day
    target = load_target(root / "target.toml")
    examples, labels = load_examples(root, splits=("train",), target=target)
    assert len(examples) == len(labels) == 30
    assert set(labels) == {"for", "against", "neutral"}
    assert examples[1].prev == examples[0].text and examples[1].next == examples[2].text


def test_unknown_label_is_an_error(tmp_path):
    root = _write_gold(tmp_path)
    with pytest.raises(InputError, match="E012"):
        load_examples(root, splits=("train",), target=load_target())  # four-day labels, default target


def test_contexts_for_neighbours():
    contexts = contexts_for("d", ["One.", "Two\nlines.", "Three."], segments=["heading", None, "body"])
    assert [c.prev for c in contexts] == ["", "One.", "Two lines."]
    assert [c.next for c in contexts] == ["Two lines.", "Three.", ""]
    assert contexts[1].segment == "body"


def test_missing_model_raises_e016(tmp_path):
    from nlp.components.stance import StanceClassifier

    with pytest.raises(InputError, match=r"E016.*claims train stance"):
        StanceClassifier(model_dir=tmp_path / "nowhere")


# --- determinism ------------------------------------------------------------------------------------

def _synthetic_lookup(examples, seed=0):
    rng = np.random.default_rng(seed)
    return {e.text: rng.normal(size=384).astype(np.float32) for e in examples}


@pytest.mark.parametrize("approach", ["tfidf_lr", "ensemble_context"])
def test_same_seed_same_model(four_day, approach):
    root, _ = four_day
    target = load_target(root / "target.toml")
    examples, labels = load_examples(root, splits=("train",), target=target)
    lookup = _synthetic_lookup(examples)
    runs = [fit_model(examples, labels, target=target, approach=approach, seed=3, lookup=lookup) for _ in range(2)]
    (a, cv_a), (b, cv_b) = runs
    assert cv_a == {**cv_b, "seconds": cv_a["seconds"]}
    assert np.array_equal(a.predict_proba(examples, lookup), b.predict_proba(examples, lookup))


def test_train_cli_rejects_unknown_target_kind():
    from typer.testing import CliRunner

    from nlp.cli.main import app

    result = CliRunner().invoke(app, ["train", "sentiment"])
    assert result.exit_code != 0
    assert result.stdout == "" or "cannot train" in result.output


# --- the shipped model on real corpus sentences -----------------------------------------------------

@pytest.fixture(scope="module")
def stance_nlp():
    import spacy

    if not (MODEL_DIR / "model.joblib").is_file():
        pytest.fail("models/stance is missing: run `claims train stance`")
    nlp = spacy.blank("en")
    nlp.add_pipe("claims_segmenter")
    nlp.add_pipe("claims_stance", config={"models_dir": str(MODEL_DIR.parent)})
    return nlp


REAL_SENTENCES = [
    # seeds and allowed corpus pages only
    ("000_57d1069afaf7de82", 2000),
    ("001_561fdb856de98ebf", 2000),
    ("page-024", 2000),
]


@pytest.mark.slow
@pytest.mark.parametrize("doc_id,chars", REAL_SENTENCES)
def test_component_on_real_text_gives_calibrated_scores(stance_nlp, corpus_docs, doc_id, chars):
    text = corpus_docs[doc_id].text[:chars]
    doc = stance_nlp(text)
    assert len(doc._.stance) == len(doc._.segments) > 0
    for i, stance in enumerate(doc._.stance):
        assert stance.sent_id == i
        assert tuple(stance.scores) == ("support", "oppose", "qualified", "none")
        assert sum(stance.scores.values()) == pytest.approx(1.0, abs=1e-6)
        assert all(0.0 <= p <= 1.0 for p in stance.scores.values())
        assert stance.label == max(stance.scores, key=stance.scores.get)
        assert 0.25 <= stance.confidence <= 1.0


@pytest.mark.slow
def test_component_batches_like_single_docs(stance_nlp, corpus_docs):
    texts = [corpus_docs["page-024"].text[:1500], corpus_docs["page-048"].text[:1500]]
    batched = [d._.stance for d in stance_nlp.pipe(texts, batch_size=2)]
    single = [stance_nlp(t)._.stance for t in texts]
    for a, b in zip(batched, single):
        assert [s.label for s in a] == [s.label for s in b]
        assert all(np.allclose(list(x.scores.values()), list(y.scores.values()), atol=1e-4) for x, y in zip(a, b))


@pytest.mark.slow
@pytest.mark.parametrize("model_dir, encoder, dim", [("stance", None, None), ("stance-minilm", "minilm", 384)])
def test_each_shipped_stance_model_embeds_with_its_own_encoder(corpus_docs, model_dir, encoder, dim):
    """The default model (character n-grams) loads no encoder at all; the MiniLM one loads its own."""
    import nlp
    from nlp.config import Config
    from nlp.stance.encoder import dimension

    pipe = nlp.load(Config(stance_model=model_dir), components=("claims_segmenter", "claims_stance"))
    stance = pipe.get_pipe("claims_stance")
    text = corpus_docs["000_57d1069afaf7de82"].text[:3000]
    doc = pipe(text)
    if encoder is None:
        assert not stance.model.needs_embeddings and stance.encoder is None
    else:
        assert stance.model.encoder == encoder and dimension(stance.encoder) == dim
    assert len(doc._.stance) == len(doc._.segments) > 5
    assert all(abs(sum(s.scores.values()) - 1) < 1e-6 and s.label in stance.labels for s in doc._.stance)
