"""Occlusion cues for a stance label (nlp/stance/explain.py) and the run's contexts rebuilt from its
output files (nlp/stance/data.py `run_contexts`, nlp/reports/stance.py)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from nlp.stance.data import SentenceContext, clean, contexts_for, run_contexts
from nlp.stance.explain import CONTEXT, MAX_WORDS, Cue, explain, explain_one, format_cues, word_spans
from nlp.stance.model import load_model
from nlp.stance.target import StanceTarget

from .conftest import needs_pages, span

MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "stance"

# (doc_id, previous, sentence, next): sentences of train pages with a stance, by offsets.
STANCE_SENTENCES = [
    ("page-027", (266, 283), (285, 352), (353, 414)),  # oppose: a call to disband the service
    ("page-102", (1289, 1395), (1396, 1483), (1484, 1647)),  # qualified: innovations must not be lost
    ("page-093", (168, 274), (276, 402), (404, 422)),  # support: the programme is sabotaging probation
]
CASES = [SentenceContext(doc_id=d, sent_id=0, text=clean(span(d, *s)), prev=clean(span(d, *p)),
                         next=clean(span(d, *n))) for d, p, s, n in STANCE_SENTENCES]


@pytest.fixture(scope="module")
def model():
    return load_model(MODEL_DIR)


def _without(context: SentenceContext, cue: Cue) -> SentenceContext:
    if cue.is_context:
        return dataclasses.replace(context, prev="", next="")
    return dataclasses.replace(context, text=clean(context.text[: cue.start] + " " + context.text[cue.end :]))


@pytest.mark.parametrize("context", CASES, ids=[d for d, *_ in STANCE_SENTENCES])
def test_cues_are_deterministic_few_and_sorted(model, context):
    needs_pages(context)
    first = explain(model, [context], top=3)[0]
    assert first == explain(model, [context], top=3)[0]
    assert 1 <= len(first) <= 3
    assert [c.weight for c in first] == sorted((c.weight for c in first), reverse=True)
    assert all(c.weight > 0 for c in first)
    assert all(context.text[c.start : c.end] == c.text for c in first if not c.is_context)
    assert explain(model, [context], top=1)[0] == first[:1]


@pytest.mark.parametrize("context", CASES, ids=[d for d, *_ in STANCE_SENTENCES])
def test_removing_the_top_cue_lowers_the_label_probability(model, context):
    needs_pages(context)
    result = explain_one(model, context, top=3)
    label = model.target.labels.index(result.label)
    before = model.predict_proba([context])[0]
    assert model.target.labels[int(before.argmax())] == result.label
    assert result.probability == pytest.approx(before[label], abs=1e-9)
    after = model.predict_proba([_without(context, result.cues[0])])[0, label]
    assert after < before[label]
    assert before[label] - after == pytest.approx(result.cues[0].weight, abs=1e-9)


class _Stub:
    """A model of the interface only: `support` from the word "cut" and from any context."""

    target = StanceTarget(name="t", description="", labels=("support", "none"), definitions=("", ""))
    needs_embeddings = False

    def __init__(self) -> None:
        self.calls: list[int] = []

    def predict_proba(self, contexts, lookup=None):
        self.calls.append(len(contexts))
        p = np.array([0.2 + 0.5 * ("cut" in c.text.split()) + 0.2 * bool(c.prev or c.next) for c in contexts])
        return np.column_stack([p, 1 - p])


def test_context_is_a_cue_and_words_are_capped_in_one_call():
    stub = _Stub()
    context = SentenceContext(doc_id="d", sent_id=0, text="They cut the budget again.", prev="Before.", next="")
    cues = explain(stub, [context], top=3)[0]
    assert [(c.text, round(c.weight, 6)) for c in cues] == [("cut", 0.5), (CONTEXT, 0.2)]
    assert cues[1].is_context and cues[1].start is None
    assert stub.calls == [1 + 5 + 1]  # the sentence, each of its five words, the context
    long = SentenceContext(doc_id="d", sent_id=1, text=" ".join(["word"] * 200 + ["cut"]))
    assert explain(stub, [long])[0] == []  # "cut" is word 201: past the cap, never dropped
    assert stub.calls[-1] == 1 + MAX_WORDS


def test_word_spans_keep_inner_punctuation_and_match_cleaned_text():
    raw = "It cost £3,550 —\n  and didn't re-unify\tanything."
    words = [raw[a:b] for a, b in word_spans(raw)]
    assert words == ["It", "cost", "3,550", "and", "didn't", "re-unify", "anything"]
    assert [clean(raw)[a:b] for a, b in word_spans(clean(raw))] == words


def test_format_cues():
    cues = [Cue("cut", 0.2134, 3, 6), Cue(CONTEXT, 0.08)]
    assert format_cues(cues) == '"cut" .21, context .08'
    assert format_cues([c.to_dict() for c in cues]) == '"cut" .21, context .08'
    assert format_cues([]) == ""


def test_run_contexts_break_neighbours_at_piece_cuts():
    rows = [{"sent_id": i, "start": 10 * i, "text": f"S{i}.", "segment": "body", "speaker": None} for i in range(4)]
    whole = run_contexts("d", list(reversed(rows)))
    assert whole == contexts_for("d", ["S0.", "S1.", "S2.", "S3."], sent_ids=[0, 1, 2, 3])
    cut = run_contexts("d", rows, piece_starts=[0, 20])
    assert [(c.prev, c.next) for c in cut] == [("", "S1."), ("S0.", ""), ("", "S3."), ("S2.", "")]


@pytest.mark.slow
def test_contexts_rebuilt_from_a_run_give_its_scores(seed_run, model):
    """The model sees what it saw at run time: same scores as stance.jsonl, sentence by sentence."""
    from nlp.reports.stance import run_contexts_of

    stance = [json.loads(line) for line in (seed_run / "stance.jsonl").read_text(encoding="utf-8").splitlines()]
    contexts, _ = run_contexts_of(seed_run, {r["doc_id"] for r in stance})
    proba = model.predict_proba([contexts[r["doc_id"], r["sent_id"]] for r in stance])
    expected = np.array([list(r["scores"].values()) for r in stance])
    assert np.abs(proba - expected).max() < 1e-3


def test_a_document_without_the_sentence_is_refused(model):
    """The sentence is read in its place in `document`: a document that lacks it is an error that
    names it, not a StopIteration from inside the look-up."""
    sentence, other = contexts_for("made-up", ["Probation was privatised in 2014.", "The CRCs have failed."])
    with pytest.raises(ValueError, match="sentence 0 of 'made-up'"):
        explain_one(model, sentence, document=[other])
