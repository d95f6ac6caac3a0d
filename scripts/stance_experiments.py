"""Compare stance approaches by grouped cross-validation (by document) on train+dev, and, once,
score each on the test split.

    .venv/bin/python scripts/stance_experiments.py                # CV table -> models/stance/figures.json
    .venv/bin/python scripts/stance_experiments.py --test         # + test figures (final; run once)

The winner by grouped-CV macro-F1 is what `claims train stance` trains (nlp/stance/training.py).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.stance.data import document_kinds, load_examples  # noqa: E402
from nlp.stance.encoder import embedding_lookup, load_encoder  # noqa: E402
from nlp.stance.evaluation import fit_estimator, grouped_cv, predict_with_confidence, score  # noqa: E402
from nlp.stance.features import build_table  # noqa: E402
from nlp.stance.models import APPROACHES, make_approach  # noqa: E402
from nlp.stance.target import load_target  # noqa: E402
from nlp.stance.training import blas_single_thread, write_figures  # noqa: E402


def cross_validate(names, table, labels, groups, target, seed: int) -> list[dict]:
    rows = []
    for name in names:
        result = grouped_cv(name, make_approach(name, seed=seed), table, labels, groups,
                            labels=target.labels, n_splits=5, seed=seed)
        rows.append(result.summary(labels, target.labels))
        r = rows[-1]
        print(f"{name:18s} {r['macro_f1_mean']:.3f} ± {r['macro_f1_sd']:.3f}   acc {r['accuracy_mean']:.3f}   "
              f"ECE {r['pooled_ece']:.3f}   ({r['seconds']:.0f}s)", flush=True)
    return rows


def test_scores(names, train, test, target, seed: int) -> list[dict]:
    (table, labels, groups), (test_table, test_labels) = train, test
    rows = []
    for name in names:
        model = fit_estimator(make_approach(name, seed=seed), table, np.asarray(labels), np.asarray(groups))
        pred, conf = predict_with_confidence(model, test_table)
        rows.append({"approach": name, **score(test_labels, list(pred), list(conf), target.labels)})
        r = rows[-1]
        print(f"{name:18s} test macro-F1 {r['macro_f1']:.3f}   acc {r['accuracy']:.3f}   ECE {r['ece']:.3f}",
              flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", default=str(ROOT / "annotations"))
    parser.add_argument("--corpus", default=str(ROOT / "corpus"))
    parser.add_argument("--out", default=str(ROOT / "models" / "stance"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--approaches", nargs="*", default=list(APPROACHES))
    parser.add_argument("--test", action="store_true", help="also train on train+dev and score the test split")
    parser.add_argument("--skip-cv", action="store_true")
    args = parser.parse_args()

    target, kinds = load_target(), document_kinds(args.corpus)
    examples, labels = load_examples(args.gold, splits=("train", "dev"), target=target, kinds=kinds)
    test_examples, test_labels = ([], [])
    if args.test:
        test_examples, test_labels = load_examples(args.gold, splits=("test",), target=target, kinds=kinds)
    started = time.perf_counter()
    lookup = embedding_lookup(load_encoder(), [e.text for e in examples + test_examples])
    print(f"{len(examples)} train+dev sentences from {len(set(e.doc_id for e in examples))} documents; "
          f"embedded {len(lookup)} texts in {time.perf_counter() - started:.0f}s", flush=True)
    table, groups = build_table(examples, lookup), [e.doc_id for e in examples]
    with blas_single_thread():
        if not args.skip_cv:
            rows = cross_validate(args.approaches, table, labels, groups, target, args.seed)
            write_figures(args.out, "cv", sorted(rows, key=lambda r: -r["macro_f1_mean"]))
            write_figures(args.out, "cv_seed", args.seed)
            write_figures(args.out, "cv_n", len(examples))
            best = max(rows, key=lambda r: r["macro_f1_mean"])
            print(f"winner by grouped-CV macro-F1: {best['approach']}", flush=True)
        if args.test:
            test = (build_table(test_examples, lookup), test_labels)
            rows = test_scores(args.approaches, (table, labels, groups), test, target, args.seed)
            write_figures(args.out, "test", rows)
            write_figures(args.out, "test_note", f"Trained on train+dev ({len(examples)} sentences), scored on the "
                          f"{len(test_examples)} gold sentences of the {len(set(e.doc_id for e in test_examples))} "
                          "test documents (gold sentence boundaries), nlp.eval.metrics.macro_f1.")


if __name__ == "__main__":
    main()
