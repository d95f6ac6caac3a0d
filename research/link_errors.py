"""Why gold link pairs are missed, stage by stage, and which predicted links are wrong.

    .venv/bin/python research/link_errors.py OUT [--split dev] [--cache /tmp/link-cache] [--sample 15]

OUT is a finished `claims run` folder. Its links are rebuilt in-process from its tables with the
current nlp/links code and LinkConfig (so the report always matches the code; the vectors are
cached under --cache, one row per distinct text). For every gold pair of the split (relation
repeat/update/contradict) that is missed or given the wrong relation it says:

  1. placement: which predicted sentence each gold sentence falls on, and whether it is a linkable
     row of the claim table at all (links are made between table rows);
  2. candidacy: whether the pair was a candidate, and from which source (ann / lsh / block), with
     the cosine, the ANN rank of each side in the other's list, and the block keys;
  3. judgement: each test of nlp/links/scoring.py that rejected it, with its numbers (figures
     and intervals, measure overlap, periods, scope, jaccard, rare-word overlap, cosine).

Then the false links among judged pairs (wrong relation, or a `none` pair linked) and a sample of
unjudged links. Data to stdout; nothing is written except the vector cache.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.eval.links import load_judged_links, score_links  # noqa: E402
from nlp.links import LinkConfig  # noqa: E402
from nlp.links.build import link_from_embeddings, table_for_out_dir  # noqa: E402
from nlp.links.cache import cached_embed  # noqa: E402
from nlp.links.candidates import SOURCE_NAMES, candidate_pairs  # noqa: E402
from nlp.links.overlap import word_sets  # noqa: E402
from nlp.links.scoring import judge  # noqa: E402
from nlp.engine.outputs import load_rows  # noqa: E402

RELATIONS = ("repeat", "update", "contradict")


def gold_for_split(path: Path, split: str | None) -> list[dict]:
    from nlp.eval.links import gold_for_split as pairs_of_split

    return pairs_of_split(load_judged_links(path), path.parent / "split.json", split)


def place(side: dict, sentences: dict[str, list[dict]]) -> dict | None:
    """The predicted sentence overlapping the gold sentence most."""
    best, best_len = None, 0
    for s in sentences.get(side["doc_id"], ()):
        ov = min(s["end"], side["end"]) - max(s["start"], side["start"])
        if ov > best_len:
            best, best_len = s, ov
    return best


def ann_rank(matrix: np.ndarray, doc_codes: np.ndarray, i: int, j: int) -> int:
    """Rank of j among i's neighbours in other documents (1 = nearest)."""
    sims = matrix @ matrix[i]
    sims[doc_codes == doc_codes[i]] = -np.inf
    return int((sims > sims[j]).sum()) + 1


class Analysis:
    def __init__(self, out: Path, config: LinkConfig, cache: Path):
        from nlp.links.embed import embed

        self.config = config
        self.table = table_for_out_dir(out, config=config)
        self.matrix = cached_embed(embed, cache)(self.table.texts)
        self.row = {cid: n for n, cid in enumerate(self.table.ids)}
        pairs, masks = candidate_pairs(self.matrix, self.table.texts, self.table.block_keys, self.table.doc_codes,
                                       config, words=word_sets(self.table.words))
        self.candidates = {(int(a), int(b)): int(m) for (a, b), m in zip(pairs.tolist(), masks.tolist())}
        self.links = link_from_embeddings(self.matrix, self.table, config=config)
        self.sentences = load_rows(out, "sentences")
        self.by_doc: dict[str, list[dict]] = {}
        for s in self.sentences:
            self.by_doc.setdefault(s["doc_id"], []).append(s)
        self.quantities = Counter(f"{q['doc_id']}:{q['sent_id']}" for q in load_rows(out, "quantities"))
        claims = {c["claim_id"] for c in load_rows(out, "claims")}
        self.is_claim = claims.__contains__
        split = json.loads((ROOT / "annotations" / "split.json").read_text(encoding="utf-8"))
        self.test_docs = set(split["test"])  # never shown: held out

    def explain(self, gold: dict) -> tuple[str, list[str]]:
        """(category, lines) for one gold pair."""
        lines, ids = [], []
        for side in ("a", "b"):
            sent = place(gold[side], self.by_doc)
            if sent is None:
                return "no sentence", [f"  {side}: no predicted sentence overlaps {gold[side]['doc_id']}"]
            sid = f"{sent['doc_id']}:{sent['sent_id']}"
            ids.append(sid)
            linkable = sid in self.row
            lines.append(f"  {side}: {sid} claim={self.is_claim(sid)} linkable={linkable} "
                         f"quantities={self.quantities.get(sid, 0)}")
            if not linkable:
                return "not linkable (not a claim)", lines
        i, j = sorted(self.row[x] for x in ids)
        t = self.table
        cos = float(self.matrix[i] @ self.matrix[j])
        for n in (i, j):
            figs = "; ".join(f"{f.text!r}={f.interval.describe(f.family)} measure={f.measure!r} "
                             f"period={f.period and f.period.label}" for f in t.figures[n]) or "-"
            lines.append(f"  {t.ids[n]} date={t.dates[n]} scope={ {k: sorted(v) for k, v in t.scope[n].items()} } "
                         f"blocks={list(t.block_keys[n])} figures: {figs}")
        mask = self.candidates.get((i, j), 0)
        sources = [name for bit, name in SOURCE_NAMES.items() if mask & bit]
        ranks = (ann_rank(self.matrix, t.doc_codes, i, j), ann_rank(self.matrix, t.doc_codes, j, i))
        lines.append(f"  candidate={sources or 'no'} cosine={cos:.3f} ann ranks={ranks} (k={self.config.k}, "
                     f"min sim {self.config.candidate_min_sim})")
        if not mask:
            return "not a candidate", lines
        trace: list[str] = []
        row = judge(t, i, j, cos, self.config, trace)
        lines += [f"  rejected: {x}" for x in trace]
        if row is not None:
            lines.append(f"  judged {row['relation']}: {row['reason']}")
            return f"judged {row['relation']}", lines
        first = trace[-1] if trace else "?"
        return f"rejected: {first.split(':')[0].split(';')[0][:40]}", lines


def matching_link(gold: dict, links: list[dict], spans: dict) -> dict | None:
    for link in links:
        a, b = spans.get(link["a"]), spans.get(link["b"])
        if a and b and (_hit(a, gold["a"]) and _hit(b, gold["b"]) or _hit(a, gold["b"]) and _hit(b, gold["a"])):
            return link
    return None


def _hit(span, side) -> bool:
    return span[0] == side["doc_id"] and min(span[2], side["end"]) > max(span[1], side["start"])


def short(text: str, n: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def report(an: Analysis, gold: list[dict], sample: int, seed: int) -> None:
    spans = {f"{s['doc_id']}:{s['sent_id']}": (s["doc_id"], s["start"], s["end"]) for s in an.sentences}
    scores = score_links(gold, an.links, an.sentences)
    print("== scores (links rebuilt with the current code)")
    for rel in RELATIONS:
        s = scores[rel]
        print(f"  {rel:10s} P {s['precision']:.2f} R {s['recall']:.2f} ({s['found']}/{s['n_gold']}, "
              f"{s['n_pred']} judged predictions)")
    print(f"  must-not-link linked: {scores['must_not_link']['predicted']}/{scores['must_not_link']['n_gold']}; "
          f"unjudged links: {scores['unjudged']}; all links: {len(an.links)}")
    categories: Counter = Counter()
    print("\n== missed or mis-labelled gold pairs")
    for g in gold:
        if g["relation"] == "none":
            continue
        link = matching_link(g, an.links, spans)
        if link is not None and link["relation"] == g["relation"]:
            continue
        category, lines = an.explain(g)
        if link is not None:
            category = f"wrong relation ({link['relation']})"
        categories[category] += 1
        print(f"\n[{g['relation']}] {category} — note: {g.get('note', '')}")
        print(f"  A {g['a']['doc_id']}: {short(g['a']['text'])}")
        print(f"  B {g['b']['doc_id']}: {short(g['b']['text'])}")
        print("\n".join(lines))
    print("\n== miss categories")
    for cat, n in categories.most_common():
        print(f"  {n:3d}  {cat}")
    print("\n== false links among judged pairs")
    judged_keys = set()
    for g in gold:
        link = matching_link(g, an.links, spans)
        if link is None:
            continue
        judged_keys.add((link["a"], link["b"]))
        if link["relation"] != g["relation"]:
            print(f"  gold {g['relation']} / predicted {link['relation']}: {link['reason']}")
            print(f"    A {short(g['a']['text'], 130)}\n    B {short(g['b']['text'], 130)}")
    unjudged = [x for x in an.links if (x["a"], x["b"]) not in judged_keys
                and not (an.test_docs & {x["a_doc"], x["b_doc"]})]
    print(f"\n== sample of unjudged links ({min(sample, len(unjudged))} of {len(unjudged)} not touching a test "
          "document)")
    texts = dict(zip(an.table.ids, an.table.texts))
    for x in random.Random(seed).sample(unjudged, min(sample, len(unjudged))):
        print(f"  [{x['relation']}] {x['reason']}")
        print(f"    {x['a']}: {short(texts[x['a']], 130)}\n    {x['b']}: {short(texts[x['b']], 130)}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--gold", type=Path, default=ROOT / "annotations" / "links.jsonl")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/link-cache"))
    parser.add_argument("--sample", type=int, default=15)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if args.split == "test":
        parser.error("error analysis on the held-out test split is not allowed")
    analysis = Analysis(args.out, LinkConfig(), args.cache)
    report(analysis, gold_for_split(args.gold, args.split), args.sample, args.seed)


if __name__ == "__main__":
    main()
