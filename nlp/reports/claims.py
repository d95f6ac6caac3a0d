"""Tables for `claims report`: the claim table and the per-document summary, as plain rows."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from ..engine.outputs import check_out_dir, load_rows

CLAIM_COLUMNS = ("doc_id", "sent_id", "type", "text", "value", "value_high", "unit", "approx", "measure",
                 "period", "entities")
SUMMARY_COLUMNS = ("doc_id", "kind", "date", "title", "sentences", "claims", "numeric", "factual", "evaluative",
                   "entities", "quantities")


@dataclass(frozen=True)
class ClaimFilter:
    entity: str | None = None  # an entity_id, or text found in an entity mention (case-insensitive)
    unit: str | None = None
    doc: str | None = None  # doc_id, or a prefix of it
    kind: str | None = None  # document kind
    type: str | None = None  # claim type


def claim_table(out_dir, filters: ClaimFilter = ClaimFilter()) -> list[dict]:
    """One row per claim and quantity (a claim without quantities gives one row with no value)."""
    out = check_out_dir(out_dir)
    docs = {d["doc_id"]: d for d in load_rows(out, "documents")}
    quantities = {q["quantity_id"]: q for q in load_rows(out, "quantities") if "quantity_id" in q}
    mentions = defaultdict(list)
    for ent in load_rows(out, "entities"):
        mentions[(ent["doc_id"], ent["sent_id"])].append(ent)
    rows = []
    for claim in load_rows(out, "claims"):
        doc = docs.get(claim["doc_id"], {})
        ents = mentions[(claim["doc_id"], claim["sent_id"])]
        if not _keep(claim, doc, ents, filters):
            continue
        names = ", ".join(sorted({f"{e['text']} [{e['label']}]" for e in ents}))
        base = {"doc_id": claim["doc_id"], "sent_id": claim["sent_id"], "type": claim["type"], "text": claim["text"],
                "entities": names}
        qtys = [quantities[q] for q in claim.get("quantity_ids", []) if q in quantities]
        if filters.unit:
            qtys = [q for q in qtys if q["unit"] == filters.unit]
            if not qtys:
                continue
        for qty in qtys or [None]:
            row = dict(base)
            for key in ("value", "value_high", "unit", "approx", "measure", "period"):
                row[key] = qty.get(key) if qty else None
            rows.append({k: row[k] for k in CLAIM_COLUMNS})
    return rows


def _keep(claim: dict, doc: dict, ents: list[dict], f: ClaimFilter) -> bool:
    if f.doc and not claim["doc_id"].startswith(f.doc):
        return False
    if f.kind and doc.get("kind") != f.kind:
        return False
    if f.type and claim["type"] != f.type:
        return False
    if f.entity:
        needle = f.entity.lower()
        if not any(e["entity_id"].lower() == needle or needle in e["text"].lower() for e in ents):
            return False
    return True


def document_summary(out_dir) -> list[dict]:
    out = check_out_dir(out_dir)
    counts: dict[str, Counter] = defaultdict(Counter)
    for name in ("sentences", "entities", "quantities"):
        for row in load_rows(out, name):
            counts[row["doc_id"]][name] += 1
    for claim in load_rows(out, "claims"):
        counts[claim["doc_id"]]["claims"] += 1
        counts[claim["doc_id"]][claim["type"]] += 1
    rows = []
    for doc in load_rows(out, "documents"):
        c = counts[doc["doc_id"]]
        rows.append({"doc_id": doc["doc_id"], "kind": doc["kind"], "date": doc.get("date"),
                     "title": (doc.get("title") or "")[:60], "sentences": c["sentences"], "claims": c["claims"],
                     "numeric": c["numeric"], "factual": c["factual"], "evaluative": c["evaluative"],
                     "entities": c["entities"], "quantities": c["quantities"]})
    return rows
