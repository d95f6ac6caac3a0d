"""Benchmark cross-source linking on 10k, 100k and 1M claims built from our real claims.

    python scripts/bench_links.py OUT [--sizes 10000 100000 1000000] [--cache emb.npy]

OUT is a `claims run` folder. Its claims are encoded once with the packaged encoder; every
synthetic claim is a real one perturbed the way claims drift between sources (figures nudged,
adjacent words swapped, an entity name swapped for another, the document date shifted), and its
vector is the real claim's vector plus Gaussian noise, renormalised (so 1M claims need no 1M
encoder calls: the figures below time linking, not encoding). Each size runs in its own process
so its peak memory (ru_maxrss) is its own. Recall of the candidate step (HNSW vs brute force,
top-k pairs above the candidate threshold) is measured on the 10k set.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.links import LinkConfig, claim_table  # noqa: E402
from nlp.links.build import iter_links  # noqa: E402
from nlp.links.candidates import ann_neighbours, exact_neighbours, knn_pairs  # noqa: E402
from nlp.outputs import load_rows  # noqa: E402

DOC_SIZE = 40  # synthetic claims per synthetic document
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")


def real_data(out: str, cache: str | None):
    claims = load_rows(out, "claims")
    quantities = {q["quantity_id"]: q for q in load_rows(out, "quantities")}
    entities = load_rows(out, "entities")
    documents = {d["doc_id"]: d for d in load_rows(out, "documents")}
    cache_path = Path(cache) if cache else None
    if cache_path and cache_path.exists() and len(np.load(cache_path)) == len(claims):
        vectors = np.load(cache_path)
    else:
        from nlp.links.embed import embed

        vectors = embed([c["text"] for c in claims])
        if cache_path:
            np.save(cache_path, vectors)
    return claims, quantities, entities, documents, vectors


def _nudge_text(text: str, factor: float) -> str:
    def repl(m):
        raw = m.group(0).replace(",", "")
        try:
            value = float(raw) * factor
        except ValueError:
            return m.group(0)
        return f"{value:,.0f}" if "." not in raw else f"{value:.1f}"
    return _DIGITS.sub(repl, text)


def _swap_words(text: str, rng) -> str:
    words = text.split()
    if len(words) > 3:
        k = int(rng.integers(0, len(words) - 1))
        words[k], words[k + 1] = words[k + 1], words[k]
    return " ".join(words)


def synthetic(n: int, claims, quantities, entities, documents, vectors, seed: int = 0):
    """n perturbed claims (rows for claims/quantities/entities/documents) and their vectors."""
    rng = np.random.default_rng(seed)
    names = sorted({(e["text"], e["entity_id"], e["label"]) for e in entities})
    base = rng.integers(0, len(claims), n)
    noise = rng.uniform(0.15, 0.7, n).astype(np.float32)
    matrix = np.empty((n, vectors.shape[1]), dtype=np.float32)
    for start in range(0, n, 100_000):
        b = base[start:start + 100_000]
        v = vectors[b] + rng.standard_normal((len(b), vectors.shape[1]), dtype=np.float32) * (
            noise[start:start + 100_000, None] / np.sqrt(vectors.shape[1]))
        matrix[start:start + 100_000] = v / np.linalg.norm(v, axis=1, keepdims=True)
    out_claims, out_qty, out_ents, out_docs = [], [], [], {}
    for n_i, b in enumerate(base.tolist()):
        src = claims[b]
        doc_id = f"syn{n_i // DOC_SIZE:06d}"
        if doc_id not in out_docs:
            year = 2014 + int(rng.integers(0, 8))
            out_docs[doc_id] = {"doc_id": doc_id, "date": f"{year}-{int(rng.integers(1, 13)):02d}"}
        text, ents = src["text"], list(src.get("entity_ids") or ())
        factor = 1.0
        roll = rng.random(3)
        if roll[0] < 0.3:
            factor = float(rng.choice([0.8, 0.9, 1.1, 1.25]))
            text = _nudge_text(text, factor)
        if roll[1] < 0.5:
            text = _swap_words(text, rng)
        if roll[2] < 0.2 and names:
            name, eid, label = names[int(rng.integers(0, len(names)))]
            text = f"{text} ({name})"
            ents = sorted(set(ents) | {eid})
            out_ents.append({"entity_id": eid, "label": label})
        qids = []
        for q_n, qid in enumerate(src.get("quantity_ids") or ()):
            q = dict(quantities[qid])
            q["value"] = q["value"] * factor
            q["quantity_id"] = f"{doc_id}:{n_i}:q{q_n}"
            out_qty.append(q)
            qids.append(q["quantity_id"])
        out_claims.append({"claim_id": f"{doc_id}:{n_i}", "doc_id": doc_id, "text": text, "quantity_ids": qids,
                           "entity_ids": ents, "date": out_docs[doc_id]["date"]})
    return out_claims, out_qty, entities + out_ents, list(out_docs.values()), matrix


def ann_recall(matrix: np.ndarray, config: LinkConfig) -> dict:
    codes = np.arange(len(matrix))  # every claim its own document: recall over all pairs
    t0 = time.perf_counter()
    exact = knn_pairs(*exact_neighbours(matrix, config.k), codes, config.candidate_min_sim)
    t1 = time.perf_counter()
    approx = knn_pairs(*ann_neighbours(matrix, config.k, config), codes, config.candidate_min_sim)
    t2 = time.perf_counter()
    truth = {tuple(p) for p in exact.tolist()}
    found = sum(tuple(p) in truth for p in approx.tolist())
    return {"pairs_brute_force": len(truth), "pairs_found": found, "recall": round(found / max(len(truth), 1), 4),
            "brute_force_s": round(t1 - t0, 2), "ann_s": round(t2 - t1, 2)}


def run_size(n: int, args) -> dict:
    config = LinkConfig()
    claims, quantities, entities, documents, vectors = real_data(args.out, args.cache)
    t0 = time.perf_counter()
    rows = synthetic(n, claims, quantities, entities, documents, vectors)
    t1 = time.perf_counter()
    table = claim_table(rows[0], rows[1], rows[2], rows[3], config=config)
    t2 = time.perf_counter()
    relations: dict[str, int] = {}
    for link in iter_links(rows[4], table, config=config):  # counted, not kept: 1M claims give millions
        relations[link["relation"]] = relations.get(link["relation"], 0) + 1
    t3 = time.perf_counter()
    result = {"claims": n, "real_claims": len(claims), "generate_s": round(t1 - t0, 1), "table_s": round(t2 - t1, 1),
              "link_s": round(t3 - t2, 1), "links": sum(relations.values()),
              "claims_per_s": round(n / max(t3 - t1, 1e-9)),
              "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
              "relations": relations}
    if args.recall and n <= 20_000:
        result["candidate_recall"] = ann_recall(rows[4], config)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--cache", default=None, help="where to keep the real claims' vectors (.npy)")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per size")
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--recall", action="store_true", default=True, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_size(args.child, args)))
        return
    print("vectors of synthetic claims = real claim vectors + Gaussian noise (no encoder calls beyond the "
          "real claims); times are table building + candidates + judging; peak_rss_mb per size process")
    if args.cache:
        real_data(args.out, args.cache)  # encode once, before the timed children
    for n in args.sizes:
        cmd = [sys.executable, __file__, args.out, "--child", str(n)] + (["--cache", args.cache] if args.cache else [])
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(json.dumps({"claims": n, "error": f"did not finish within {args.timeout}s on this machine"}))
            continue
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-1:] or ["?"]
            print(json.dumps({"claims": n, "error": f"exit {done.returncode}: {tail[0]}"}))
            continue
        print(done.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
