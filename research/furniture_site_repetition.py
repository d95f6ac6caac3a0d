"""Would cross-page repetition help the furniture model? (issue 16; December 2026)

Adds to every block the rules leave to the furniture model whether the same line (normalised,
under 200 characters) is on another gold page of its site (at least 1, at least 3), then runs the
same grouped-by-site cross-validation as `claims train furniture` with and without it.

Measured on train+dev: 137 blocks repeat on another page of their site, 82 of them furniture;
errors (in gold sentences) trees 412 -> 409, linear 449 -> 429. With about two pages per site in
the pool the signal is small, so the shipped model does without it (no corpus-level pass).

    .venv/bin/python research/furniture_site_repetition.py
"""

from __future__ import annotations

import collections
import json

from nlp.gold.sources import doc_text
from nlp.segmentation.training import grouped_cv, load_examples


def _norm(line: str) -> str:
    return " ".join(line.lower().split())


def main() -> None:
    ex = load_examples("annotations")
    without = grouped_cv(ex)["approaches"]
    sites = json.load(open("annotations/split.json", encoding="utf-8"))["sites"]
    lines_by_site: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for doc_id in sorted({w[0] for w in ex.where}):
        lines = {_norm(x) for x in doc_text(doc_id).splitlines() if x.strip() and len(x) < 200}
        lines_by_site[sites.get(doc_id, doc_id)].update(lines)
    for i, (doc_id, start, end) in enumerate(ex.where):
        others = lines_by_site[ex.groups[i]][_norm(doc_text(doc_id)[start:end])] - 1
        if others >= 1:
            ex.features[i]["site_rep>=1"] = 1.0
        if others >= 3:
            ex.features[i]["site_rep>=3"] = 1.0
    repeated = [i for i, f in enumerate(ex.features) if "site_rep>=1" in f]
    print(f"blocks repeated on another page of their site: {len(repeated)}, "
          f"furniture among them: {int(sum(ex.target[i] for i in repeated))}")
    with_rep = grouped_cv(ex)["approaches"]
    for approach in without:
        print(f"{approach}: errors {without[approach]['errors']} without, {with_rep[approach]['errors']} with")


if __name__ == "__main__":
    main()
