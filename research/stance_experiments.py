"""Compare stance approaches by grouped cross-validation (by site) on train+dev, and, once,
score each on the test split.

    .venv/bin/python research/stance_experiments.py                # CV table -> models/stance/figures.json
    .venv/bin/python research/stance_experiments.py --test --skip-cv   # test figures (final; run once)
    .venv/bin/python research/stance_experiments.py --eval-json E.json # + `claims eval` figures of the pipeline

The winner by grouped-CV macro-F1 is what `claims train stance` trains (nlp/stance/training.py).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.gold.sources import split_sites  # noqa: E402
from nlp.stance.data import SentenceContext, document_kinds, load_examples  # noqa: E402
from nlp.stance.encoder import embedding_lookup, load_encoder  # noqa: E402
from nlp.stance.evaluation import fit_estimator, grouped_cv, predict_with_confidence, score  # noqa: E402
from nlp.stance.features import build_table  # noqa: E402
from nlp.stance.models import APPROACHES, make_approach  # noqa: E402
from nlp.stance.target import load_target  # noqa: E402
from nlp.stance.training import blas_single_thread, refresh_card, write_figures  # noqa: E402


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


def load_semeval(path: Path, *, n: int, seed: int) -> tuple[list[SentenceContext], list[str]]:
    """SemEval-2016 (tweeteval) stance tweets, `against` -> oppose and `favor` -> support, any target."""
    pairs = []
    for folder in sorted(p for p in path.iterdir() if p.is_dir()):
        texts = (folder / "train_text.txt").read_text(encoding="utf-8").splitlines()
        labels = (folder / "train_labels.txt").read_text(encoding="utf-8").split()
        pairs += [(t.strip(), {"1": "oppose", "2": "support"}[lab]) for t, lab in zip(texts, labels) if lab in "12"]
    keep = np.random.default_rng(seed).permutation(len(pairs))[:n]
    return ([SentenceContext(doc_id=f"semeval-{i}", sent_id=0, text=pairs[i][0]) for i in keep],
            [pairs[i][1] for i in keep])


def cv_with_auxiliary(name, table, labels, groups, aux_table, aux_labels, target, seed: int) -> dict:
    """Grouped CV where every training fold also gets the auxiliary examples (never scored)."""
    y, groups, f1s, accs = np.asarray(labels), np.asarray(groups), [], []
    for train, test in GroupKFold(n_splits=5, shuffle=True, random_state=seed).split(table, y, groups):
        X = pd.concat([table.iloc[train], aux_table], ignore_index=True)
        model = make_approach(name, seed=seed, calibrate=False).fit(X, np.concatenate([y[train], aux_labels]))
        fold = score(y[test], list(model.predict(table.iloc[test])), None, target.labels)
        f1s.append(fold["macro_f1"])
        accs.append(fold["accuracy"])
    row = {"approach": f"{name}+semeval_aux", "macro_f1_mean": round(float(np.mean(f1s)), 4),
           "macro_f1_sd": round(float(np.std(f1s)), 4), "accuracy_mean": round(float(np.mean(accs)), 4),
           "pooled_ece": None}
    print(f"{row['approach']:18s} {row['macro_f1_mean']:.3f} ± {row['macro_f1_sd']:.3f}   "
          f"acc {row['accuracy_mean']:.3f}   (auxiliary data in training folds)", flush=True)
    return row


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
    parser.add_argument("--aux", type=Path, default=ROOT.parent / "shared/datasets/tweeteval/datasets/stance",
                        help="SemEval-2016 stance folder: measured as auxiliary training data (if present)")
    parser.add_argument("--aux-n", type=int, default=800)
    parser.add_argument("--eval-json", type=Path, help="`claims eval --split test --format json` output of the "
                        "shipped pipeline: its stance figures go into the model card")
    args = parser.parse_args()
    if args.eval_json:
        stance = json.loads(args.eval_json.read_text(encoding="utf-8"))["stance"]
        write_figures(args.out, "test_pipeline", stance)
        refresh_card(args.out)
        return

    target, kinds = load_target(), document_kinds(args.corpus)
    examples, labels = load_examples(args.gold, splits=("train", "dev"), target=target, kinds=kinds)
    test_examples, test_labels = ([], [])
    if args.test:
        test_examples, test_labels = load_examples(args.gold, splits=("test",), target=target, kinds=kinds)
    started = time.perf_counter()
    aux_examples, aux_labels = ([], [])
    if args.aux and args.aux.is_dir() and not args.skip_cv:
        aux_examples, aux_labels = load_semeval(args.aux, n=args.aux_n, seed=args.seed)
    lookup = embedding_lookup(load_encoder(), [e.text for e in examples + test_examples + aux_examples])
    print(f"{len(examples)} train+dev sentences from {len(set(e.doc_id for e in examples))} documents; "
          f"embedded {len(lookup)} texts in {time.perf_counter() - started:.0f}s", flush=True)
    sites = split_sites(args.gold)
    table, groups = build_table(examples, lookup), [sites.get(e.doc_id, e.doc_id) for e in examples]
    with blas_single_thread():
        if not args.skip_cv:
            rows = cross_validate(args.approaches, table, labels, groups, target, args.seed)
            if aux_examples:
                for name in ("emb_lr", "ensemble_context"):
                    rows.append(cv_with_auxiliary(name, table, labels, groups, build_table(aux_examples, lookup),
                                                  aux_labels, target, args.seed))
            write_figures(args.out, "cv", sorted(rows, key=lambda r: -r["macro_f1_mean"]))
            write_figures(args.out, "cv_seed", args.seed)
            write_figures(args.out, "cv_n", len(examples))
            best = max((r for r in rows if r["approach"] in APPROACHES), key=lambda r: r["macro_f1_mean"])
            print(f"winner by grouped-CV macro-F1: {best['approach']}", flush=True)
        if args.test:
            test = (build_table(test_examples, lookup), test_labels)
            rows = test_scores(args.approaches, (table, labels, groups), test, target, args.seed)
            write_figures(args.out, "test", rows)
            write_figures(args.out, "test_note", f"Trained on train+dev ({len(examples)} sentences), scored on the "
                          f"{len(test_examples)} gold sentences of the {len(set(e.doc_id for e in test_examples))} "
                          "test documents (gold sentence boundaries), nlp.eval.metrics.macro_f1.")
    if (Path(args.out) / "model.joblib").is_file():
        refresh_card(args.out)


if __name__ == "__main__":
    main()
