"""Pairs of claims across documents for annotators to judge (annotations/GUIDELINES.md, Links).

    python scripts/link_candidates.py pairs --out DIR [--batches 6] [--seed 0]
        DIR/pairs.jsonl (every pair: offsets, hashes, how it was chosen) and DIR/batch-N.tsv
        (what a judge reads: pair id, then each side's document, date, title and sentence)
    python scripts/link_candidates.py build --pairs DIR/pairs.jsonl JUDGED.txt ...
        adds the judged pairs (`PAIR_ID | relation | reason` lines) to annotations/links.jsonl

Claims are the gold claim sentences (not headings or boilerplate) of every annotated document.
Pairs come three ways, so that recall can be measured and negatives are hard:
- `cluster`: exhaustively, every cross-document pair inside small clusters of claims that give a
  figure for the same measure words, or name the same specific entity in the same year;
- `band`: pairs drawn evenly from bands of TF-IDF cosine (0.15-0.3, 0.3-0.45, 0.45-0.6, 0.6-1),
  not only the most similar;
- `trap`: pairs that state the same number for different measure words (must-not-link traps).
A judge sees neither how a pair was chosen nor any score.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import re
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.eval import load_gold  # noqa: E402
from nlp.gold.passes import decisions  # noqa: E402
from nlp.gold.sources import doc_meta_text  # noqa: E402

LINKS = ROOT / "annotations" / "links.jsonl"
STOP = set("the a an of in on for to and or by with from at as is are was were be been this that these those its "
           "their our per cent percent number numbers total".split())
GENERIC_IDS = {"crc", "national_probation_service", "transforming_rehabilitation", "ministry_of_justice",
               "england_and_wales", "england", "wales", "hmpps", "noms", "probation"}
RELATIONS = ("repeat", "update", "contradict", "none")
# Pairs judged both before (annotator-g, guideline 1.0) and by a pool judge, where they differ: the
# maintainer's reading of the two sentences settles them.
ADJUDICATED = {(("page-033", 845), ("page-093", 1211)): (
    "none", "different findings of one PAC report (no clear picture of TR vs patchy delivery): decision 4")}
# Pool pairs that a blind pooled judgement (links_pooled.jsonl) also judged, differently: settled the
# same way (19 of the 21 pairs judged both ways agree).
ADJUDICATED_POOL = {
    "P00068": ("none", "a recommendation to fill PO vacancies vs a count of 650 vacancies: different claims"),
    "P01106": ("repeat", "both: TR brought supervision on release to prisoners serving under 12 months"),
}


def _words(text: str | None) -> frozenset:
    return frozenset(w.rstrip("s") for w in re.findall(r"[a-z]+", (text or "").lower()) if w not in STOP and len(w) > 2)


def claims() -> list[dict]:
    out = []
    for doc_id, layers in sorted(load_gold(ROOT / "annotations", text=True).items()):
        meta, _ = doc_meta_text(doc_id)
        year = (meta.get("date") or "")[:4]
        for s in layers["sentence"]:
            if not s["claim"] or s["segment"] in ("heading", "boilerplate"):
                continue
            qs = [q for q in layers["quantity"] if q["sent_id"] == s["sent_id"]]
            es = [e for e in layers["entity"] if e["sent_id"] == s["sent_id"]]
            out.append({"doc_id": doc_id, "start": s["start"], "end": s["end"], "hash": s["hash"], "text": s["text"],
                        "title": meta.get("title", ""), "date": meta.get("date", ""), "year": year,
                        "measures": {_words(q["measure"]) for q in qs if _words(q["measure"])},
                        "values": {(round(q["value"], 4), q["unit"]) for q in qs},
                        "entities": {e["entity_id"] for e in es} - GENERIC_IDS})
    return out


def cross_pairs(members: list[int], items: list[dict]) -> list[tuple[int, int]]:
    return [(i, j) for i, j in combinations(sorted(members), 2) if items[i]["doc_id"] != items[j]["doc_id"]]


def choose(items: list[dict], rng: random.Random) -> list[tuple[int, int, str]]:
    chosen: dict[tuple[int, int], str] = {}
    clusters: dict[str, list[int]] = defaultdict(list)
    for i, c in enumerate(items):
        for m in c["measures"]:
            clusters["measure:" + " ".join(sorted(m))].append(i)
        for e in c["entities"]:
            if c["year"]:
                clusters[f"entity:{e}:{c['year']}"].append(i)
    usable = [(k, v) for k, v in clusters.items() if 3 <= len(v) <= 16 and len({items[i]["doc_id"] for i in v}) >= 2]
    rng.shuffle(usable)
    budget = 1500
    for key, members in sorted(usable, key=lambda kv: len(kv[1])):
        pairs = [p for p in cross_pairs(members, items) if p not in chosen]
        if pairs and budget - len(pairs) >= 0:
            budget -= len(pairs)
            for p in pairs:
                chosen[p] = f"cluster:{key}"
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([c["text"] for c in items])
    sims = (matrix @ matrix.T).tocoo()
    bands = {(0.6, 1.01): [], (0.45, 0.6): [], (0.3, 0.45): [], (0.15, 0.3): []}
    for i, j, v in zip(sims.row, sims.col, sims.data):
        if i < j and items[i]["doc_id"] != items[j]["doc_id"]:
            for (lo, hi), bucket in bands.items():
                if lo <= v < hi:
                    bucket.append((int(i), int(j)))
    for (lo, hi), bucket in bands.items():
        rng.shuffle(bucket)
        for p in [p for p in bucket if p not in chosen][:450]:
            chosen[p] = f"band:{lo:.2f}-{min(hi, 1):.2f}"
    by_value = defaultdict(list)
    for i, c in enumerate(items):
        for value, unit in c["values"]:
            if value not in (0, 1, 2, 100) and unit != "years":
                by_value[(value, unit)].append(i)
    traps = [p for members in by_value.values() for p in cross_pairs(members, items)
             if not (items[p[0]]["measures"] & items[p[1]]["measures"]) and p not in chosen]
    rng.shuffle(traps)
    for p in traps[:200]:
        chosen[p] = "trap:same-number"
    return [(i, j, origin) for (i, j), origin in chosen.items()]


def pairs_command(args) -> None:
    rng = random.Random(args.seed)
    items = claims()
    chosen = choose(items, rng)
    rng.shuffle(chosen)
    args.out.mkdir(parents=True, exist_ok=True)
    records = []
    for n, (i, j, origin) in enumerate(chosen):
        a, b = sorted((items[i], items[j]), key=lambda c: (c["doc_id"], c["start"]))
        records.append({"pair": f"P{n:05d}", "origin": origin,
                        **{side: {k: c[k] for k in ("doc_id", "start", "end", "hash")} for side, c in (("a", a), ("b", b))}})
        records[-1]["_show"] = (a, b)
    with open(args.out / "pairs.jsonl", "w", encoding="utf-8") as handle:
        for r in records:
            handle.write(json.dumps({k: v for k, v in r.items() if k != "_show"}) + "\n")
    for k in range(args.batches):
        with open(args.out / f"batch-{k + 1}.tsv", "w", encoding="utf-8") as handle:
            for r in records[k :: args.batches]:
                a, b = r["_show"]
                handle.write("\t".join([r["pair"], a["doc_id"], a["date"], a["title"], a["text"].replace("\n", " "),
                                        b["doc_id"], b["date"], b["title"], b["text"].replace("\n", " ")]) + "\n")
    counts = defaultdict(int)
    for r in records:
        counts[r["origin"].split(":")[0]] += 1
    print(f"{len(items)} claims, {len(records)} pairs {dict(counts)} -> {args.out}")


def build_command(args) -> None:
    pairs = {r["pair"]: r for r in map(json.loads, args.pairs.read_text(encoding="utf-8").splitlines())}
    split = json.loads((ROOT / "annotations" / "split.json").read_text(encoding="utf-8"))
    test = set(split["test"])
    kept = [json.loads(line) for line in LINKS.read_text(encoding="utf-8").splitlines()
            if line.strip() and "pair" not in json.loads(line)]
    for row in kept:  # the split moved: a pair touching a test document is a test pair
        row["split"] = "test" if row["a"]["doc_id"] in test or row["b"]["doc_id"] in test else "dev"
    added = []
    for path in args.judged:
        created = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).isoformat(timespec="seconds")
        meta, rows = decisions(path, RELATIONS)
        for pair_id, relation, note in rows:
            if pair_id not in pairs:
                raise SystemExit(f"{path}: unknown pair {pair_id!r}")
            p = pairs[pair_id]
            added.append({"a": p["a"], "b": p["b"], "relation": relation,
                          "split": "test" if p["a"]["doc_id"] in test or p["b"]["doc_id"] in test else "dev",
                          "annotator": meta.get("annotator", path.stem), "created": meta.get("created", created),
                          "guideline": meta.get("guideline", "1.1"), "note": note, "pair": pair_id,
                          "candidate": p["origin"]})
    for row in added:
        if row["pair"] in ADJUDICATED_POOL:
            relation, reason = ADJUDICATED_POOL[row["pair"]]
            row.update(relation=relation, adjudicated=True, judgements=[row["relation"], relation],
                       note=f"{row['note']}; adjudicated: {reason}")
    kept, added, twice = _settle_duplicates(kept, added)
    print(f"{twice['n']} pairs were judged twice (earlier annotation and a pool judge): {twice['agree']} agree")
    tmp = LINKS.with_name(".links.jsonl.tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in kept + sorted(added, key=lambda r: r["pair"])),
                   encoding="utf-8")
    tmp.replace(LINKS)
    counts = defaultdict(int)
    for r in added:
        counts[r["relation"]] += 1
    print(f"{len(kept)} earlier pairs kept, {len(added)} judged pairs added {dict(counts)}")


def _span_key(row: dict) -> tuple:
    return tuple(sorted(((row["a"]["doc_id"], row["a"]["start"]), (row["b"]["doc_id"], row["b"]["start"]))))


def _settle_duplicates(kept: list[dict], added: list[dict]) -> tuple[list[dict], list[dict], dict]:
    """A pool pair that an earlier annotation already judged is dropped (the earlier record stays);
    where the two judgements differ, ADJUDICATED settles the earlier record."""
    earlier = {_span_key(row): row for row in kept}
    twice = {"n": 0, "agree": 0}
    fresh = []
    for row in added:
        old = earlier.get(_span_key(row))
        if old is None:
            fresh.append(row)
            continue
        twice["n"] += 1
        twice["agree"] += old["relation"] == row["relation"]
        if old["relation"] != row["relation"]:
            relation, reason = ADJUDICATED[_span_key(row)]
            old.update(relation=relation, adjudicated=True, judgements=[old["relation"], row["relation"]],
                       note=f"{old['note']}; adjudicated: {reason}")
    return kept, fresh, twice


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("pairs")
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--batches", type=int, default=6)
    p.add_argument("--seed", type=int, default=0)
    p = sub.add_parser("build")
    p.add_argument("--pairs", type=Path, required=True)
    p.add_argument("judged", type=Path, nargs="+")
    args = parser.parse_args(argv)
    {"pairs": pairs_command, "build": build_command}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
