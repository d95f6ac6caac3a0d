"""Plain metric arithmetic, independent of our file formats."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4), "tp": tp, "n_pred": n_pred,
            "n_gold": n_gold}


def macro_f1(gold: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, float]:
    out: dict[str, float] = {}
    f1s = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        scores = prf(tp, sum(p == label for p in pred), sum(g == label for g in gold))
        out[f"f1_{label}"] = scores["f1"]
        f1s.append(scores["f1"])
    out["macro_f1"] = round(sum(f1s) / len(f1s), 4) if f1s else 0.0
    out["accuracy"] = round(sum(g == p for g, p in zip(gold, pred)) / len(gold), 4) if gold else 0.0
    out["n"] = len(gold)
    return out


def _pairs(counts: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


def pairwise_id_agreement(gold_ids: Sequence[str], pred_ids: Sequence[str | None]) -> dict[str, float]:
    """Precision and recall of 'same id' pairs over gold mentions. pred_ids[i] is the id the
    pipeline gave gold mention i (None when it found no mention there)."""
    same_gold = _pairs(Counter(gold_ids).values())
    matched = [(g, p) for g, p in zip(gold_ids, pred_ids) if p is not None]
    same_pred = _pairs(Counter(p for _, p in matched).values())
    same_both = _pairs(Counter(matched).values())
    return {"id_pair_precision": round(same_both / same_pred, 4) if same_pred else 0.0,
            "id_pair_recall": round(same_both / same_gold, 4) if same_gold else 0.0,
            "id_pairs_gold": same_gold}


def expected_calibration_error(confidences: Sequence[float], correct: Sequence[bool], bins: int = 10) -> float:
    total = len(confidences)
    if not total:
        return 0.0
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, c in enumerate(confidences) if (lo < c <= hi) or (b == 0 and c == 0)]
        if idx:
            acc = sum(correct[i] for i in idx) / len(idx)
            conf = sum(confidences[i] for i in idx) / len(idx)
            ece += len(idx) / total * abs(acc - conf)
    return round(ece, 4)
