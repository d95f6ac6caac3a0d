"""Train the pair model (nlp/links/pairs.py) on the judged link pairs of a finished run.

    claims train links --run OUT [--splits train,dev] [--out models/links]

Each judged pair (annotations/links.jsonl and links_pooled.jsonl) is placed on the run's claims
(the claim whose sentence overlaps each gold sentence most); pairs touching a test document are
never read. Model selection is site-disjoint 3-fold cross-validation: the sites of split.json
are dealt into three folds, and a fold's model is trained on the pairs with no document of its
sites and scored on the pairs touching them. The C of the logistic regression and the repeat
threshold are chosen on the out-of-fold probabilities of the pairs the link step would judge (the
candidates): the most `repeat` recall at `repeat` precision >= TARGET_PRECISION (issue 14's
operating point), or, when no threshold reaches it, the most precision. An update or
contradiction only the frames name needs probability change_threshold, chosen on the same
out-of-fold probabilities for the most F1 of update and contradict together (the model is trained on
some fifty changes: 0 lets the frames alone decide). The final model is fitted on every pair of
the chosen splits.
"""

from __future__ import annotations

import json
import random
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from .config import LinkConfig
from .pairs import CLASSES, FEATURES, RELATIONS, PairModel, decide, pair_evidence

C_GRID = (0.03, 0.1, 0.3, 1.0, 3.0)
TARGET_PRECISION = 0.75  # repeat precision the threshold must keep (issue 14: recall at precision >= 0.75)
THRESHOLDS = tuple(round(x, 3) for x in np.arange(0.2, 0.9, 0.025))
CHANGE_THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
FOLDS = 3


def placed_pairs(run: Path, gold_dir: Path, splits: tuple[str, ...], config: LinkConfig = LinkConfig()):
    """(table, vectors, rows): rows are dicts with i, j (table rows), relation, split, docs."""
    from ..engine.outputs import load_rows
    from ..eval.links import load_judged_links, pair_split_rule
    from .build import table_for_out_dir
    from .embed import embed
    from .vectors import embed_vectors

    table = table_for_out_dir(run, config=config)
    vectors = embed_vectors(list(table.texts), embed, config)
    row_of = {cid: n for n, cid in enumerate(table.ids)}
    by_doc: dict[str, list] = defaultdict(list)
    for s in load_rows(run, "sentences"):
        cid = f"{s['doc_id']}:{s['sent_id']}"
        if cid in row_of:
            by_doc[s["doc_id"]].append((s["start"], s["end"], row_of[cid]))

    def place(side: dict) -> int | None:
        best, best_len = None, 0
        for start, end, row in by_doc.get(side["doc_id"], ()):
            overlap = min(end, side["end"]) - max(start, side["start"])
            if overlap > best_len:
                best, best_len = row, overlap
        return best

    rule = pair_split_rule(gold_dir / "split.json")
    if rule is None:
        raise ValueError(f"{gold_dir / 'split.json'}: needed to keep test pairs out of training")
    rows, seen = [], set()
    for g in load_judged_links(gold_dir / "links.jsonl"):
        split = rule(g["a"]["doc_id"], g["b"]["doc_id"])
        if split not in splits:
            continue
        i, j = place(g["a"]), place(g["b"])
        if i is None or j is None or i == j or (min(i, j), max(i, j)) in seen:
            continue
        seen.add((min(i, j), max(i, j)))
        rows.append({"i": i, "j": j, "relation": g["relation"], "split": split,
                     "docs": (g["a"]["doc_id"], g["b"]["doc_id"])})
    return table, vectors, rows


def _found_by(table, vectors, rows, config: LinkConfig) -> list[int]:
    """Which candidate sources find each pair (0: the link step would not judge it)."""
    from .candidates import SOURCE_BITS, candidate_codes, decode, id_rank
    from .overlap import word_sets

    rank = id_rank(table.ids)
    merged = candidate_codes(vectors, table.texts, table.block_keys, table.doc_codes, rank, config,
                             table.block_order, word_sets(table.words))
    order = np.argsort(rank)
    pairs = decode(merged >> SOURCE_BITS, len(rank))
    masks = (merged & ((1 << SOURCE_BITS) - 1)).tolist()
    found = {(int(min(order[a], order[b])), int(max(order[a], order[b]))): m
             for (a, b), m in zip(pairs.tolist(), masks)}
    return [found.get((min(r["i"], r["j"]), max(r["i"], r["j"])), 0) for r in rows]


def _fit(x: np.ndarray, y: np.ndarray, c: float, seed: int):
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=3000, random_state=seed)
    model.fit((x - mean) / scale, y)
    coef = np.zeros((len(CLASSES), x.shape[1]))
    intercept = np.zeros(len(CLASSES))
    for n, label in enumerate(model.classes_):  # a fold without a class keeps it at zero odds
        coef[label], intercept[label] = model.coef_[n], model.intercept_[n]
    if len(model.classes_) == 2:  # binary fit: sklearn gives one row, for the second class
        coef[:] = 0
        intercept[:] = -30.0
        coef[model.classes_[1]], intercept[model.classes_[1]] = model.coef_[0], model.intercept_[0]
        intercept[model.classes_[0]] = 0.0
    return coef, intercept, mean, scale


def _proba(params, x: np.ndarray) -> np.ndarray:
    """P(linked) = 1 - P(none)."""
    coef, intercept, mean, scale = params
    return PairModel(coef, intercept, mean, scale, 0.5, 0.5, {}).proba(x)


def site_folds(gold_dir: Path, seed: int, folds: int = FOLDS) -> dict[str, int]:
    """doc_id -> fold, dealing split.json's sites into `folds` folds (seeded)."""
    from ..gold.sources import split_sites

    sites = split_sites(gold_dir)
    names = sorted(set(sites.values()))
    random.Random(seed).shuffle(names)
    fold_of_site = {name: n % folds for n, name in enumerate(names)}
    return {doc: fold_of_site[site] for doc, site in sites.items()}


def cross_validate(x, y, rows, fold_of: dict[str, int], c: float, seed: int) -> np.ndarray:
    """Out-of-fold probabilities (the mean over the folds that score a pair; NaN if none does)."""
    total, count = np.zeros(len(y)), np.zeros(len(y))
    for k in range(FOLDS):
        touches = np.array([any(fold_of.get(d, -1) == k for d in r["docs"]) for r in rows])
        if not touches.any() or touches.all():
            continue
        params = _fit(x[~touches], y[~touches], c, seed)
        total[touches] += _proba(params, x[touches])
        count[touches] += 1
    with np.errstate(invalid="ignore"):
        return total / count


def relation_scores(rows, evidences, proba: np.ndarray, model: PairModel,
                    config: LinkConfig = LinkConfig()) -> dict:
    """Per relation P/R of `decide` over judged pairs (none pairs count as false links), and the
    share of `none` pairs linked."""
    out = {}
    predicted = [decide(e, p, model, config) if not np.isnan(p) else None for e, p in zip(evidences, proba)]
    scored = [(r["relation"], pr) for r, pr, p in zip(rows, predicted, proba) if not np.isnan(p)]
    for relation in RELATIONS:
        tp = sum(g == pr == relation for g, pr in scored)
        n_pred = sum(pr == relation for _, pr in scored)
        n_gold = sum(g == relation for g, _ in scored)
        out[relation] = {"precision": round(tp / n_pred, 3) if n_pred else 0.0,
                         "recall": round(tp / n_gold, 3) if n_gold else 0.0, "tp": tp, "n_pred": n_pred,
                         "n_gold": n_gold}
    nones = [pr for g, pr in scored if g == "none"]
    out["none_linked"] = {"linked": sum(pr is not None for pr in nones), "n": len(nones)}
    return out


def _precision(y: np.ndarray, proba: np.ndarray, threshold: float) -> float:
    ok = ~np.isnan(proba)
    pred = proba[ok] >= threshold
    return float((pred & (y[ok] == 1)).sum() / pred.sum()) if pred.sum() else 0.0


def _recall(y: np.ndarray, proba: np.ndarray, threshold: float) -> float:
    ok = ~np.isnan(proba)
    pred = proba[ok] >= threshold
    return float((pred & (y[ok] == 1)).sum() / max((y[ok] == 1).sum(), 1))


def _f1(y: np.ndarray, proba: np.ndarray, threshold: float) -> float:
    ok = ~np.isnan(proba)
    pred = proba[ok] >= threshold
    tp = float((pred & (y[ok] == 1)).sum())
    return 2 * tp / (pred.sum() + (y[ok] == 1).sum()) if tp else 0.0


def train_links(run: str | Path, gold_dir: str | Path, out: str | Path, *, splits=("train", "dev"), seed: int = 0,
                config: LinkConfig = LinkConfig(), change_threshold: float | None = None) -> dict:
    """Fit, choose and save the pair model; returns the figures written to metrics.json.
    `change_threshold`: fixed, instead of chosen in cross-validation."""
    started = time.time()
    run, gold_dir, out = Path(run), Path(gold_dir), Path(out)
    table, vectors, rows = placed_pairs(run, gold_dir, tuple(splits), config)
    if not rows:
        raise ValueError(f"{run}: no judged pair of {'+'.join(splits)} falls on its claims")
    from .candidates import pair_cosines

    cos = pair_cosines(vectors, np.array([[r["i"], r["j"]] for r in rows], dtype=np.int64))
    found_by = _found_by(table, vectors, rows, config)
    evidences = [pair_evidence(table, r["i"], r["j"], float(c), m, config) for r, c, m in zip(rows, cos, found_by)]
    x = np.array([e.features for e in evidences], dtype=np.float64)
    y_class = np.array([CLASSES.index(r["relation"] if r["relation"] in CLASSES[:2] else "change") for r in rows])
    y = (y_class > 0).astype(int)
    fold_of = site_folds(gold_dir, seed)
    candidate = np.array([m > 0 for m in found_by])
    grid = []
    for c in C_GRID:
        oof = cross_validate(x, y_class, rows, fold_of, c, seed)
        scored = np.where(candidate, oof, np.nan)  # the pairs the link step judges
        options = [(t, relation_scores(rows, evidences, scored, _at(t, 0.5), config)["repeat"]) for t in THRESHOLDS]
        t, best = max(options, key=lambda o: _operating_key(o[1], o[0]))
        grid.append((_operating_key(best, t), c, t, oof, best))
    _, c, threshold, oof, _ = max(grid, key=lambda g: (g[0], -g[1]))
    if change_threshold is None:
        scored = np.where(candidate, oof, np.nan)
        change_threshold = max(CHANGE_THRESHOLDS, key=lambda ct: (
            _change_f1(relation_scores(rows, evidences, scored, _at(threshold, ct), config)), ct))
    recall = _recall(y, oof, threshold)
    f1 = _f1(y, oof, threshold)
    params = _fit(x, y_class, c, seed)
    model = PairModel(params[0], params[1], params[2], params[3], float(threshold), change_threshold, {})
    cv = relation_scores(rows, evidences, oof, model, config)
    cv_candidates = relation_scores(rows, evidences, np.where(candidate, oof, np.nan), model, config)
    rules_only = _rule_scores(rows, evidences)
    figures = {
        "trained_on": {"splits": list(splits), "pairs": len(rows), "links": int(y.sum()),
                       "by_relation": {rel: sum(r["relation"] == rel for r in rows) for rel in RELATIONS + ("none",)},
                       "candidates": sum(m > 0 for m in found_by), "run": str(run)},
        "selection": {"C": c, "threshold": threshold, "change_threshold": model.change_threshold,
                      "target_repeat_precision": TARGET_PRECISION, "cv_link_recall": round(recall, 4),
                      "cv_link_precision": round(_precision(y, oof, threshold), 4), "cv_link_f1": round(f1, 4),
                      "grid": [{"C": g[1], "threshold": g[2], "repeat_precision": g[4]["precision"],
                                "repeat_recall": g[4]["recall"]} for g in grid]},
        "cv": cv, "cv_candidates": cv_candidates, "cv_rules_only": rules_only, "seed": seed,
        "seconds": round(time.time() - started, 1),
    }
    model = PairModel(model.coef, model.intercept, model.mean, model.scale, model.threshold, model.change_threshold,
                      {"C": c, "splits": list(splits), "pairs": len(rows), "seed": seed})
    out.mkdir(parents=True, exist_ok=True)
    model.save(out)
    (out / "metrics.json").write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    figures["weights"] = {cls: {name: round(float(w), 3) for name, w in zip(FEATURES, row)}
                          for cls, row in zip(CLASSES, model.coef)}
    return figures


def _at(threshold: float, change_threshold: float) -> PairModel:
    """A model stand-in for `decide` that only carries the thresholds (the probabilities are given)."""
    return PairModel(np.zeros((len(CLASSES), len(FEATURES))), np.zeros(len(CLASSES)), np.zeros(len(FEATURES)),
                     np.ones(len(FEATURES)), float(threshold), change_threshold, {})


def _change_f1(scores: dict) -> float:
    """F1 of update and contradict counted together."""
    tp = sum(scores[r]["tp"] for r in ("update", "contradict"))
    n = sum(scores[r]["n_pred"] + scores[r]["n_gold"] for r in ("update", "contradict"))
    return 2 * tp / n if n else 0.0


def _operating_key(repeat: dict, threshold: float) -> tuple:
    """Order of operating points: any that keeps repeat precision >= TARGET_PRECISION before any
    that does not; among those, the most recall; otherwise the most precision; then the higher
    threshold (fewer links)."""
    if repeat["precision"] >= TARGET_PRECISION:
        return (1, repeat["recall"], threshold)
    return (0, repeat["precision"], threshold)


def _rule_scores(rows, evidences) -> dict:
    """The rule judge alone on the same pairs (what the model must beat)."""
    out = {}
    for relation in RELATIONS:
        pred = [e.rule["relation"] if e.rule else None for e in evidences]
        tp = sum(r["relation"] == p == relation for r, p in zip(rows, pred))
        n_pred = sum(p == relation for p in pred)
        n_gold = sum(r["relation"] == relation for r in rows)
        out[relation] = {"precision": round(tp / n_pred, 3) if n_pred else 0.0,
                         "recall": round(tp / n_gold, 3) if n_gold else 0.0, "tp": tp, "n_pred": n_pred,
                         "n_gold": n_gold}
    out["none_linked"] = {"linked": sum(bool(e.rule) for r, e in zip(rows, evidences) if r["relation"] == "none"),
                          "n": sum(r["relation"] == "none" for r in rows)}
    return out
