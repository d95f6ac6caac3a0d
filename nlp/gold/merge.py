"""Two independent passes over the same pages -> agreement, the items to adjudicate, and gold.

Each pass segments the page itself, so sentences are aligned by their spans: a pass-A sentence is
paired with the pass-B sentence that overlaps it most, when that covers more than half of it.
Stance disagreements on aligned sentences go to a third reading (`adjudication`), whose label and
one-line reason settle the gold label; the gold records otherwise come from pass A, the full pass.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from ..annotate.agreement import cohen_kappa
from ..labels import STANCE


def by_doc(records: Iterable[dict]) -> dict[str, dict[str, list[dict]]]:
    out: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in records:
        out[r["doc_id"]][r["layer"]].append(r)
    return out


def align(a_sents: list[dict], b_sents: list[dict]) -> list[tuple[dict, dict | None]]:
    """Each A sentence with the B sentence overlapping most of it (None when none covers half)."""
    pairs, j = [], 0
    for a in a_sents:
        while j < len(b_sents) and b_sents[j]["end"] <= a["start"]:
            j += 1
        best, best_len = None, 0
        k = j
        while k < len(b_sents) and b_sents[k]["start"] < a["end"]:
            overlap = min(a["end"], b_sents[k]["end"]) - max(a["start"], b_sents[k]["start"])
            if overlap > best_len:
                best, best_len = b_sents[k], overlap
            k += 1
        pairs.append((a, best if best_len * 2 > a["end"] - a["start"] else None))
    return pairs


def key(record: dict) -> str:
    """A sentence's stable name in adjudication files: `DOC_ID@START-END`."""
    return f"{record['doc_id']}@{record['start']}-{record['end']}"


def stance_pairs(pass_a: dict, pass_b: dict) -> list[tuple[dict, dict | None]]:
    return [pair for doc_id in sorted(pass_a) for pair in
            align(pass_a[doc_id]["sentence"], pass_b.get(doc_id, {}).get("sentence", []))]


def disagreements(pass_a: dict, pass_b: dict) -> list[tuple[dict, dict]]:
    return [(a, b) for a, b in stance_pairs(pass_a, pass_b) if b is not None and a["stance"] != b["stance"]]


def stance_agreement(pass_a: dict, pass_b: dict) -> dict:
    """Cohen's kappa, raw agreement and per-label F1 of pass B against pass A on aligned sentences."""
    pairs = [(a["stance"], b["stance"]) for a, b in stance_pairs(pass_a, pass_b) if b is not None]
    n_a = sum(len(layers["sentence"]) for layers in pass_a.values())
    out = {"aligned": len(pairs), "pass_a_sentences": n_a, "kappa": None, "agreement": None}
    if not pairs:
        return out
    a, b = zip(*pairs)
    out["kappa"] = round(cohen_kappa(list(a), list(b)), 3)
    out["agreement"] = round(sum(x == y for x, y in pairs) / len(pairs), 3)
    for label in STANCE:
        tp = sum(x == y == label for x, y in pairs)
        n_a_label, n_b_label = a.count(label), b.count(label)
        out[f"f1_{label}"] = round(2 * tp / (n_a_label + n_b_label), 3) if n_a_label + n_b_label else None
        out[f"n_{label}"] = [n_a_label, n_b_label]
    out["confusion"] = {f"{x}->{y}": n for (x, y), n in sorted(Counter(pairs).items()) if x != y}
    return out


def span_agreement(pass_a: dict, pass_b: dict, doc_ids: Iterable[str]) -> dict:
    """Sentence spans, entity spans+labels, same-id pairs and quantity spans+values on shared pages."""
    out = {}
    docs = [d for d in doc_ids if d in pass_a and d in pass_b]
    out["pages"] = len(docs)
    for layer, fields in (("sentence", ()), ("entity", ("label",)), ("quantity", ("unit", "approx"))):
        a = {(d, r["start"], r["end"]) + tuple(r[f] for f in fields) for d in docs for r in pass_a[d][layer]}
        b = {(d, r["start"], r["end"]) + tuple(r[f] for f in fields) for d in docs for r in pass_b[d][layer]}
        tp = len(a & b)
        out[layer] = {"a": len(a), "b": len(b), "matched": tp,
                      "f1": round(2 * tp / (len(a) + len(b)), 3) if a or b else None}
    values_a = {(d, r["start"], r["end"]): round(r["value"], 4) for d in docs for r in pass_a[d]["quantity"]}
    values_b = {(d, r["start"], r["end"]): round(r["value"], 4) for d in docs for r in pass_b[d]["quantity"]}
    both = set(values_a) & set(values_b)
    out["quantity"]["value_agreement"] = round(sum(values_a[k] == values_b[k] for k in both) / len(both), 3) if both else None
    ids_a = {(d, r["start"], r["end"]): r["entity_id"] for d in docs for r in pass_a[d]["entity"]}
    ids_b = {(d, r["start"], r["end"]): r["entity_id"] for d in docs for r in pass_b[d]["entity"]}
    common = sorted(set(ids_a) & set(ids_b))
    same_a = {(x, y) for i, x in enumerate(common) for y in common[i + 1:] if ids_a[x] == ids_a[y]}
    same_b = {(x, y) for i, x in enumerate(common) for y in common[i + 1:] if ids_b[x] == ids_b[y]}
    out["entity"]["same_id_pairs_f1"] = round(2 * len(same_a & same_b) / (len(same_a) + len(same_b)), 3) \
        if same_a or same_b else None
    return out


def gold_for(pass_a_doc: dict, pass_b_doc: dict | None, adjudicated: dict[str, dict]) -> list[dict]:
    """A page's gold records: pass A's, each sentence's stance settled by agreement of the two
    passes or by the adjudication of their disagreement."""
    records = []
    pairs = align(pass_a_doc["sentence"], (pass_b_doc or {}).get("sentence", []))
    spans = defaultdict(list)
    for layer in ("entity", "quantity"):
        for r in pass_a_doc[layer]:
            spans[r["sent_id"]].append(r)
    for a, b in pairs:
        record = dict(a)
        record["stance_passes"] = [a["annotator"], b["annotator"] if b else None]
        decision = adjudicated.get(key(a))
        if b is not None and b["stance"] != a["stance"]:
            if decision is None:
                raise KeyError(f"{key(a)}: the passes disagree ({a['stance']} / {b['stance']}) and no adjudication")
            record.update(stance=decision["stance"], adjudicated=True, adjudicator=decision["annotator"])
        records.append(record)
        records.extend(spans[a["sent_id"]])
    return records
