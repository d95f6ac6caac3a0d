"""Stance aggregated for `claims report OUT --stance`: by document, speaker, document kind or
date, with counts and shares, and the sentences behind any cell."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..engine.outputs import check_out_dir, load_rows
from ..labels import STANCE as LABELS

GROUPINGS = ("document", "speaker", "kind", "year", "month")
UNATTRIBUTED = "(unattributed)"


def _stance_rows(out_dir) -> list[dict]:
    """Every sentence with its stance, speaker (sentence speaker, else the document's author) and document."""
    out = check_out_dir(out_dir)
    docs = {d["doc_id"]: d for d in load_rows(out, "documents")}
    stance = {(r["doc_id"], r["sent_id"]): r for r in load_rows(out, "stance")}
    rows = []
    for sent in load_rows(out, "sentences"):
        label = stance.get((sent["doc_id"], sent["sent_id"]))
        if label is None or sent["segment"] == "boilerplate":
            continue
        doc = docs[sent["doc_id"]]
        date = doc.get("date") or ""
        rows.append({"doc_id": sent["doc_id"], "sent_id": sent["sent_id"], "text": sent["text"],
                     "label": label["label"], "confidence": label["confidence"],
                     "speaker": sent.get("speaker") or doc.get("author") or UNATTRIBUTED,
                     "kind": doc.get("kind"), "document": sent["doc_id"],
                     "year": date[:4] or "(undated)", "month": date[:7] if len(date) >= 7 else "(undated)"})
    return rows


def stance_table(out_dir, *, by: str = "document") -> list[dict]:
    """One row per group: sentence count, count and share of each label, and the stance-bearing
    share that supports (support / (support + oppose + qualified))."""
    groups: dict[str, Counter] = defaultdict(Counter)
    for row in _stance_rows(out_dir):
        groups[row[by]][row["label"]] += 1
    table = []
    for group, counts in groups.items():
        total = sum(counts.values())
        stance_bearing = total - counts["none"]
        row = {by: group, "sentences": total}
        for label in LABELS:
            row[label] = counts[label]
            row[f"{label}_share"] = round(counts[label] / total, 3) if total else 0.0
        row["support_of_stance"] = round(counts["support"] / stance_bearing, 3) if stance_bearing else None
        table.append(row)
    order = (lambda r: r[by]) if by in {"year", "month"} else (lambda r: (-(r["sentences"] - r["none"]), r[by]))
    return sorted(table, key=order)


def stance_columns(by: str) -> tuple[str, ...]:
    return (by, "sentences", *LABELS, *(f"{label}_share" for label in LABELS), "support_of_stance")


def cell_sentences(out_dir, *, by: str, group: str, label: str | None = None) -> list[dict]:
    """The sentences behind one cell of stance_table (a group, optionally one label)."""
    return [r for r in _stance_rows(out_dir) if r[by] == group and (label is None or r["label"] == label)]
