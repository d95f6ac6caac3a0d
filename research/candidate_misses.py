"""Why gold links are not candidates: what the two claims of each missed gold link share.

    .venv/bin/python research/candidate_misses.py OUT [--split train dev] [--cache /tmp/link-cache] [--list]

OUT is a finished `claims run` folder. The candidates are rebuilt as `claims eval` rebuilds them,
with the current nlp/links code and LinkConfig (vectors for the cosines cached under --cache). For every gold link of the splits (relation other
than `none`, not pooled) that no candidate pair covers, it finds the pair of claims that came
closest (highest cosine among the claims the gold sentences fall on) and says what they share:
the cosine and each side's rank among the other's cross-document neighbours (exact search), the
block keys they share and how big those blocks are, entities (with and without the year), a figure
of the same value and unit, word overlap. Each miss gets one kind (the first that applies, in the
order of KINDS); the table of kinds is printed per split, then (with --list) every miss.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.engine.outputs import load_rows  # noqa: E402
from nlp.eval.links import POOLED, gold_for_split, load_judged_links  # noqa: E402
from nlp.links import LinkConfig  # noqa: E402
from nlp.links.build import candidates_for_out_dir, table_for_out_dir  # noqa: E402
from nlp.links.cache import cached_embed  # noqa: E402

KINDS = (
    "not a claim",            # a gold sentence is no row of the claim table
    "same document",          # both sides fall in one document (never a candidate)
    "big block, outside window",  # they share a block, but it is over max_bucket and they sit far apart
    "ann: rank <= k, cos < floor",  # a neighbour, cut by candidate_min_sim
    "further neighbour, few rare words",  # rank <= far_k, cosine >= far_min_sim, overlap < far_min_overlap
    "further neighbour, past far_max",  # passes the far tests, but the claim has far_max nearer ones
    "ann: rank <= 30",        # near, but beyond the k neighbours asked
    "shared entity (other/no year)",  # a specific entity in common, no shared entity:ID:YEAR block
    "same value and unit",    # a figure of equal value and unit in both
    "ann: rank <= 100",
    "nothing shared",
)


def _rank(sims: np.ndarray, doc_codes: np.ndarray, i: int, j: int) -> int:
    row = sims[i].copy()
    row[doc_codes == doc_codes[i]] = -np.inf
    return int((row > row[j]).sum()) + 1


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--split", nargs="+", default=["train", "dev"])
    ap.add_argument("--cache", default="/tmp/link-cache")
    ap.add_argument("--list", action="store_true")
    args = ap.parse_args(argv)
    from nlp.links.embed import embed
    from nlp.links.resources import load_resources

    config = LinkConfig()
    generic = load_resources().generic_entities
    table = table_for_out_dir(args.out, config=config)
    texts = list(table.texts)
    matrix = cached_embed(embed, args.cache)(texts)
    ids, pairs, _ = candidates_for_out_dir(args.out, config=config)  # what `claims eval` measures
    row = {cid: n for n, cid in enumerate(table.ids)}
    if ids != table.ids:
        raise SystemExit(f"{args.out}: the claim index and the claim table disagree")
    found = {(int(min(a, b)), int(max(a, b))) for a, b in pairs.tolist()}
    block_size = Counter(k for keys in table.block_keys for k in set(keys))
    sims = matrix @ matrix.T
    by_doc = defaultdict(list)
    for s in load_rows(args.out, "sentences"):
        cid = f"{s['doc_id']}:{s['sent_id']}"
        if cid in row:
            by_doc[s["doc_id"]].append((s["start"], s["end"], row[cid]))

    def placed(side):
        return [r for start, end, r in by_doc.get(side["doc_id"], ()) if min(end, side["end"]) > max(start, side["start"])]

    gold = load_judged_links(ROOT / "annotations" / "links.jsonl")
    print(f"{len(found)} candidate pairs; {len(table)} claims")
    for split in args.split:
        kinds, misses = Counter(), []
        n = hits = 0
        for g in gold_for_split(gold, ROOT / "annotations" / "split.json", split):
            if g["relation"] == "none" or g.get("origin") == POOLED:
                continue
            n += 1
            pa, pb = placed(g["a"]), placed(g["b"])
            if any((min(x, y), max(x, y)) in found for x in pa for y in pb):
                hits += 1
                continue
            if not pa or not pb:
                kinds["not a claim"] += 1
                misses.append((g, "not a claim", {}))
                continue
            i, j = max(((x, y) for x in pa for y in pb), key=lambda p: sims[p[0], p[1]])
            facts = describe(table, sims, i, j, block_size, generic, config)
            kind = classify(facts, config)
            kinds[kind] += 1
            misses.append((g, kind, facts))
        print(f"\n== {split}: {hits}/{n} gold links are candidates ({hits / max(n, 1):.3f}); {n - hits} missed")
        for kind in KINDS:
            if kinds[kind]:
                print(f"  {kinds[kind]:4d}  {kind}")
        if args.list:
            for g, kind, facts in misses:
                print(f"\n[{kind}] {g['relation']} {g['a']['doc_id']} / {g['b']['doc_id']} "
                      f"{'exhaustive' if str(g.get('candidate', '')).startswith('cluster:') else ''}")
                for key, value in facts.items():
                    print(f"    {key}: {value}")


def describe(table, sims, i, j, block_size, generic, config) -> dict:
    shared_keys = sorted(set(table.block_keys[i]) & set(table.block_keys[j]))
    ents = (table.entities[i] & table.entities[j]) - generic
    values = {(f.family, round(f.value, 4)) for f in table.figures[i]} & \
        {(f.family, round(f.value, 4)) for f in table.figures[j]}
    wi, wj = set(table.words[i]), set(table.words[j])
    norm = table.word_norms[i] * table.word_norms[j]
    return {
        "a": table.texts[i][:160], "b": table.texts[j][:160],
        "same_doc": bool(table.doc_codes[i] == table.doc_codes[j]),
        "cosine": round(float(sims[i, j]), 3),
        "rank": (_rank(sims, table.doc_codes, i, j), _rank(sims, table.doc_codes, j, i)),
        "shared_blocks": [(k, block_size[k]) for k in shared_keys],
        "keys_a": table.block_keys[i], "keys_b": table.block_keys[j],
        "shared_entities": sorted(ents),
        "same_values": sorted(values),
        "word_jaccard": round(len(wi & wj) / max(len(wi | wj), 1), 3),
        "rare_word_overlap": round(sum(table.idf[w] ** 2 for w in wi & wj) / norm, 3) if norm else 0.0,
    }


def classify(f: dict, config: LinkConfig) -> str:
    rank = min(f["rank"])
    if f["same_doc"]:
        return "same document"
    if f["shared_blocks"]:
        return "big block, outside window"
    if rank <= config.k and f["cosine"] < config.candidate_min_sim:
        return "ann: rank <= k, cos < floor"
    if config.far_k > config.k and rank <= config.far_k and f["cosine"] >= config.far_min_sim:
        if f["rare_word_overlap"] < config.far_min_overlap:
            return "further neighbour, few rare words"
        return "further neighbour, past far_max"
    if rank <= 30:
        return "ann: rank <= 30"
    if f["shared_entities"]:
        return "shared entity (other/no year)"
    if f["same_values"]:
        return "same value and unit"
    if rank <= 100:
        return "ann: rank <= 100"
    return "nothing shared"


if __name__ == "__main__":
    main()
