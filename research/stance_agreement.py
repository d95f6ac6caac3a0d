"""Inter-annotator agreement on stance: the first pass (annotations/gold) against the independent
second pass (annotations/stance_pass2.jsonl), Cohen's kappa and a confusion table.

    .venv/bin/python research/stance_agreement.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.eval.agreement import stance_kappa, stance_pairs  # noqa: E402
from nlp.labels import STANCE as LABELS  # noqa: E402
from nlp.eval.metrics import macro_f1  # noqa: E402



def main() -> int:
    pairs = stance_pairs(ROOT / "annotations")
    a, b = [p[0] for p in pairs], [p[1] for p in pairs]
    agreement = stance_kappa(ROOT / "annotations")
    print(f"sentences: {agreement['n']}")
    print(f"cohen_kappa: {agreement['kappa']:.3f}")
    print(f"raw agreement: {agreement['agreement']:.3f}")
    print(f"macro-F1 of pass 2 against pass 1: {macro_f1(a, b, LABELS)['macro_f1']:.3f}")
    counts = Counter(pairs)
    print("confusion (rows: first pass, columns: second pass)")
    print(f"{'':>10}" + "".join(f"{l:>10}" for l in LABELS))
    for x in LABELS:
        print(f"{x:>10}" + "".join(f"{counts[(x, y)]:>10}" for y in LABELS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
