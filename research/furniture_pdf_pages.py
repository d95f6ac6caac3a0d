"""Sentence errors of rules + furniture model on sites the model never saw, PDF copies apart (issue 16).

    PYTHONPATH=. .venv/bin/python research/furniture_pdf_pages.py [--gold annotations]

The furniture model is fitted in 5 folds grouped by site on train+dev (as `claims train furniture`
does, same folds, the threshold written in models/furniture); each page is then segmented by the
rules with the blocks its fold's model calls furniture relabelled, and scored as `claims eval`
scores sentences (exact spans of the segments that are not `boilerplate`). Pages copied from PDFs
(document mirrors and viewers: page numbers, running headers, lines broken mid-sentence) are
reported apart from the rest. Run it with the code to compare first on PYTHONPATH.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from nlp.eval.scoring import _strip  # noqa: E402
from nlp.gold.sources import doc_text  # noqa: E402
from nlp.segmentation import load_rules  # noqa: E402
from nlp.segmentation.core import _segments, layout  # noqa: E402
from nlp.segmentation.furniture import default_model_path, load_model  # noqa: E402
from nlp.segmentation.labels import BlockLabel, late_furniture  # noqa: E402
from nlp.segmentation.training import fit, load_examples  # noqa: E402

# train+dev pages copied from PDFs: mirrors and viewers (pool INDEX titles "via …") and journal
# articles whose text keeps the PDF's line breaks
PDF_PAGES = ("pool-017", "pool-020", "pool-121", "pool-143", "pool-232", "pool-044", "pool-068", "pool-155",
             "pool-214", "pool-259")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gold", default="annotations")
    args = ap.parse_args()
    from sklearn.model_selection import GroupKFold

    gold_dir = Path(args.gold)
    threshold = load_model(str(default_model_path())).threshold
    ex = load_examples(gold_dir)
    prob = np.zeros(len(ex.target))
    for train, test in GroupKFold(n_splits=5).split(np.zeros(len(ex.target)), ex.target, ex.groups):
        model = fit([ex.features[i] for i in train], ex.target[train], ex.weight[train], [ex.groups[i] for i in train])
        prob[test] = model.probabilities([ex.features[i] for i in test])
    furniture = {where for where, p in zip(ex.where, prob) if p >= threshold}
    split = json.loads((gold_dir / "split.json").read_text(encoding="utf-8"))
    rules = load_rules()
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, missed, false
    for doc_id in sorted(split["train"] + split["dev"]):
        text = doc_text(doc_id)
        blocks, labels = layout(text, rules)
        labels = [BlockLabel("boilerplate", None, True) if (doc_id, b.start, b.end) in furniture else lab
                  for b, lab in zip(blocks, labels)]
        labels = late_furniture(text, blocks, labels, rules)  # as segment_texts does after the model
        pred = {_strip(text, s.start, s.end) for s in _segments(text, blocks, labels, rules) if s.segment != "boilerplate"}
        rows = [json.loads(line) for line in (gold_dir / "gold" / f"{doc_id}.jsonl").read_text(encoding="utf-8").splitlines()
                if line.strip()]
        gold = {_strip(text, r["start"], r["end"]) for r in rows if r["layer"] == "sentence" and r["segment"] != "boilerplate"}
        for group in ("pdf" if doc_id in PDF_PAGES else "other", "all"):
            c = counts[group]
            c[0] += len(gold & pred)
            c[1] += len(gold - pred)
            c[2] += len(pred - gold)
    print(f"threshold {threshold}; out-of-fold furniture blocks {len(furniture)}")
    for group in ("pdf", "other", "all"):
        tp, missed, false = counts[group]
        p, r = tp / (tp + false), tp / (tp + missed)
        print(f"{group:5s} tp {tp:5d} missed {missed:4d} false {false:4d} errors {missed + false:4d} "
              f"P {p:.4f} R {r:.4f} F1 {2 * p * r / (p + r):.4f}")


if __name__ == "__main__":
    main()
