"""The event store: properties of span editing and undo over arbitrary edit sequences (hypothesis)."""

from __future__ import annotations

import itertools

import pytest
from annotate_helpers import write_run_folder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.annotate import actions
from nlp.annotate.errors import AnnotationError
from nlp.annotate.loader import load_run
from nlp.annotate.store import Store

_NAMES = itertools.count()
KEY = {"doc_id": "doc-a", "sent_id": 3}


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("store")
    store = Store(tmp / "db.sqlite", durable=False)
    load_run(store, write_run_folder(tmp / "run"))
    return store


EDIT = st.tuples(st.sampled_from(["add", "remove"]), st.integers(0, 110), st.integers(1, 30),
                 st.sampled_from(["ORG", "CRC", "PROGRAMME"]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(EDIT, min_size=1, max_size=12))
def test_span_edits_keep_invariants(shared_store, edits):
    annotator = f"h{next(_NAMES)}"
    sentence = shared_store.sentence("doc-a", 3)
    base = sentence["start"]
    for op, offset, length, label in edits:
        span = {"start": base + offset, "end": base + offset + length, "label": label}
        try:
            actions.edit_span(shared_store, annotator, {**KEY, "layer": "entity", "op": op, "span": span})
        except AnnotationError:
            pass  # outside the sentence, only white space, or nothing to remove: refused, nothing written
    labels = shared_store.sentence_labels(annotator, "doc-a", 3).get("entity", [])
    previous_end = sentence["start"]
    for span in labels:
        assert sentence["start"] <= span["start"] < span["end"] <= sentence["end"]
        assert span["text"] == sentence["text"][span["start"] - base:span["end"] - base]
        assert span["text"] == span["text"].strip()
        assert span["start"] >= previous_end  # sorted, no overlaps
        previous_end = span["end"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["support", "oppose", "qualified", "none"]), min_size=1, max_size=6))
def test_undo_everything_restores_the_suggestion(shared_store, stances):
    annotator = f"u{next(_NAMES)}"
    for label in stances:
        actions.set_label(shared_store, annotator, {**KEY, "layer": "stance", "value": label})
    assert shared_store.sentence_labels(annotator, "doc-a", 3)["stance"] == stances[-1]
    for expected in reversed([None] + stances[:-1]):
        shared_store.undo(annotator)
        assert shared_store.sentence_labels(annotator, "doc-a", 3).get("stance") == expected
    with pytest.raises(AnnotationError, match="nothing to undo"):
        shared_store.undo(annotator)
    assert len(shared_store.events(annotator=annotator)) == 2 * len(stances)  # every step kept


def test_not_a_database(tmp_path):
    path = tmp_path / "x.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(AnnotationError, match="A010"):
        Store(path)
