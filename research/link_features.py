"""How well each pair feature separates repeats from look-alikes, on judged dev pairs.

    .venv/bin/python research/link_features.py OUT [--split dev] [--cache /tmp/link-cache]

OUT is a `claims run` folder of corpus/. The pairs are the judged pairs of the split
(annotations/links.jsonl plus the blind pooled judgements) whose two sides are claims: gold
`repeat` against gold `none` (pairs that look alike but must not link, and links a run proposed
that the annotator rejected). For each feature it prints the ROC-AUC, and for a logistic
regression over all of them the AUC of 5-fold cross-validated scores: whether a learned pair
classifier over these features could find the paraphrased repeats the rules miss without
linking the look-alikes. The features:

- cosine: of the static sentence vectors (what the rules use);
- jaccard: of the content-word sets;
- rare-word overlap: the idf-weighted cosine of the content-word sets (what the rules use);
- soft overlap: each content word matched to its most similar word of the other sentence (static
  word vectors), idf-weighted, the harmonic mean of both directions (`tested severely` ~
  `severely tested`, `shortage of probation officers` ~ `shortage of probation professionals`);
- document rank: how many claims of the other document are nearer (0 = the nearest), the larger
  of the two directions.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "research"))

from link_errors import Analysis, gold_for_split, place  # noqa: E402

from nlp.links import LinkConfig  # noqa: E402
from nlp.links.scoring import weighted_overlap  # noqa: E402
from nlp.links.text import jaccard  # noqa: E402


class WordVectors:
    """Static vectors of every content word of the table, for the soft overlap."""

    def __init__(self, table):
        from nlp.links.embed import embed

        vocab = sorted({w for ws in table.words for w in ws})
        self.index = {w: n for n, w in enumerate(vocab)}
        self.matrix = embed(vocab) if vocab else np.zeros((0, 1), dtype=np.float32)
        self.table = table

    def soft_overlap(self, i: int, j: int) -> float:
        a, b = self.table.words[i], self.table.words[j]
        if not a or not b:
            return 0.0
        sims = self.matrix[[self.index[w] for w in a]] @ self.matrix[[self.index[w] for w in b]].T
        weight_a = np.array([self.table.idf[w] for w in a]) ** 2
        weight_b = np.array([self.table.idf[w] for w in b]) ** 2
        forward = float((sims.max(axis=1).clip(0) * weight_a).sum() / weight_a.sum())
        backward = float((sims.max(axis=0).clip(0) * weight_b).sum() / weight_b.sum())
        return 2 * forward * backward / (forward + backward) if forward + backward else 0.0


def document_rank(an: Analysis, i: int, j: int) -> int:
    """Claims of j's document nearer to i than j is."""
    docs = an.table.doc_codes
    sims = an.matrix[docs == docs[j]] @ an.matrix[i]
    return int((sims > float(an.matrix[i] @ an.matrix[j])).sum())


def judged_pairs(an: Analysis, split: str) -> list[tuple[int, int, str]]:
    out = []
    for gold in gold_for_split(ROOT / "annotations" / "links.jsonl", split):
        if gold["relation"] not in ("repeat", "none"):
            continue
        sides = [place(gold[s], an.by_doc) for s in ("a", "b")]
        rows = [an.row.get(f"{s['doc_id']}:{s['sent_id']}") if s else None for s in sides]
        if None not in rows:
            out.append((rows[0], rows[1], gold["relation"]))
    return out


def main(argv=None) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/link-cache"))
    args = parser.parse_args(argv)
    if args.split == "test":
        parser.error("test pairs are for the final figures only: explore on dev")
    an = Analysis(args.out, LinkConfig(), args.cache)
    words = WordVectors(an.table)
    pairs = judged_pairs(an, args.split)
    features = {
        "cosine": [float(an.matrix[i] @ an.matrix[j]) for i, j, _ in pairs],
        "jaccard": [jaccard(frozenset(an.table.words[i]), frozenset(an.table.words[j])) for i, j, _ in pairs],
        "rare-word overlap": [weighted_overlap(an.table, i, j) for i, j, _ in pairs],
        "soft overlap": [words.soft_overlap(i, j) for i, j, _ in pairs],
        "document rank": [-max(document_rank(an, i, j), document_rank(an, j, i)) for i, j, _ in pairs],
    }
    y = np.array([rel == "repeat" for _, _, rel in pairs])
    print(f"{len(pairs)} judged {args.split} pairs between claims: {int(y.sum())} repeat, {int((~y).sum())} none")
    for name, values in features.items():
        print(f"  {name:18s} ROC-AUC {roc_auc_score(y, values):.3f}")
    x = np.column_stack(list(features.values()))
    model = make_pipeline(StandardScaler(), LogisticRegression(C=1.0))
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    scores = cross_val_predict(model, x, y, cv=folds, method="predict_proba")[:, 1]
    print(f"  {'all (logistic, CV)':18s} ROC-AUC {roc_auc_score(y, scores):.3f}")


if __name__ == "__main__":
    main()
