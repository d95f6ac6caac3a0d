"""Fill the store's documents, sentences and model suggestions from a `claims run` output folder."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from ..engine.outputs import check_out_dir, load_rows
from .errors import AnnotateErrors, AnnotationError
from .store import Store

_ENTITY_FIELDS = ("start", "end", "text", "label", "entity_id")
_QUANTITY_FIELDS = ("start", "end", "text", "value", "value_high", "unit", "approx", "measure", "period")


def _spans(rows: list[dict], fields: tuple[str, ...]) -> dict[tuple[str, int], list[dict]]:
    out: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for row in rows:
        out[(row["doc_id"], row["sent_id"])].append({f: row.get(f) for f in fields})
    for spans in out.values():
        spans.sort(key=lambda s: (s["start"], s["end"]))
    return out


def _claim_suggestions(claims: list[dict]) -> dict[tuple[str, int], tuple[dict, float | None]]:
    out = {}
    for claim in claims:
        score = claim.get("score")
        out[(claim["doc_id"], claim["sent_id"])] = ({"claim": True, "claim_type": claim.get("type")},
                                                    float(score) if score is not None else None)
    return out


def _check_segmentation(conn, doc_id: str, sentences: list[dict]) -> None:
    """Refuse to reload a document whose sentences moved while labels refer to them."""
    if conn.execute("SELECT 1 FROM events WHERE doc_id = ? LIMIT 1", (doc_id,)).fetchone() is None:
        return
    old = {(r["sent_id"], r["start"], r["end"]) for r in
           conn.execute('SELECT sent_id, start, "end" FROM sentences WHERE doc_id = ?', (doc_id,))}
    new = {(s["sent_id"], s["start"], s["end"]) for s in sentences}
    if old and old != new:
        raise AnnotationError(AnnotateErrors.A011.format(doc_id=doc_id))


def load_run(store: Store, out_dir: str | Path) -> dict[str, int]:
    """Copy a run folder's documents, sentences and predictions into the store (idempotent).
    Predictions are suggestions, not labels: reloading replaces them and never touches events."""
    out = check_out_dir(out_dir)
    documents = load_rows(out, "documents", required=True)
    sentences = load_rows(out, "sentences", required=True)
    entities = _spans(load_rows(out, "entities"), _ENTITY_FIELDS)
    quantities = _spans(load_rows(out, "quantities"), _QUANTITY_FIELDS)
    claims = _claim_suggestions(load_rows(out, "claims"))
    stance = {(r["doc_id"], r["sent_id"]): r for r in load_rows(out, "stance")}
    links = load_rows(out, "links")
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for sent in sentences:
        by_doc[sent["doc_id"]].append(sent)
    with store.transaction() as conn:
        for doc in documents:
            _check_segmentation(conn, doc["doc_id"], by_doc.get(doc["doc_id"], []))
            conn.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?, ?)",
                         (doc["doc_id"], doc.get("title"), doc.get("kind"), doc.get("date"), doc.get("url"),
                          doc.get("text")))
        for sent in sentences:
            key = (sent["doc_id"], sent["sent_id"])
            conn.execute('INSERT OR REPLACE INTO sentences (doc_id, sent_id, start, "end", text) '
                         "VALUES (?, ?, ?, ?, ?)", (*key, sent["start"], sent["end"], sent["text"]))
            claim, claim_score = claims.get(key, ({"claim": False, "claim_type": None}, None))
            rows = [("segment", {"segment": sent.get("segment") or "body", "speaker": sent.get("speaker")}, None),
                    ("claim", claim, claim_score),
                    ("entity", entities.get(key, []), None),
                    ("quantity", quantities.get(key, []), None)]
            if key in stance:
                rows.append(("stance", stance[key]["label"], stance[key].get("confidence")))
            for layer, value, confidence in rows:
                conn.execute("INSERT OR REPLACE INTO suggestions VALUES (?, ?, ?, ?, ?)",
                             (layer, *key, json.dumps(value, ensure_ascii=False, sort_keys=True), confidence))
        for link in links:
            a_doc, a_sent = _claim_key(link["a"])
            b_doc, b_sent = _claim_key(link["b"])
            conn.execute("INSERT OR REPLACE INTO links VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         (f"{link['a']}|{link['b']}", link["a"], link["b"], a_doc, a_sent, b_doc, b_sent,
                          link.get("relation"), link.get("score"), link.get("reason")))
    return {"documents": len(documents), "sentences": len(sentences), "links": len(links)}


def _claim_key(claim_id: str) -> tuple[str, int]:
    """`DOC_ID:SENT_ID` (doc ids may contain colons: split at the last one)."""
    doc_id, _, sent = str(claim_id).rpartition(":")
    try:
        return doc_id, int(sent)
    except ValueError as exc:
        raise AnnotationError(AnnotateErrors.A012.format(path="links.jsonl", where=claim_id,
                                                         reason="claim ids are DOC_ID:SENT_ID")) from exc
