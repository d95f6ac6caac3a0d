"""Inter-annotator agreement on stance: the first pass (annotations/gold) against the independent
second pass (annotations/stance_pass2.jsonl), Cohen's kappa and a confusion table.

    .venv/bin/python scripts/stance_agreement.py
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from sklearn.metrics import cohen_kappa_score

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.eval import load_gold  # noqa: E402
from nlp.eval.metrics import macro_f1  # noqa: E402

LABELS = ("support", "oppose", "qualified", "none")


def main() -> int:
    gold = load_gold(ROOT / "annotations")
    second = [json.loads(line) for line in (ROOT / "annotations" / "stance_pass2.jsonl").read_text().splitlines() if line]
    first = {(r["doc_id"], r["sent_id"]): r for layers in gold.values() for r in layers["sentence"]}
    pairs = [(first[(r["doc_id"], r["sent_id"])]["stance"], r["stance"]) for r in second]
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    annotators = sorted({first[(r["doc_id"], r["sent_id"])]["annotator"] for r in second} | {r["annotator"] for r in second})
    print(f"sentences: {len(pairs)} in {len({r['doc_id'] for r in second})} documents; annotators: {', '.join(annotators)}")
    print(f"cohen_kappa: {cohen_kappa_score(a, b, labels=list(LABELS)):.3f}")
    print(f"raw agreement: {sum(x == y for x, y in pairs) / len(pairs):.3f}")
    print(f"macro-F1 of pass 2 against pass 1: {macro_f1(a, b, LABELS)['macro_f1']:.3f}")
    counts = Counter(pairs)
    print("confusion (rows: first pass, columns: second pass)")
    print(f"{'':>10}" + "".join(f"{l:>10}" for l in LABELS))
    for x in LABELS:
        print(f"{x:>10}" + "".join(f"{counts[(x, y)]:>10}" for y in LABELS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
