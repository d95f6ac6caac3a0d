"""The stacked stance model (nlp/stance/stacking.py): its document context, and that the second
pass reads a sentence by its document. Made-up lines only."""

from __future__ import annotations

import numpy as np

from nlp.stance.data import contexts_for
from nlp.stance.features import build_table
from nlp.stance.stacking import ContextStackedClassifier, document_context


def test_document_context_is_the_other_sentences_mean_and_the_neighbours():
    proba = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [0.2, 0.8]])
    out = document_context(["a", "a", "a", "b"], proba)
    assert np.allclose(out[0, :2], [0.25, 0.75])  # mean of rows 1 and 2, not itself
    assert np.allclose(out[0, 2:4], 0) and np.allclose(out[0, 4:], [0.0, 1.0])  # no previous; next is row 1
    assert np.allclose(out[2, 2:4], [0.0, 1.0]) and np.allclose(out[2, 4:], 0)  # last of doc a: no next
    assert np.allclose(out[3], 0)  # alone in its document: nothing else to read


ARGUED = ["We welcome the reunification of probation {i}.", "Bringing probation back together is right {i}."]
PLAIN = ["The meeting was held in room {i}.", "Minutes were circulated to members {i}."]
SHARED = "The plan is set out in the annex."


def _docs(n: int, offset: int = 0):
    """Documents whose one shared sentence takes its label from the document around it."""
    examples, labels = [], []
    for i in range(offset, offset + n):
        for name, lines, label in (("argued", ARGUED, "support"), ("plain", PLAIN, "none")):
            texts = [line.format(i=i) for line in lines] + [SHARED]
            examples += contexts_for(f"{name}-{i}", texts)
            labels += [label] * len(texts)
    return examples, np.asarray(labels)


def test_the_second_pass_reads_a_sentence_by_its_document():
    examples, labels = _docs(12)
    model = ContextStackedClassifier(c=10.0, inner_cv=4).fit(build_table(examples), labels)
    held, _ = _docs(2, offset=100)
    table = build_table(held)
    pred = model.predict(table)
    shared = (table["text"] == SHARED).to_numpy()
    argued = table["doc_id"].str.startswith("argued").to_numpy()
    assert set(pred[shared & argued]) == {"support"} and set(pred[shared & ~argued]) == {"none"}
    first = model.first_.predict(model.features_.transform(table))
    assert len(set(first[shared])) == 1  # the first pass alone cannot tell the two apart
    assert model.temperature_ > 0 and np.allclose(model.predict_proba(table).sum(axis=1), 1)


def test_a_sentence_read_in_its_place_gets_its_document_reading():
    """Occlusion (nlp/stance/explain.py) reads a variant in the sentence's place: the unchanged
    sentence there scores as in the whole document, and the shared sentence keeps its document's label."""
    examples, labels = _docs(12)
    model = ContextStackedClassifier(c=10.0, inner_cv=4).fit(build_table(examples), labels)
    held, _ = _docs(1, offset=200)
    for doc_id in ("argued-200", "plain-200"):
        document = build_table([c for c in held if c.doc_id == doc_id])
        position = int(np.flatnonzero(document["text"] == SHARED)[0])
        whole = model.predict_proba(document)[position]
        placed = model.predict_proba_in_place(document, position, document.iloc[[position, position]])
        assert np.allclose(placed, whole)
        assert model.classes_[placed[0].argmax()] == ("support" if doc_id.startswith("argued") else "none")
