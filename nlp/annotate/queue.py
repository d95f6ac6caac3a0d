"""The order in which an annotator sees sentences: least confident prediction first (active
learning), then document order; sentences the annotator finished leave the queue, skipped ones go
to its end. Filters by document, layer and label."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .errors import AnnotateErrors, AnnotationError
from .labels import LAYERS
from .store import Store


@dataclass(frozen=True)
class QueueFilter:
    doc: str | None = None  # a doc_id, or a prefix of one
    layer: str | None = None  # only sentences the model labelled in this layer (entity, link, …)
    label: str | None = None  # only sentences with this label (stance, entity label, unit, relation, …)
    include_done: bool = False


def _labels_in(layer: str, value) -> set[str]:
    """The label strings a suggestion carries, for the label filter."""
    if layer == "stance":
        return {value}
    if layer == "claim":
        return {"claim", value.get("claim_type")} if value.get("claim") else {"no-claim"}
    if layer == "segment":
        return {value.get("segment")}
    if layer == "entity":
        return {s.get("label") for s in value}
    if layer == "quantity":
        return {s.get("unit") for s in value}
    return set()


def _has_layer(layer: str, value) -> bool:
    if layer in ("entity", "quantity"):
        return bool(value)
    if layer == "claim":
        return bool(value.get("claim"))
    return True


def _confidence(layers: dict[str, dict]) -> float | None:
    """The stance confidence, or the claim score's certainty (distance from 0.5) where that is lower;
    None without a stance prediction (the queue then keeps document order)."""
    stance = layers.get("stance")
    if not stance or stance["confidence"] is None:
        return None
    confidence = float(stance["confidence"])
    claim = layers.get("claim")
    if claim and claim["confidence"] is not None:
        confidence = min(confidence, abs(float(claim["confidence"]) - 0.5) * 2)
    return confidence


def build_queue(store: Store, annotator: str, filters: QueueFilter = QueueFilter()) -> list[dict]:
    """[{doc_id, sent_id, confidence, status}] in the order the annotator should see them."""
    if filters.layer is not None and filters.layer not in LAYERS:
        raise AnnotationError(AnnotateErrors.A005.format(layer=filters.layer, allowed=", ".join(LAYERS)))
    by_sentence: dict[tuple[str, int], dict[str, dict]] = defaultdict(dict)
    for row in store.all_suggestions():
        by_sentence[(row["doc_id"], row["sent_id"])][row["layer"]] = row
    linked = _linked_sentences(store)
    status = {(e["doc_id"], e["sent_id"]): e["after"] for e in store.latest(layer="review")
              if e["annotator"] == annotator and not e["adjudication"]}
    items = []
    for sent in store.sentences():
        key = (sent["doc_id"], sent["sent_id"])
        if filters.doc and not sent["doc_id"].startswith(filters.doc):
            continue
        if not filters.include_done and status.get(key) == "done":
            continue
        layers = by_sentence.get(key, {})
        if not _matches(layers, linked.get(key, set()), filters):
            continue
        items.append({"doc_id": key[0], "sent_id": key[1], "confidence": _confidence(layers),
                      "status": status.get(key)})
    items.sort(key=lambda i: (i["status"] == "done", i["status"] == "skipped",
                              i["confidence"] if i["confidence"] is not None else 2.0, i["doc_id"], i["sent_id"]))
    return items


def _linked_sentences(store: Store) -> dict[tuple[str, int], set[str]]:
    out: dict[tuple[str, int], set[str]] = defaultdict(set)
    with store.connect() as conn:
        for row in conn.execute("SELECT a_doc, a_sent, b_doc, b_sent, relation FROM links"):
            out[(row["a_doc"], row["a_sent"])].add(row["relation"])
            out[(row["b_doc"], row["b_sent"])].add(row["relation"])
    return out


def _matches(layers: dict[str, dict], link_relations: set[str], filters: QueueFilter) -> bool:
    if filters.layer == "link":
        return bool(link_relations) and (filters.label is None or filters.label in link_relations)
    if filters.layer in (None, "review"):
        if filters.label is None:
            return True
        labels = set(link_relations)
        for layer, row in layers.items():
            labels |= _labels_in(layer, row["value"])
        return filters.label in labels
    row = layers.get(filters.layer)
    if row is None or not _has_layer(filters.layer, row["value"]):
        return False
    return filters.label is None or filters.label in _labels_in(filters.layer, row["value"])
