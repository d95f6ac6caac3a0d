"""Which settings of the fine-tuned MiniLM stance model (nlp/stance/transformer.py) win grouped
cross-validation by site on train+dev, and how well does a cheap first pass route sentences to it?

    .venv/bin/python research/stance_transformer_cv.py [--frozen 5] [--epochs 4] [--lr 3e-4]
        [--power 0.5] [--folds 5] [--max-tokens 80] [--save /tmp/stance_cv]

(the defaults are transformer.Settings')

The frozen layers' outputs are computed once for all sentences (they do not change across folds),
then each fold trains the top layers; out-of-fold logits are kept after every epoch, so one run
scores every epoch count up to --epochs. The cheap pass is `tfidf_char_lr` with the same folds: a
sentence it gives P(none) >= tau is settled as `none`, the rest go to the transformer.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.eval.metrics import expected_calibration_error, macro_f1  # noqa: E402
from nlp.gold.sources import split_sites  # noqa: E402
from nlp.stance.data import gold_kinds, load_examples  # noqa: E402
from nlp.stance.target import load_target  # noqa: E402
from nlp.stance.transformer import Settings  # noqa: E402

DEFAULTS = Settings()


def softmax(z: np.ndarray, t: float = 1.0) -> np.ndarray:
    z = z / t
    z = z - z.max(1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(1, keepdims=True)


def folds(groups: np.ndarray, n: int, seed: int):
    from sklearn.model_selection import GroupKFold

    return list(GroupKFold(n_splits=n, shuffle=True, random_state=seed).split(np.zeros(len(groups)), groups=groups))


def cheap_oof(examples, labels, splits, seed: int) -> np.ndarray:
    from nlp.stance.features import build_table
    from nlp.stance.models import make_approach
    from nlp.stance.evaluation import fit_estimator
    from nlp.stance.training import blas_single_thread

    table = build_table(examples, None)
    y = np.asarray(labels)
    out = np.zeros((len(labels), 4))
    classes = None
    with blas_single_thread():
        for tr, te in splits:
            est = fit_estimator(make_approach("tfidf_char_lr", seed=seed), table.iloc[tr], y[tr])
            out[te] = est.predict_proba(table.iloc[te])
            classes = list(est.classes_)
    return out, classes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frozen", type=int, default=DEFAULTS.frozen)
    parser.add_argument("--epochs", type=int, default=DEFAULTS.epochs)
    parser.add_argument("--lr", type=float, default=DEFAULTS.lr)
    parser.add_argument("--power", type=float, default=DEFAULTS.weight_power)
    parser.add_argument("--batch", type=int, default=DEFAULTS.batch)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-tokens", type=int, default=DEFAULTS.max_tokens)
    parser.add_argument("--save", type=Path, default=Path("/tmp/stance_cv"))
    args = parser.parse_args()
    import torch

    from nlp.stance.transformer import Cache, train_top

    torch.set_num_threads(args.threads)
    gold, target = ROOT / "annotations", load_target()
    kinds = gold_kinds(gold, ("train", "dev"), ROOT / "corpus")
    examples, labels = load_examples(gold, splits=("train", "dev"), target=target, kinds=kinds)
    classes = list(target.labels)
    sites = split_sites(gold)
    groups = np.asarray([sites.get(e.doc_id, e.doc_id) for e in examples])
    splits = folds(groups, args.folds, args.seed)
    args.save.mkdir(parents=True, exist_ok=True)
    tag = f"f{args.frozen}_t{args.max_tokens}_lr{args.lr:g}_p{args.power:g}_s{args.seed}"

    cheap_path = args.save / f"cheap_s{args.seed}.npy"
    if cheap_path.exists():
        cheap = np.load(cheap_path)
    else:
        started = time.perf_counter()
        cheap, cheap_classes = cheap_oof(examples, labels, splits, args.seed)
        cheap = cheap[:, [cheap_classes.index(c) for c in classes]]
        np.save(cheap_path, cheap)
        print(f"cheap pass OOF in {time.perf_counter() - started:.0f} s", flush=True)
    print("cheap pass (tfidf_char_lr) pooled OOF:", macro_f1(labels, [classes[i] for i in cheap.argmax(1)], classes),
          flush=True)

    started = time.perf_counter()
    cache = Cache.build(examples, args.frozen, max_tokens=args.max_tokens)
    print(f"cache of {len(examples)} sentences after {args.frozen} frozen layers: {time.perf_counter() - started:.0f} s",
          flush=True)
    oof = np.zeros((args.epochs, len(labels), len(classes)), dtype=np.float32)
    settings = Settings(frozen=args.frozen, epochs=args.epochs, lr=args.lr, batch=args.batch,
                        weight_power=args.power, seed=args.seed)
    for k, (tr, te) in enumerate(splits):
        started = time.perf_counter()

        def record(epoch, logits, te=te):
            oof[epoch - 1, te] = logits

        train_top(cache, labels, classes, settings, train_idx=tr, eval_idx=te, on_epoch=record)
        fold = macro_f1([labels[i] for i in te], [classes[i] for i in oof[-1, te].argmax(1)], classes)
        print(f"fold {k + 1}: {time.perf_counter() - started:.0f} s; last-epoch macro-F1 {fold['macro_f1']:.3f}",
              flush=True)
    np.save(args.save / f"oof_{tag}.npy", oof)
    for epoch in range(args.epochs):
        pred = [classes[i] for i in oof[epoch].argmax(1)]
        per_fold = [macro_f1([labels[i] for i in te], [pred[i] for i in te], classes)["macro_f1"] for _, te in splits]
        pooled = macro_f1(labels, pred, classes)
        print(f"epoch {epoch + 1}: fold mean {np.mean(per_fold):.3f} ± {np.std(per_fold):.3f}; pooled {pooled}")
    best = oof[-1]
    none = classes.index("none")
    gold_none = np.asarray([y == "none" for y in labels])
    for tau in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95):
        settled = cheap[:, none] >= tau
        mixed = best.copy()
        mixed[settled] = -1e9
        mixed[settled, none] = 0
        pred = [classes[i] for i in mixed.argmax(1)]
        f = macro_f1(labels, pred, classes)["macro_f1"]
        print(f"cascade tau {tau}: routed {1 - settled.mean():.3f}; settled-but-not-none "
              f"{(settled & ~gold_none).sum()} of {(~gold_none).sum()} stance sentences; macro-F1 {f:.3f}")
    proba = softmax(best)
    conf = proba.max(1)
    right = [classes[i] == y for i, y in zip(proba.argmax(1), labels)]
    print(f"ECE (T=1) {expected_calibration_error(list(conf), right):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
