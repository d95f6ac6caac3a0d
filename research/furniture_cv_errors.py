"""Held-out sentence errors of rules + furniture model, by kind and by site (issue 16, brief sents2).

    PYTHONPATH=. .venv/bin/python research/furniture_cv_errors.py [--gold annotations] [--show KIND]

The furniture model is fitted in the 5 site-grouped folds of `claims train furniture` on train+dev
(threshold: the one the CV picks); each page is segmented by the rules with the blocks its fold's
model calls furniture relabelled, then `late_furniture`, and scored as `claims eval` scores
sentences (exact spans of segments that are not `boilerplate`). Errors are sorted into kinds:

- ``furniture_as_text``: a predicted sentence lying on gold `boilerplate` (the precision gap);
- ``text_as_furniture``: a gold sentence the segmenter made `boilerplate`;
- ``boundary``: a predicted or gold sentence overlapping a non-boilerplate sentence of the other
  side with other ends; ``ungolded``: a predicted sentence on text gold left unlabelled.

It prints the totals, the CV table of `grouped_cv`, and per-site F1 (sites at or above 0.96).
``--show KIND`` lists that kind's errors (doc id, site, the line): for train+dev pages only;
``--trees '{"max_leaf_nodes": 7}'`` and ``--min-blocks N`` try other model settings.

Measured December 2026 (brief sents2; 79 sites, 4,699 gold sentences; each run a few minutes):

| | errors | P | R | F1 | sites >= 0.96 |
| --- | ---: | ---: | ---: | ---: | ---: |
| before (200 trees of 15 leaves, L2 1) | 401 | 0.949 | 0.967 | 0.958 | 53 |
| + shape repetition, short-line runs, gap to running text | 409 | 0.947 | 0.967 | 0.957 | 52 |
| Hansard-mirror rules | 358 | 0.953 | 0.971 | 0.962 | 50 |
| + 100 trees of 7 leaves (L2 1 / L2 10) | 348 / 349 | | | | 52 / 52 |
| + comments left to the rules, features in >= 20 blocks, L2 10 | 342 | 0.953 | 0.975 | 0.964 | 52 |
| the same, sites weighted evenly (power 0.5 / 1) | 346 / 358 | | | | 51 / 48 |
| + alt-text, logo, widget and `Related items` rules (shipped) | 320 | 0.953 | 0.980 | 0.966 | 52 |
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from nlp.eval.scoring import _strip  # noqa: E402
from nlp.gold.sources import doc_text, split_sites  # noqa: E402
from nlp.segmentation import load_rules  # noqa: E402
from nlp.segmentation.core import _segments, layout  # noqa: E402
from nlp.segmentation.labels import BlockLabel, late_furniture  # noqa: E402
from nlp.segmentation.training import SHIPPED, THRESHOLDS, Settings, _counts, fit, load_examples  # noqa: E402


def _fold(ex, train, test, settings: Settings) -> np.ndarray:
    model = fit([ex.features[i] for i in train], ex.target[train], ex.weight[train], [ex.groups[i] for i in train],
                settings=settings)
    return np.asarray(model.probabilities([ex.features[i] for i in test]))


def oof_probabilities(ex, n_splits: int = 5, jobs: int = 2, trees: dict | None = None,
                      min_blocks: int | None = None) -> np.ndarray:
    """Out-of-fold P(furniture), the folds of `grouped_cv`, ``jobs`` folds at a time."""
    from joblib import Parallel, delayed
    from sklearn.model_selection import GroupKFold

    folds = list(GroupKFold(n_splits=n_splits).split(np.zeros(len(ex.target)), ex.target, ex.groups))
    prob = np.zeros(len(ex.target))
    settings = replace(SHIPPED, **(trees or {}), **({"min_blocks": min_blocks} if min_blocks else {}))
    fitted = Parallel(n_jobs=jobs)(delayed(_fold)(ex, tr, te, settings) for tr, te in folds)
    for (_, test), p in zip(folds, fitted):
        prob[test] = p
    return prob


def _kind_of_false(span, gold_rows) -> str:
    s, e = span
    best, kind = 0, "ungolded"
    for r in gold_rows:
        overlap = min(e, r["end"]) - max(s, r["start"])
        if overlap > best:
            best, kind = overlap, "furniture_as_text" if r["segment"] == "boilerplate" else "boundary"
    return kind


def sentence_errors(gold_dir: Path, furniture: set, docs: list[str]):
    rules = load_rules()
    sites = split_sites(gold_dir)
    per_site: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    errors: list[tuple[str, str, str, str]] = []  # kind, doc, site, line
    for doc_id in docs:
        text = doc_text(doc_id)
        blocks, labels = layout(text, rules)
        labels = [BlockLabel("boilerplate", None, True) if (doc_id, b.start, b.end) in furniture else lab
                  for b, lab in zip(blocks, labels)]
        labels = late_furniture(text, blocks, labels, rules)
        segs = _segments(text, blocks, labels, rules)
        pred = {_strip(text, s.start, s.end) for s in segs if s.segment != "boilerplate"}
        boiler = [(s.start, s.end) for s in segs if s.segment == "boilerplate"]
        rows = [json.loads(line) for line in (gold_dir / "gold" / f"{doc_id}.jsonl").read_text(
            encoding="utf-8").splitlines() if line.strip()]
        rows = [r for r in rows if r["layer"] == "sentence"]
        gold = {_strip(text, r["start"], r["end"]) for r in rows if r["segment"] != "boilerplate"}
        site = sites.get(doc_id, doc_id)
        c = per_site[site]
        c[0] += len(gold & pred)
        c[1] += len(gold - pred)
        c[2] += len(pred - gold)
        for span in sorted(pred - gold):
            errors.append((_kind_of_false(span, rows), doc_id, site, text[span[0]:span[1]][:120]))
        for s, e in sorted(gold - pred):
            lost = any(bs < e and s < be for bs, be in boiler)
            errors.append(("text_as_furniture" if lost else "boundary_missed", doc_id, site, text[s:e][:120]))
    return per_site, errors


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default="annotations")
    ap.add_argument("--show", nargs="*", default=[])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--save", help="write the out-of-fold probabilities here (.npy)")
    ap.add_argument("--load", help="read them from here instead of fitting")
    ap.add_argument("--trees", type=json.loads, default={}, help='tree settings to try, e.g. {"max_iter": 100}')
    ap.add_argument("--min-blocks", type=int)
    ap.add_argument("--sites", help="write each site's [tp, missed, false] here (.json)")
    args = ap.parse_args()
    gold_dir = Path(args.gold)
    ex = load_examples(gold_dir)
    if args.load:
        prob = np.load(args.load)
    else:
        prob = oof_probabilities(ex, jobs=args.jobs, trees=args.trees, min_blocks=args.min_blocks)
    if args.save:
        np.save(args.save, prob)
    scored = [{"threshold": t, **_counts(ex.target, (prob >= t).astype(int), ex.weight)} for t in THRESHOLDS]
    best = min(scored, key=lambda row: row["errors"])
    print("block CV (gold sentences):", best)
    furniture = {where for where, p in zip(ex.where, prob) if p >= best["threshold"]}
    split = json.loads((gold_dir / "split.json").read_text(encoding="utf-8"))
    per_site, errors = sentence_errors(gold_dir, furniture, sorted(split["train"] + split["dev"]))
    tp = sum(c[0] for c in per_site.values())
    missed = sum(c[1] for c in per_site.values())
    false = sum(c[2] for c in per_site.values())
    p, r = tp / (tp + false), tp / (tp + missed)
    print(f"sentences tp {tp} missed {missed} false {false} errors {missed + false} "
          f"P {p:.4f} R {r:.4f} F1 {2 * p * r / (p + r):.4f}")
    print("by kind:", dict(Counter(k for k, *_ in errors).most_common()))
    if args.sites:
        Path(args.sites).write_text(json.dumps(per_site, indent=0), encoding="utf-8")
    f1s = {}
    for site, (t, m, f) in per_site.items():
        f1s[site] = 2 * t / (2 * t + m + f) if t + m + f else 1.0
    print(f"sites >= 0.96: {sum(v >= 0.96 for v in f1s.values())} of {len(f1s)}")
    for site, v in sorted(f1s.items(), key=lambda kv: kv[1])[:15]:
        print(f"  {v:.3f} {site} {per_site[site]}")
    for kind, doc_id, site, line in errors:
        if kind in args.show:
            print(f"{kind:18s} {doc_id} {site[:25]:25s} {line!r}")


if __name__ == "__main__":
    main()
