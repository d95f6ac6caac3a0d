"""Would more annotated sites lift stance? A learning curve under grouped cross-validation by site.

    .venv/bin/python research/stance_learning_curve.py [--approach tfidf_char_lr] [--folds 5] [--repeats 3]

Each fold's held-out sites stay fixed; the model is trained on a random share (25 %, 50 %, 75 %, 100 %) of the
*sites* of the other folds, `--repeats` draws per share. Printed per share: pooled out-of-fold macro-F1 and the F1
of `oppose` and `qualified`, with the training sentences and sites used. If the curve is still rising at 100 %,
more pages of new sites are the lever; if it is flat, the model (or the labels' consistency) is.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.eval.metrics import macro_f1  # noqa: E402
from nlp.gold.sources import split_sites  # noqa: E402
from nlp.stance.data import gold_kinds, load_examples  # noqa: E402
from nlp.stance.evaluation import fit_estimator  # noqa: E402
from nlp.stance.features import build_table  # noqa: E402
from nlp.stance.models import make_approach  # noqa: E402
from nlp.stance.target import load_target  # noqa: E402
from nlp.stance.training import blas_single_thread  # noqa: E402

SHARES = (0.25, 0.5, 0.75, 1.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--approach", default="tfidf_char_lr")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    from sklearn.model_selection import GroupKFold

    gold, target = ROOT / "annotations", load_target()
    kinds = gold_kinds(gold, ("train", "dev"), ROOT / "corpus")
    examples, labels = load_examples(gold, splits=("train", "dev"), target=target, kinds=kinds)
    classes = list(target.labels)
    sites = split_sites(gold)
    groups = np.asarray([sites.get(e.doc_id, e.doc_id) for e in examples])
    y = np.asarray(labels)
    table = build_table(examples, None)
    splits = list(GroupKFold(n_splits=args.folds, shuffle=True, random_state=args.seed).split(table, groups=groups))
    rng = np.random.default_rng(args.seed)
    print(f"{len(y)} sentences, {len(set(groups))} sites; labels: "
          + ", ".join(f"{c} {int((y == c).sum())}" for c in classes))
    print(f"{'share':>6} {'sents':>6} {'sites':>5} {'macro-F1':>9} {'oppose':>7} {'qualified':>9} {'support':>8}")
    with blas_single_thread():
        for share in SHARES:
            scores = []
            for _ in range(args.repeats if share < 1 else 1):
                pred = np.empty(len(y), dtype=object)
                n_sents, n_sites = [], []
                for train, held in splits:
                    train_sites = np.unique(groups[train])
                    chosen = rng.choice(train_sites, max(1, round(share * len(train_sites))), replace=False)
                    use = train[np.isin(groups[train], chosen)]
                    estimator = fit_estimator(make_approach(args.approach, seed=args.seed), table.iloc[use], y[use])
                    pred[held] = estimator.predict(table.iloc[held])
                    n_sents.append(len(use))
                    n_sites.append(len(chosen))
                scores.append((macro_f1(labels, list(pred), classes), np.mean(n_sents), np.mean(n_sites)))
            f = {k: np.mean([s[0][k] for s in scores]) for k in ("macro_f1", "f1_oppose", "f1_qualified",
                                                                   "f1_support")}
            print(f"{share:>6.2f} {np.mean([s[1] for s in scores]):>6.0f} {np.mean([s[2] for s in scores]):>5.0f} "
                  f"{f['macro_f1']:>9.3f} {f['f1_oppose']:>7.3f} {f['f1_qualified']:>9.3f} {f['f1_support']:>8.3f}",
                  flush=True)


if __name__ == "__main__":
    main()
