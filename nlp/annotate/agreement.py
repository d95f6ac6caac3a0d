"""Inter-annotator agreement over the store: Cohen's kappa per annotator pair and Krippendorff's
alpha (nominal) per layer, span-level F1 between annotators for entities and quantities, and the
list of disagreements an adjudicator settles. Adjudications never count as an annotator."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from itertools import combinations

from .labels import AGREEMENT_LAYERS, SPAN_LAYERS
from .store import Store


def cohen_kappa(a: list[Hashable], b: list[Hashable]) -> float | None:
    """Cohen's kappa of two raters over the same items; None when undefined (no items, or both
    raters used one and the same category throughout)."""
    n = len(a)
    if n == 0 or n != len(b):
        return None
    observed = sum(x == y for x, y in zip(a, b)) / n
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[c] * count_b[c] for c in count_a) / (n * n)
    if expected == 1.0:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(units: Iterable[Iterable[Hashable]]) -> float | None:
    """Krippendorff's alpha for nominal data. `units` holds, per item, the values the raters gave
    (missing ratings simply absent). Units with fewer than two values are not pairable and are
    dropped. None when undefined (fewer than two pairable values, or only one category seen)."""
    coincidence: dict[tuple[Hashable, Hashable], float] = defaultdict(float)
    for unit in units:
        values = list(unit)
        m = len(values)
        if m < 2:
            continue
        counts = Counter(values)
        for c, n_c in counts.items():
            for k, n_k in counts.items():
                pairs = n_c * (n_k - 1) if c == k else n_c * n_k
                coincidence[(c, k)] += pairs / (m - 1)
    totals: dict[Hashable, float] = defaultdict(float)
    for (c, _k), value in coincidence.items():
        totals[c] += value
    n = sum(totals.values())
    if n < 2:
        return None
    disagree_observed = sum(v for (c, k), v in coincidence.items() if c != k)
    disagree_expected = (n * n - sum(t * t for t in totals.values())) / (n - 1)
    if disagree_expected == 0:
        return None
    return 1 - disagree_observed / disagree_expected


def span_f1(a: Mapping[Hashable, Iterable[Hashable]], b: Mapping[Hashable, Iterable[Hashable]]) -> dict:
    """Micro F1 of span keys between two annotators over the sentences both labelled (symmetric:
    precision takes `b` as reference)."""
    shared = set(a) & set(b)
    tp = n_a = n_b = 0
    for key in shared:
        spans_a, spans_b = set(a[key]), set(b[key])
        tp += len(spans_a & spans_b)
        n_a += len(spans_a)
        n_b += len(spans_b)
    precision = tp / n_a if n_a else (1.0 if not n_b else 0.0)
    recall = tp / n_b if n_b else (1.0 if not n_a else 0.0)
    f1 = 2 * tp / (n_a + n_b) if n_a + n_b else 1.0
    return {"sentences": len(shared), "spans_a": n_a, "spans_b": n_b, "matched": tp,
            "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def label_of(layer: str, value) -> Hashable:
    """The nominal category a label is compared by."""
    if layer == "claim":
        return f"claim:{value.get('claim_type')}" if value.get("claim") else "no-claim"
    if layer == "segment":
        return value.get("segment")
    if layer == "link":
        return value.get("relation")
    return value


def span_keys(layer: str, spans: list[dict]) -> frozenset:
    if layer == "entity":
        return frozenset((s["start"], s["end"], s["label"]) for s in spans)
    return frozenset((s["start"], s["end"]) for s in spans)


def collect(store: Store, groups: Mapping[str, str] | None = None) -> tuple[dict, dict, dict]:
    """(labels, adjudications, where): labels[layer][item][annotator] = value, adjudications[layer][item]
    = the latest adjudicated value, where[item] = (doc_id, sent_id). `groups` maps annotator names to
    one rater (two annotation passes done by several people each: {'annotator-a': 'pass1', …})."""
    groups = groups or {}
    labels: dict = defaultdict(lambda: defaultdict(dict))
    adjudications: dict = defaultdict(dict)
    adjudicated_at: dict = {}
    where = {}
    for event in store.latest():
        layer, item = event["layer"], event["item"]
        if layer == "review":
            continue
        where[item] = (event["doc_id"], event["sent_id"])
        if event["adjudication"]:
            if event["id"] > adjudicated_at.get((layer, item), -1):
                adjudications[layer][item] = event["after"]
                adjudicated_at[(layer, item)] = event["id"]
        else:
            labels[layer][item][groups.get(event["annotator"], event["annotator"])] = event["after"]
    return labels, adjudications, where


def agreement_report(store: Store, *, max_disagreements: int | None = None,
                     groups: Mapping[str, str] | None = None) -> dict:
    """Every statistic, per layer; `groups` pools annotators into raters (see collect)."""
    labels, adjudications, where = collect(store, groups)
    annotators = sorted({a for layer in labels.values() for per_item in layer.values() for a in per_item})
    report: dict = {"annotators": annotators, "layers": {}, "spans": {}}
    for layer in AGREEMENT_LAYERS:
        items = labels.get(layer, {})
        categories = {item: {a: label_of(layer, v) for a, v in per.items()} for item, per in items.items()}
        pairs = []
        for a, b in combinations(annotators, 2):
            both = [item for item, per in categories.items() if a in per and b in per]
            if not both:
                continue
            xs, ys = [categories[i][a] for i in both], [categories[i][b] for i in both]
            kappa = cohen_kappa(xs, ys)
            pairs.append({"a": a, "b": b, "n": len(both), "agreement": round(sum(x == y for x, y in zip(xs, ys))
                                                                              / len(both), 4),
                          "kappa": None if kappa is None else round(kappa, 4)})
        alpha = krippendorff_alpha(per.values() for per in categories.values())
        report["layers"][layer] = {"items": sum(len(per) >= 2 for per in categories.values()),
                                   "alpha": None if alpha is None else round(alpha, 4), "pairs": pairs}
    for layer in SPAN_LAYERS:
        items = labels.get(layer, {})
        by_annotator: dict[str, dict] = defaultdict(dict)
        for item, per in items.items():
            for annotator, spans in per.items():
                by_annotator[annotator][item] = span_keys(layer, spans)
        report["spans"][layer] = [{"a": a, "b": b, **span_f1(by_annotator[a], by_annotator[b])}
                                  for a, b in combinations(annotators, 2)
                                  if set(by_annotator[a]) & set(by_annotator[b])]
    found = disagreements(store, collected=(labels, adjudications, where))
    report["disagreements"] = found[:max_disagreements] if max_disagreements is not None else found
    report["n_disagreements"] = len(found)
    report["n_settled"] = sum(d["adjudicated"] is not None for d in found)
    return report


def disagreements(store: Store, *, layer: str | None = None, collected: tuple | None = None) -> list[dict]:
    """Items on which annotators differ: [{layer, item, doc_id, sent_id, text, values, adjudicated}]."""
    labels, adjudications, where = collected or collect(store)
    out = []
    for name in AGREEMENT_LAYERS + SPAN_LAYERS:
        if layer and name != layer:
            continue
        for item, per in sorted(labels.get(name, {}).items()):
            if len(per) < 2:
                continue
            keys = {(span_keys(name, v) if name in SPAN_LAYERS else label_of(name, v)) for v in per.values()}
            if len(keys) < 2:
                continue
            doc_id, sent_id = where[item]
            out.append({"layer": name, "item": item, "doc_id": doc_id, "sent_id": sent_id,
                        "values": dict(sorted(per.items())), "adjudicated": adjudications.get(name, {}).get(item)})
    texts = _texts(store, {(d["doc_id"], d["sent_id"]) for d in out})
    for d in out:
        d["text"] = texts.get((d["doc_id"], d["sent_id"]))
    return out


def _texts(store: Store, keys: set[tuple[str, int]]) -> dict[tuple[str, int], str]:
    if not keys:
        return {}
    with store.connect() as conn:
        rows = conn.execute("SELECT doc_id, sent_id, text FROM sentences")
        return {(r["doc_id"], r["sent_id"]): r["text"] for r in rows if (r["doc_id"], r["sent_id"]) in keys}
