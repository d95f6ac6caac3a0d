"""Training and grouped cross-validation of the claim model on the gold annotations.

Grouped by site: sentences of one site never sit on both sides of a fold.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

from ..eval import load_gold
from ..eval.metrics import prf
from ..gold.sources import split_sites
from .model import ClaimModel, featurise, make_pipeline

NOT_CLAIM_SEGMENTS = {"heading", "boilerplate"}


def gold_sentences(gold_dir: str | Path, splits: tuple[str, ...]) -> list[dict]:
    sites = split_sites(gold_dir)
    rows = []
    for split in splits:
        for doc_id, layers in load_gold(gold_dir, split=split, text=True).items():
            with_qty = {q["sent_id"] for q in layers["quantity"]}
            for s in layers["sentence"]:
                rows.append({**s, "split": split, "has_quantity": s["sent_id"] in with_qty,
                             "site": sites.get(doc_id)})
    return rows


def claimbuster_rows(shared_dir: str | Path, limit: int | None = None) -> list[dict]:
    path = Path(shared_dir) / "datasets" / "claimbuster-spotter" / "data" / "two_class" / "train.json"
    if not path.exists():
        return []
    data = json.loads(path.read_text(encoding="utf-8"))[:limit]
    return [{"text": r["text"], "segment": "body", "claim": bool(r["label"]), "doc_id": "claimbuster"} for r in data]


def fit(rows: list[dict], *, seed: int = 0, extra: list[dict] = ()) -> ClaimModel:
    candidates = [r for r in rows if r["segment"] not in NOT_CLAIM_SEGMENTS] + list(extra)
    is_claim = make_pipeline(seed=seed).fit([featurise(r["text"], r["segment"]) for r in candidates],
                                            [int(r["claim"]) for r in candidates])
    typed = [r for r in rows if r["claim"] and r["claim_type"] in {"evaluative", "factual"}]
    evaluative = make_pipeline(seed=seed).fit([featurise(r["text"], r["segment"]) for r in typed],
                                              [int(r["claim_type"] == "evaluative") for r in typed])
    return ClaimModel(is_claim=is_claim, evaluative=evaluative,
                      trained_on={"sentences": len(candidates), "typed": len(typed), "extra": len(extra),
                                  "seed": seed, "trained": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")})


def predict(model: ClaimModel, rows: list[dict], threshold: float = 0.5) -> list[tuple[bool, str | None]]:
    """(is claim, type) per gold sentence, with the component's rules (numeric from quantities)."""
    inputs = [featurise(r["text"], r["segment"]) for r in rows]
    claim_p = model.claim_scores(inputs)
    eval_p = model.evaluative_scores(inputs)
    out = []
    for r, pc, pe in zip(rows, claim_p, eval_p):
        is_claim = r["segment"] not in NOT_CLAIM_SEGMENTS and not r["text"].rstrip().endswith("?") and pc >= threshold
        kind = None if not is_claim else "numeric" if r["has_quantity"] else ("evaluative" if pe >= 0.5 else "factual")
        out.append((is_claim, kind))
    return out


def grouped_cv(rows: list[dict], *, folds: int = 5, seed: int = 0, extra: list[dict] = ()) -> dict:
    """Claim F1 and type accuracy over folds grouped by site (a row's `site`, else its document;
    gold quantities decide `numeric`)."""
    groups = np.array([r.get("site") or r["doc_id"] for r in rows])
    tp = n_pred = n_gold = type_ok = 0
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(rows, groups=groups):
        model = fit([rows[i] for i in train_idx], seed=seed, extra=extra)
        test = [rows[i] for i in test_idx]
        for r, (is_claim, kind) in zip(test, predict(model, test)):
            n_pred += is_claim
            n_gold += r["claim"]
            if is_claim and r["claim"]:
                tp += 1
                type_ok += kind == r["claim_type"]
    scores = prf(tp, n_pred, n_gold)
    scores["type_accuracy"] = round(type_ok / tp, 4) if tp else 0.0
    return scores


def train_and_save(gold_dir: str | Path, out_dir: str | Path, *, seed: int = 0, folds: int = 5) -> dict:
    """Grouped CV on train+dev for the card, then the shipped model fitted on train+dev."""
    rows = gold_sentences(gold_dir, ("train", "dev"))
    cv = grouped_cv(rows, folds=folds, seed=seed)
    model = fit(rows, seed=seed)
    path = model.save(out_dir)
    report = {"grouped_cv": cv, "trained_on": model.trained_on, "model": str(path)}
    (Path(out_dir) / "metrics.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return report
