"""Agreement statistics: oracles (scikit-learn's kappa, Krippendorff's published example), properties
(hypothesis) and the report over a store with several annotators and an adjudication."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.annotate import actions
from nlp.annotate.agreement import agreement_report, cohen_kappa, disagreements, krippendorff_alpha, span_f1

LABELS = st.sampled_from(["support", "oppose", "qualified", "none"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(LABELS, LABELS), min_size=1, max_size=40))
def test_kappa_matches_scikit_learn(pairs):
    from sklearn.metrics import cohen_kappa_score

    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    ours = cohen_kappa(a, b)
    if ours is None:  # undefined: both raters used one and the same label throughout
        assert len(set(a) | set(b)) == 1
    else:
        assert ours == pytest.approx(cohen_kappa_score(a, b))


def test_krippendorff_published_example():
    """Krippendorff (2011), 'Computing Krippendorff's Alpha-Reliability': 4 coders, 12 units,
    nominal alpha = 0.743."""
    n = None
    coders = [[1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
              [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
              [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
              [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n]]
    units = [[v for v in column if v is not None] for column in zip(*coders)]
    assert krippendorff_alpha(units) == pytest.approx(0.743, abs=5e-4)


def _alpha_brute_force(units):
    """Alpha from its definition as 1 - D_o / D_e with pairs enumerated one by one."""
    pairable = [u for u in units if len(u) >= 2]
    values = [v for u in pairable for v in u]
    n = len(values)
    observed = sum(sum(u[i] != u[j] for i in range(len(u)) for j in range(len(u)) if i != j) / (len(u) - 1)
                   for u in pairable) / n
    expected = sum(values[i] != values[j] for i in range(n) for j in range(n) if i != j) / (n * (n - 1))
    return None if expected == 0 else 1 - observed / expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(LABELS, min_size=0, max_size=5), min_size=1, max_size=12))
def test_alpha_matches_brute_force(units):
    expected = _alpha_brute_force(units) if sum(len(u) for u in units if len(u) >= 2) >= 2 else None
    got = krippendorff_alpha(units)
    if expected is None:
        assert got is None
    else:
        assert got == pytest.approx(expected)
        assert got <= 1.0


@given(st.lists(st.lists(LABELS, min_size=2, max_size=4).map(lambda u: [u[0]] * len(u)), min_size=2, max_size=10))
def test_alpha_is_one_on_perfect_agreement(units):
    alpha = krippendorff_alpha(units)
    if len({u[0] for u in units}) > 1:
        assert alpha == pytest.approx(1.0)
    else:
        assert alpha is None


def test_span_f1():
    a = {"s1": {(0, 4, "ORG"), (10, 14, "CRC")}, "s2": {(3, 5, "LAW")}, "only-a": {(1, 2, "ORG")}}
    b = {"s1": {(0, 4, "ORG"), (10, 14, "ORG")}, "s2": set()}
    result = span_f1(a, b)
    assert result == {"sentences": 2, "spans_a": 3, "spans_b": 2, "matched": 1, "precision": 0.3333,
                      "recall": 0.5, "f1": 0.4}
    assert span_f1({"s": set()}, {"s": set()})["f1"] == 1.0


def _label(store, who, doc_id, sent_id, layer, value):
    actions.set_label(store, who, {"doc_id": doc_id, "sent_id": sent_id, "layer": layer, "value": value})


def test_report_over_three_annotators(store):
    stances = {"alice": ["support", "none", "qualified", "none"],
               "bob": ["support", "none", "oppose", "none"],
               "carol": ["support", "support", "qualified", None]}
    keys = [("doc-a", 1), ("doc-a", 2), ("doc-b", 2), ("doc-b", 3)]
    for who, labels in stances.items():
        for (doc_id, sent_id), label in zip(keys, labels):
            if label:
                _label(store, who, doc_id, sent_id, "stance", label)
        actions.accept(store, who, {"doc_id": "doc-a", "sent_id": 2})
    report = agreement_report(store)
    assert report["annotators"] == ["alice", "bob", "carol"]
    stance = report["layers"]["stance"]
    pairs = {(p["a"], p["b"]): p for p in stance["pairs"]}
    assert pairs[("alice", "bob")]["n"] == 4 and pairs[("alice", "bob")]["agreement"] == 0.75
    assert pairs[("alice", "carol")]["n"] == 3
    from sklearn.metrics import cohen_kappa_score

    assert pairs[("alice", "bob")]["kappa"] == pytest.approx(
        cohen_kappa_score(stances["alice"], stances["bob"]), abs=1e-4)
    units = [[stances[w][i] for w in stances if stances[w][i]] for i in range(4)]
    assert stance["alpha"] == pytest.approx(krippendorff_alpha(units), abs=1e-4)
    assert report["spans"]["entity"][0]["f1"] == 1.0  # everyone accepted the same suggested spans
    found = {(d["layer"], d["item"]) for d in report["disagreements"]}
    assert found == {("stance", "doc-a:2"), ("stance", "doc-b:2")}


def test_adjudication_settles_and_is_not_an_annotator(store):
    _label(store, "alice", "doc-a", 1, "stance", "support")
    _label(store, "bob", "doc-a", 1, "stance", "none")
    actions.set_label(store, "adjudicator", {"doc_id": "doc-a", "sent_id": 1, "layer": "stance", "value": "none"},
                      adjudication=True)
    report = agreement_report(store)
    assert report["annotators"] == ["alice", "bob"]
    assert report["n_disagreements"] == 1 and report["n_settled"] == 1
    assert disagreements(store)[0]["adjudicated"] == "none"


def test_entity_and_quantity_disagreements(store):
    for who in ("alice", "bob"):
        actions.accept(store, who, {"doc_id": "doc-b", "sent_id": 1})
    q = store.suggestions("doc-b", 1)["quantity"]["value"][0]
    actions.edit_span(store, "bob", {"doc_id": "doc-b", "sent_id": 1, "layer": "quantity", "op": "remove", "span": q})
    ent = store.suggestions("doc-b", 1)["entity"]["value"][0]
    actions.edit_span(store, "bob", {"doc_id": "doc-b", "sent_id": 1, "layer": "entity", "op": "update",
                                     "span": {**ent, "label": "ORG"}})
    report = agreement_report(store)
    assert report["spans"]["entity"][0]["f1"] == 0.0
    assert report["spans"]["quantity"][0]["f1"] == 0.0
    assert {d["layer"] for d in report["disagreements"]} == {"entity", "quantity"}
