"""Split every annotated document into train / dev / test by site (annotations/split.json).

    python scripts/make_split.py [--seed 0] [--trials 20000]

A document's site is its url's registrable domain (`www.theguardian.com` -> `theguardian.com`,
`committees.parliament.uk` -> `parliament.uk`), mirrors of one publisher folded into one site
(Hansard on parallelparliament.co.uk and theyworkforyou.com is parliament.uk's), and for the seeds,
which have no url, their publisher. No site of a test document appears in train or dev, nor a dev
site in train. Among many seeded random assignments of sites, improved by moving one site at a time, the one kept
best meets: test holds
about 20% and dev about 15% of the sentences, at least 60 `oppose` and 60 `qualified` sentences in
test where the data has them, every document kind in test, and no single site above a quarter of
the test sentences (one big blog must not be the test set) nor above 40% of dev. The sites of the documents that the
shipped rules and models were developed on (split.json's `developed_on`: the earlier train and dev
documents) never go to test, so today's figures on the new test are held out too.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.gold.sources import doc_meta_text  # noqa: E402

SPLIT = ROOT / "annotations" / "split.json"
SECOND_LEVEL = {"co", "org", "gov", "ac", "ltd", "me", "net", "sch", "nhs", "police", "mod", "com"}
MIRRORS = {"parallelparliament.co.uk": "parliament.uk", "theyworkforyou.com": "parliament.uk"}
# The seeds carry no url: their publishers.
PUBLISHERS = {"000_57d1069afaf7de82": "parliament.uk", "001_561fdb856de98ebf": "justiceinspectorates.gov.uk",
              "002_845ac5acf3db497b": "russellwebster.com", "003_c9ebe3be5a93ccd6": "probationmatters.blogspot.com",
              "004_1ecf1996b45117b8": "napo.org.uk"}
RULE = __doc__.split("\n\n")[2].replace("\n", " ").strip()


def site_of(doc_id: str, meta: dict) -> str:
    if doc_id in PUBLISHERS:
        return PUBLISHERS[doc_id]
    host = (urlparse(meta.get("url") or "").hostname or "").lower().removeprefix("www.")
    if not host:
        return f"unknown:{doc_id}"
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and labels[-1] == "uk" and labels[-2] in SECOND_LEVEL else 2
    domain = ".".join(labels[-keep:])
    if domain.endswith("blogspot.com"):
        domain = host  # every blog on blogspot is its own site
    return MIRRORS.get(domain, domain)


def documents(gold_dir: Path) -> dict[str, dict]:
    docs = {}
    for path in sorted((gold_dir / "gold").glob("*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        sentences = [r for r in rows if r["layer"] == "sentence"]
        meta, _ = doc_meta_text(path.stem)
        docs[path.stem] = {"site": site_of(path.stem, meta), "kind": meta.get("kind", "other"),
                           "sentences": len(sentences), "stance": Counter(r["stance"] for r in sentences)}
    return docs


def score(assign: dict[str, str], sites: dict[str, list[str]], docs: dict, totals: Counter) -> float:
    parts = {name: Counter() for name in ("train", "dev", "test")}
    kinds = defaultdict(set)
    biggest = Counter()
    for site, part in assign.items():
        site_sentences = sum(docs[d]["sentences"] for d in sites[site])
        parts[part]["sentences"] += site_sentences
        biggest[part] = max(biggest[part], site_sentences)
        for d in sites[site]:
            parts[part].update(docs[d]["stance"])
            kinds[part].add(docs[d]["kind"])
    n = sum(totals.values()) and totals["sentences"]
    penalty = abs(parts["test"]["sentences"] / n - 0.20) * 10 + abs(parts["dev"]["sentences"] / n - 0.15) * 10
    for label in ("oppose", "qualified"):
        want = min(60, int(totals[label] * 0.3))
        penalty += max(0, want - parts["test"][label]) / max(want, 1) * 5
        want_dev = min(30, totals[label] // 8)
        penalty += max(0, want_dev - parts["dev"][label]) / max(want_dev, 1)
    all_kinds = {d["kind"] for d in docs.values()}
    penalty += len(all_kinds - kinds["test"]) * 2
    penalty += max(0, biggest["test"] / max(parts["test"]["sentences"], 1) - 0.25) * 10
    penalty += max(0, biggest["dev"] / max(parts["dev"]["sentences"], 1) - 0.4) * 10
    return penalty


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--trials", type=int, default=20000)
    args = parser.parse_args(argv)
    docs = documents(ROOT / "annotations")
    sites: dict[str, list[str]] = defaultdict(list)
    for doc_id, d in docs.items():
        sites[d["site"]].append(doc_id)
    totals = Counter({"sentences": sum(d["sentences"] for d in docs.values())})
    for d in docs.values():
        totals.update(d["stance"])
    old = json.loads(SPLIT.read_text(encoding="utf-8")) if SPLIT.exists() else {}
    developed_on = old.get("developed_on") or sorted(set(old.get("train", [])) | set(old.get("dev", [])))
    kept_out = {docs[d]["site"] for d in developed_on if d in docs}
    rng = random.Random(args.seed)
    names = sorted(sites)
    best, best_score = None, float("inf")
    for _ in range(args.trials):
        assign = {s: rng.choices(("train", "dev", "test"), weights=(0.65, 0.15, 0.20))[0] for s in names}
        assign.update({s: rng.choice(("train", "dev")) for s in kept_out if assign[s] == "test"})
        value = score(assign, sites, docs, totals)
        if value < best_score:
            best, best_score = assign, value
    improved = True
    while improved:  # then move one site at a time while that helps
        improved = False
        for site in names:
            for part in ("train", "dev", "test"):
                if part == best[site] or (part == "test" and site in kept_out):
                    continue
                trial = {**best, site: part}
                value = score(trial, sites, docs, totals)
                if value < best_score - 1e-9:
                    best, best_score, improved = trial, value, True
    out = {"_rule": RULE, "_seed": args.seed, "_trials": args.trials}
    for part in ("train", "dev", "test"):
        out[part] = sorted(d for d in docs if best[docs[d]["site"]] == part)
    out["sites"] = {d: docs[d]["site"] for d in sorted(docs)}
    out["test_v1"] = old.get("test_v1") or old.get("test", [])
    out["developed_on"] = developed_on
    SPLIT.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    for part in ("train", "dev", "test"):
        counts = Counter()
        kinds = Counter()
        for d in out[part]:
            counts.update(docs[d]["stance"])
            counts["sentences"] += docs[d]["sentences"]
            kinds[docs[d]["kind"]] += 1
        print(f"{part}: {len(out[part])} documents, {len({docs[d]['site'] for d in out[part]})} sites, "
              f"{dict(counts)}, kinds {dict(kinds)}")
    print(f"score {best_score:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
