"""Re-tune the cosine thresholds of linking (nlp/links/config.py) over a finished run, in one command.

    .venv/bin/python research/tune_links.py OUT [--split dev] [--cache /tmp/link-cache]
        [--shift=-0.2:0.2:0.05] [--sweep] [--grid paraphrase_min_sim=0.4,0.5 numeric_change_min_sim=0.5,0.6]

Only the link step is re-run: the claim table is read once from OUT's claims/quantities/entities/
documents.jsonl (as `claims run` wrote them), each distinct text is encoded once with the current
encoder (nlp/links/embed.py) and cached under --cache (a new file per encoder), candidates are found
once at the loosest candidate_min_sim of the grid, and each setting only re-judges the pairs. For
each setting it prints dev precision/recall per relation, how many `none` pairs were linked and
how many links touched no annotated pair.

Modes (combine freely; the default is --shift and --sweep):
  --shift A:B:STEP  move every cosine threshold together by each offset (a new encoder whose cosines
                    run higher or lower is first re-centred this way);
  --sweep           move one threshold at a time over COSINE_GRID, the others at their defaults;
  --grid K=V,V ...  the full product of the given values.
It also prints the cosine percentiles of gold positive, gold `none` and all candidate pairs, which
show where the new encoder puts the boundary. Copy the best values into LinkConfig by hand.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.eval.links import load_judged_links, score_links  # noqa: E402
from nlp.links import LinkConfig  # noqa: E402
from nlp.links.build import judge_pairs, table_for_out_dir  # noqa: E402
from nlp.links.cache import cached_embed  # noqa: E402
from nlp.links.candidates import SOURCE_ANN, candidate_pairs, pair_cosines  # noqa: E402
from nlp.links.overlap import word_sets  # noqa: E402
from nlp.engine.outputs import load_rows  # noqa: E402

# Every cosine threshold of LinkConfig (keep in step with config.py) and the values --sweep tries.
COSINE_FIELDS = ("candidate_min_sim", "numeric_repeat_min_sim", "numeric_exact_repeat_min_sim",
                 "numeric_change_min_sim", "undated_contradict_min_sim", "undated_update_min_sim",
                 "paraphrase_min_sim", "paraphrase_min_score", "negation_min_sim")
# The fields candidate generation reads besides candidate_min_sim: candidates are re-found when one changes.
CANDIDATE_FIELDS = ("k", "exact_below", "hnsw_m", "hnsw_ef_construction", "hnsw_ef", "minhash_perm", "lsh_bands",
                    "lsh_rows", "shingle_n", "max_bucket")
COSINE_GRID = tuple(round(x, 2) for x in np.arange(0.2, 0.95, 0.05))
RELATIONS = ("repeat", "update", "contradict")


class Tuner:
    def __init__(self, out: Path, split: str, cache: Path, base: LinkConfig):
        from nlp.links.embed import embed

        self.base = base
        self.table = table_for_out_dir(out, config=base)
        self.matrix = np.ascontiguousarray(cached_embed(embed, cache)(self.table.texts), dtype=np.float32)
        self.sentences = load_rows(out, "sentences")
        from nlp.eval.links import gold_for_split

        self.gold = gold_for_split(load_judged_links(ROOT / "annotations" / "links.jsonl"),
                                   ROOT / "annotations" / "split.json", split)
        self._pairs: dict[tuple, tuple] = {}

    def candidates(self, config: LinkConfig) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Candidates found once per candidate-generation setting with no cosine floor, then
        filtered to this config's candidate_min_sim."""
        key = tuple(getattr(config, f) for f in CANDIDATE_FIELDS)
        if key not in self._pairs:
            loose = dataclasses.replace(config, candidate_min_sim=-1.0)
            pairs, masks = candidate_pairs(self.matrix, self.table.texts, self.table.block_keys,
                                           self.table.doc_codes, loose, words=word_sets(self.table.words))
            self._pairs[key] = (pairs, masks, pair_cosines(self.matrix, pairs))
        pairs, masks, cos = self._pairs[key]
        # an ANN pair below candidate_min_sim is dropped unless another source found it too
        masks = np.where(cos >= config.candidate_min_sim, masks, masks & ~SOURCE_ANN)
        keep = masks > 0
        return pairs[keep], masks[keep], cos[keep]

    def score(self, config: LinkConfig) -> dict:
        pairs, masks, _ = self.candidates(config)
        links = list(judge_pairs(self.matrix, self.table, pairs, masks, config=config))
        return score_links(self.gold, links, self.sentences) | {"n_links": len(links)}

    def cosine_profile(self) -> None:
        """Percentiles of the cosine of gold positive pairs, gold `none` pairs and all candidates."""
        row = {f"{s['doc_id']}:{s['sent_id']}": (s["doc_id"], s["start"], s["end"]) for s in self.sentences}
        index = {cid: n for n, cid in enumerate(self.table.ids)}
        groups: dict[str, list[float]] = {"positive": [], "none": []}
        for g in self.gold:
            ends = [_place(g[side], row, index) for side in ("a", "b")]
            if None not in ends:
                groups["none" if g["relation"] == "none" else "positive"].append(
                    float(self.matrix[ends[0]] @ self.matrix[ends[1]]))
        _, _, cos = self.candidates(dataclasses.replace(self.base, candidate_min_sim=-1.0))
        groups["candidates"] = cos.tolist()
        print("cosine percentiles      n    p10   p25   p50   p75   p90")
        for name, values in groups.items():
            if values:
                p = np.percentile(values, [10, 25, 50, 75, 90])
                print(f"  {name:12s} {len(values):7d}  " + "  ".join(f"{x:.2f}" for x in p))


def _place(side: dict, spans: dict, index: dict) -> int | None:
    best, best_len = None, 0
    for cid, (doc, start, end) in spans.items():
        if doc == side["doc_id"] and cid in index:
            ov = min(end, side["end"]) - max(start, side["start"])
            if ov > best_len:
                best, best_len = index[cid], ov
    return best


def line(label: str, s: dict) -> str:
    cells = "  ".join(f"{s[r]['precision']:.2f}/{s[r]['recall']:.2f} ({s[r]['found']:2d})" for r in RELATIONS)
    return (f"{label:52s} {cells}  {s['must_not_link']['predicted']:3d}  {s['unjudged']:4d}  "
            f"{s['all']['recall']:.3f}")


HEADER = (f"{'setting':52s} {'repeat P/R':16s} {'update P/R':16s} {'contradict P/R':16s} none unjud  "
          "R(all)")


def shifted(base: LinkConfig, delta: float) -> LinkConfig:
    return dataclasses.replace(base, **{f: round(getattr(base, f) + delta, 4) for f in COSINE_FIELDS})


def parse_range(text: str) -> list[float]:
    lo, hi, step = (float(x) for x in text.split(":"))
    return [round(x, 4) for x in np.arange(lo, hi + step / 2, step)]


def parse_grid(items: list[str]) -> dict[str, list[float]]:
    grid = {}
    for item in items:
        name, values = item.split("=")
        if name not in {f.name for f in dataclasses.fields(LinkConfig)}:
            raise SystemExit(f"unknown LinkConfig field {name!r}")
        grid[name] = [type(getattr(LinkConfig(), name))(v) for v in values.split(",")]
    return grid


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/link-cache"))
    parser.add_argument("--shift", default=None, help="A:B:STEP offsets added to every cosine threshold")
    parser.add_argument("--sweep", action="store_true", help="one cosine threshold at a time")
    parser.add_argument("--grid", nargs="*", default=[], help="NAME=V1,V2 ... (full product)")
    args = parser.parse_args(argv)
    if args.split == "test":
        parser.error("thresholds are tuned on train+dev only")
    if not (args.shift or args.sweep or args.grid):
        args.shift, args.sweep = "-0.2:0.2:0.05", True
    start = time.perf_counter()
    tuner = Tuner(args.out, args.split, args.cache, LinkConfig())
    tuner.cosine_profile()
    print(HEADER)
    print(line("defaults (config.py)", tuner.score(tuner.base)))
    if args.shift:
        for delta in parse_range(args.shift):
            print(line(f"all cosine thresholds {delta + 0.0:+.2f}", tuner.score(shifted(tuner.base, delta))))
    if args.sweep:
        for name in COSINE_FIELDS:
            for value in COSINE_GRID:
                config = dataclasses.replace(tuner.base, **{name: value})
                print(line(f"{name}={value}", tuner.score(config)))
    grid = parse_grid(args.grid)
    for values in (itertools.product(*grid.values()) if grid else ()):
        setting = dict(zip(grid, values))
        print(line(" ".join(f"{k}={v}" for k, v in setting.items()),
                   tuner.score(dataclasses.replace(tuner.base, **setting))))
    print(f"({time.perf_counter() - start:.1f}s)", file=sys.stderr)


if __name__ == "__main__":
    main()
