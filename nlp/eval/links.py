"""Score predicted links against gold link pairs (SPEC §7).

Gold pairs (annotations/links.jsonl) name two sentences by document and character span; a
predicted link names two claims by `DOC_ID:SENT_ID`, placed by the run's sentences.jsonl. A
predicted link matches a gold pair when each of its sentences overlaps one gold sentence, in the
same document (either order). Gold pairs with relation `none` look alike but must not link: a
predicted link matching one is a false positive.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from .metrics import prf

RELATIONS = ("repeat", "contradict", "update")
POOLED = "pooled"  # a gold pair judged because a prediction proposed it
POOLED_FILE = "links_pooled.jsonl"  # beside links.jsonl: pairs judged blind after a run proposed them


def load_gold_links(path: str | Path) -> list[dict]:
    """The gold pairs of an annotations/links.jsonl file ([] when it does not exist)."""
    path = Path(path)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def load_judged_links(links_path: str | Path) -> list[dict]:
    """Every judged pair: links.jsonl's and, beside it, the pooled judgements (POOLED_FILE)."""
    links_path = Path(links_path)
    return load_gold_links(links_path) + load_gold_links(links_path.with_name(POOLED_FILE))


def pair_split_rule(split_path: str | Path):
    """The split of a link pair from its two documents (split.json): `test` when either document
    is a test document, `dev` when either is a dev document, `train` only when both are train
    documents; None when a document is in no split. So a model trained on `train` pairs never saw
    a dev document, and `dev` scores pairs that touch one (a pair's own `split` field, written
    before the train/dev split existed, says only test or not)."""
    path = Path(split_path)
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    test, dev, train = (set(data.get(name, ())) for name in ("test", "dev", "train"))

    def split_of(doc_a: str, doc_b: str) -> str | None:
        if doc_a in test or doc_b in test:
            return "test"
        if doc_a in dev or doc_b in dev:
            return "dev"
        if doc_a in train and doc_b in train:
            return "train"
        return None

    return split_of


def gold_for_split(pairs: list[dict], split_path: str | Path, split: str | None) -> list[dict]:
    """The judged pairs of `split` by pair_split_rule (all of them when split is None; by their
    own `split` field when there is no split.json)."""
    if split is None:
        return pairs
    rule = pair_split_rule(split_path)
    if rule is None:
        return [p for p in pairs if p.get("split", split) == split]
    return [p for p in pairs if rule(p["a"]["doc_id"], p["b"]["doc_id"]) == split]


def _overlaps(span: tuple[str, int, int], gold: dict) -> bool:
    doc_id, start, end = span
    return doc_id == gold["doc_id"] and min(end, gold["end"]) > max(start, gold["start"])


def _matches(a: tuple, b: tuple, gold: dict) -> bool:
    ga, gb = gold["a"], gold["b"]
    return (_overlaps(a, ga) and _overlaps(b, gb)) or (_overlaps(a, gb) and _overlaps(b, ga))


def _spans(predicted_sentences: Iterable[dict]) -> dict[str, tuple[str, int, int]]:
    return {f"{s['doc_id']}:{s['sent_id']}": (s["doc_id"], s["start"], s["end"]) for s in predicted_sentences}


def score_links(gold_pairs: list[dict], predicted_links: list[dict], predicted_sentences: Iterable[dict], *,
                doc_ids: set[str] | None = None, keep_link: Callable[[str, str], bool] | None = None) -> dict:
    """Precision and recall per relation and all together.

    Only judged predictions count towards precision: those matching some gold pair (positive or
    `none`); `unjudged` says how many predicted links touched no annotated pair. `all` needs the
    relation right; `any_link` counts a matched positive pair whatever its relation. `doc_ids`
    keeps only gold pairs (and predictions) with both documents in that set; `keep_link(doc_a,
    doc_b)` keeps only the predictions of a split (those the split's gold pairs could judge).

    Gold pairs with `"origin": "pooled"` were judged because some system predicted them (pooling,
    as in TREC): they judge predictions (precision) but are left out of recall, which stays a
    measure over pairs annotated independently of any system.
    """
    if doc_ids is not None:
        gold_pairs = [g for g in gold_pairs if g["a"]["doc_id"] in doc_ids and g["b"]["doc_id"] in doc_ids]
    spans = _spans(predicted_sentences)
    counts = {r: {"tp": 0, "n_pred": 0} for r in RELATIONS + ("all", "any_link")}
    gold_hit = [set() for _ in gold_pairs]  # relations predicted for each gold pair
    unjudged = unplaced = 0
    for link in predicted_links:
        a, b = spans.get(str(link["a"])), spans.get(str(link["b"]))
        if a is None or b is None:
            unplaced += 1
            continue
        if doc_ids is not None and not (a[0] in doc_ids and b[0] in doc_ids):
            continue
        if keep_link is not None and not keep_link(a[0], b[0]):
            continue
        hits = [n for n, g in enumerate(gold_pairs) if _matches(a, b, g)]
        if not hits:
            unjudged += 1
            continue
        relation = link["relation"]
        gold_relations = {gold_pairs[n]["relation"] for n in hits}
        for n in hits:
            gold_hit[n].add(relation)
        for key in (relation, "all", "any_link"):
            if key in counts:
                counts[key]["n_pred"] += 1
        if relation in gold_relations:
            counts[relation]["tp"] += relation in counts
            counts["all"]["tp"] += 1
        if gold_relations - {"none"}:
            counts["any_link"]["tp"] += 1
    return _summarise(counts, gold_pairs, gold_hit, unjudged, unplaced)


def _summarise(counts, gold_pairs, gold_hit, unjudged: int, unplaced: int) -> dict:
    out = {}
    positives = [(g, hit) for g, hit in zip(gold_pairs, gold_hit)
                 if g["relation"] != "none" and g.get("origin") != POOLED]
    for relation in RELATIONS:
        gold_r = [hit for g, hit in positives if g["relation"] == relation]
        found = sum(relation in hit for hit in gold_r)
        out[relation] = _prf(counts[relation], found, len(gold_r))
    out["all"] = _prf(counts["all"], sum(g["relation"] in hit for g, hit in positives), len(positives))
    out["any_link"] = _prf(counts["any_link"], sum(bool(hit) for _, hit in positives), len(positives))
    out["must_not_link"] = {"n_gold": sum(g["relation"] == "none" for g in gold_pairs),
                            "predicted": sum(bool(hit) for g, hit in zip(gold_pairs, gold_hit)
                                             if g["relation"] == "none")}
    out["unjudged"] = unjudged
    out["unplaced"] = unplaced
    return out


def _prf(count: dict, found: int, n_gold: int) -> dict:
    """Precision from predicted links (tp over judged predictions); recall from gold pairs found."""
    precision = prf(count["tp"], count["n_pred"], n_gold)["precision"]
    recall = round(found / n_gold, 4) if n_gold else 0.0
    f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "tp": count["tp"], "n_pred": count["n_pred"],
            "found": found, "n_gold": n_gold}


def candidate_recall(gold_pairs: list[dict], claim_ids: list[str], pairs, predicted_sentences: Iterable[dict]) -> dict:
    """How many gold links (not pooled, relation other than `none`) are among the candidate pairs
    the link step judges (claim ids and (P, 2) index pairs): overall, and on the clusters judged
    exhaustively (`candidate` starting `cluster:`), where recall is measured without a system's
    help. A gold sentence that is no claim of the run cannot be a candidate: it counts as missed."""
    by_doc: dict[str, list[tuple[int, int, str]]] = {}
    claims = set(claim_ids)
    for s in predicted_sentences:
        cid = f"{s['doc_id']}:{s['sent_id']}"
        if cid in claims:
            by_doc.setdefault(s["doc_id"], []).append((s["start"], s["end"], cid))
    found = {tuple(sorted((claim_ids[i], claim_ids[j]))) for i, j in pairs.tolist()}

    def placed(side: dict) -> set[str]:
        return {cid for start, end, cid in by_doc.get(side["doc_id"], ())
                if min(end, side["end"]) > max(start, side["start"])}

    counts = {"all": [0, 0], "exhaustive": [0, 0]}
    for g in gold_pairs:
        if g["relation"] == "none" or g.get("origin") == POOLED:
            continue
        hit = any(tuple(sorted((x, y))) in found for x in placed(g["a"]) for y in placed(g["b"]))
        groups = ("all", "exhaustive") if str(g.get("candidate", "")).startswith("cluster:") else ("all",)
        for group in groups:
            counts[group][0] += hit
            counts[group][1] += 1
    out = {"n_candidates": len(found)}
    for group, (hit, n) in counts.items():
        out[f"recall_{group}"] = round(hit / n, 4) if n else 0.0
        out[f"found_{group}"], out[f"n_gold_{group}"] = hit, n
    return out
