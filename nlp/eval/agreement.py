"""Agreement between the first stance pass (gold) and the independent second pass."""

from __future__ import annotations

import json
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

from .scoring import STANCE_LABELS, load_gold

PASS2 = "stance_pass2.jsonl"


def stance_pairs(gold_dir: str | Path) -> list[tuple[str, str]]:
    """(first pass, second pass) labels of every sentence both passes labelled."""
    path = Path(gold_dir) / PASS2
    if not path.exists():
        return []
    first = {(r["doc_id"], r["sent_id"]): r["stance"]
             for layers in load_gold(gold_dir).values() for r in layers["sentence"]}
    second = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(first[(r["doc_id"], r["sent_id"])], r["stance"]) for r in second if (r["doc_id"], r["sent_id"]) in first]


def stance_kappa(gold_dir: str | Path) -> dict | None:
    pairs = stance_pairs(gold_dir)
    if not pairs:
        return None
    a, b = zip(*pairs)
    return {"kappa": round(float(cohen_kappa_score(a, b, labels=list(STANCE_LABELS))), 3),
            "agreement": round(sum(x == y for x, y in pairs) / len(pairs), 3), "n": len(pairs)}
