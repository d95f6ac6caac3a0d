"""Benchmark the link step (write_links) on 10k, 100k and 1M claims built from our real claims.

    python scripts/bench_links.py OUT [--sizes 10000 100000 1000000] [--cache emb.npy] [--dim 256]
                                      [--work /tmp/bench-links] [--code OTHER_REPO_ROOT]

OUT is a `claims run` folder. Its claims are encoded once with the packaged encoder; every
synthetic claim is a real one perturbed the way claims drift between sources (figures nudged,
adjacent words swapped, an entity name swapped for another, the document date shifted), and its
vector is the real claim's vector plus Gaussian noise, renormalised (so 1M claims need no 1M
encoder calls: the figures below time linking, not encoding). `--dim D` first projects the real
vectors to D dimensions (a fixed Gaussian projection, renormalised), standing in for a smaller
encoder.

Each size is written as a run folder (claims/quantities/entities/documents.jsonl) under --work,
then a fresh process runs exactly what `claims run` runs at its end, `write_links(folder)`, with
the synthetic vectors as its encoder (given the claims the link step encodes: all but the copies of
crowds, nlp/links/crowds.py): its time and peak RSS (VmHWM, which includes ~40 MB of Python and
numpy) are the link step's own; it reports the links, the copy links among them and links.jsonl's
size (links_mb). `--code ROOT` runs that process against another
checkout's `nlp` package (a before/after comparison). Recall of the candidate step (HNSW vs brute
force, top-k pairs above the candidate threshold) is measured on the 10k set.
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

DOC_SIZE = 40  # synthetic claims per synthetic document
NOISE_BLOCK = 4096  # noise is drawn per block of claims, so any chunking of the encoder calls agrees
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_RELATION = re.compile(r'"relation": "(\w+)"')


def real_data(out: str, cache: str | None):
    from nlp.engine.outputs import load_rows

    claims = load_rows(out, "claims")
    quantities = {q["quantity_id"]: q for q in load_rows(out, "quantities")}
    entities = load_rows(out, "entities")
    cache_path = Path(cache) if cache else None
    if cache_path and cache_path.exists() and len(np.load(cache_path)) == len(claims):
        vectors = np.load(cache_path)
    else:
        from nlp.links.embed import embed

        vectors = embed([c["text"] for c in claims])
        if cache_path:
            np.save(cache_path, vectors)
    return claims, quantities, entities, vectors


def project(vectors: np.ndarray, dim: int | None) -> np.ndarray:
    if not dim or dim >= vectors.shape[1]:
        return vectors.astype(np.float32)
    proj = np.random.default_rng(7).standard_normal((vectors.shape[1], dim)).astype(np.float32)
    out = vectors @ proj
    return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


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


def _perturbed(n_i, src, doc_id, date, names, quantities, rng):
    text, ents, new_ents = src["text"], list(src.get("entity_ids") or ()), []
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
        new_ents.append({"entity_id": eid, "label": label})
    qty = []
    for q_n, qid in enumerate(src.get("quantity_ids") or ()):
        q = dict(quantities[qid])
        q["value"] = q["value"] * factor
        q["quantity_id"] = f"{doc_id}:{n_i}:q{q_n}"
        qty.append(q)
    claim = {"claim_id": f"{doc_id}:{n_i}", "doc_id": doc_id, "text": text,
             "quantity_ids": [q["quantity_id"] for q in qty], "entity_ids": ents, "date": date}
    if src.get("frame"):  # the frame the pipeline would write: the source's, figures and dates moved
        ids = dict(zip(src.get("quantity_ids") or (), claim["quantity_ids"]))
        claim["frame"] = _moved_frame(src["frame"], factor, ids, date)
    return claim, qty, new_ents


def _moved_frame(frame: dict, factor: float, ids: dict, date: str | None) -> dict:
    def move(part: dict) -> dict:
        part = dict(part)
        value = part.get("value")
        if value:
            part["value"] = dict(value, lo=None if value["lo"] is None else value["lo"] * factor,
                                 hi=None if value["hi"] is None else value["hi"] * factor,
                                 quantity_id=ids.get(value.get("quantity_id")))
        period = part.get("period")
        if period and period.get("source") == "document" and date:
            part["period"] = dict(period, label=date, first=date, last=date)
        return part

    out = move(frame)
    if frame.get("others"):
        out["others"] = [move(v) for v in frame["others"]]
    return out


def write_synthetic(n: int, folder: Path, claims, quantities, entities, seed: int = 0) -> None:
    """n perturbed claims as a run folder, written a claim at a time; base.npy/noise.npy say
    which real claim each copies and how much noise its vector gets."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    names = sorted({(e["text"], e["entity_id"], e["label"]) for e in entities})
    base = rng.integers(0, len(claims), n)
    np.save(folder / "base.npy", base)
    np.save(folder / "noise.npy", rng.uniform(0.15, 0.7, n).astype(np.float32))
    files = {name: open(folder / f"{name}.jsonl", "w", encoding="utf-8")
             for name in ("claims", "quantities", "entities", "documents")}
    for e in entities:
        files["entities"].write(json.dumps(e) + "\n")
    date = None
    for n_i, b in enumerate(base.tolist()):
        doc_id = f"syn{n_i // DOC_SIZE:06d}"
        if n_i % DOC_SIZE == 0:
            date = f"{2014 + int(rng.integers(0, 8))}-{int(rng.integers(1, 13)):02d}"
            files["documents"].write(json.dumps({"doc_id": doc_id, "date": date}) + "\n")
        claim, qty, new_ents = _perturbed(n_i, claims[b], doc_id, date, names, quantities, rng)
        files["claims"].write(json.dumps(claim) + "\n")
        files["quantities"].writelines(json.dumps(q) + "\n" for q in qty)
        files["entities"].writelines(json.dumps(e) + "\n" for e in new_ents)
    for handle in files.values():
        handle.close()


class SyntheticEncoder:
    """Stands in for the encoder: the vectors of the claims encoded, in file order, whatever the
    chunking. `encoded`: which claims the link step encodes (all but crowd copies), rising."""

    def __init__(self, vectors: np.ndarray, base: np.ndarray, noise: np.ndarray, seed: int = 0,
                 encoded: np.ndarray | None = None):
        self.vectors, self.base, self.noise, self.seed, self.pos = vectors, base, noise, seed, 0
        self.encoded = np.arange(len(base)) if encoded is None else encoded

    def rows(self, lo: int, hi: int) -> np.ndarray:
        return self.at(np.arange(lo, hi))

    def at(self, claims: np.ndarray) -> np.ndarray:
        """The vectors of `claims` (rising indices): each row as rows() gives it."""
        dim = self.vectors.shape[1]
        out = np.empty((len(claims), dim), dtype=np.float32)
        blocks = claims // NOISE_BLOCK
        for block in np.unique(blocks).tolist():
            b_lo = block * NOISE_BLOCK
            b_hi = min(b_lo + NOISE_BLOCK, len(self.base))
            gauss = np.random.default_rng((self.seed, block)).standard_normal((b_hi - b_lo, dim), dtype=np.float32)
            sel = np.flatnonzero(blocks == block)
            idx = claims[sel]
            v = self.vectors[self.base[idx]] + gauss[idx - b_lo] * (self.noise[idx, None] / np.sqrt(dim))
            v /= np.linalg.norm(v, axis=1, keepdims=True)
            out[sel] = v
        return out

    def __call__(self, texts) -> np.ndarray:
        out = self.at(self.encoded[self.pos:self.pos + len(texts)])
        self.pos += len(texts)
        return out


def encoded_claims(folder: Path, config) -> np.ndarray | None:
    """The claims write_links encodes: all but the copies of crowds (nlp/links/crowds.py), read
    as it reads them, in a forked process (so that its memory is not counted as the link step's);
    None with code that has no crowds."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        return pool.apply(_encoded_claims, (folder, config))


def _encoded_claims(folder: Path, config) -> np.ndarray | None:
    try:
        from nlp.links.candidates import id_rank
        from nlp.links.crowds import find_crowds
        from nlp.links.table import claim_index_from_files
    except ImportError:
        return None
    index = claim_index_from_files(folder, config=config)  # the link step's own first pass
    if index.crowd_keys is None:
        return None
    return find_crowds(index.crowd_keys, index.doc_codes, id_rank(index.ids), config).kept


def ann_recall(matrix: np.ndarray) -> dict:
    from nlp.links import LinkConfig
    from nlp.links.candidates import ann_neighbours, exact_neighbours, knn_pairs

    config = LinkConfig()
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


def peak_rss_mb() -> int:
    """This process's peak RSS (VmHWM: unlike ru_maxrss it does not carry the parent's peak
    over fork and exec)."""
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def child(folder: Path, args) -> dict:
    """write_links over the synthetic folder in this (fresh) process."""
    sys.path.insert(0, str(Path(args.code).resolve()) if args.code else str(ROOT))
    from nlp.links import LinkConfig, write_links

    vectors = project(np.load(args.cache), args.dim)
    threads = args.hnsw_threads
    config = LinkConfig(hnsw_threads=threads, hnsw_build_threads=threads) if threads else LinkConfig()
    encoder = SyntheticEncoder(vectors, np.load(folder / "base.npy"), np.load(folder / "noise.npy"),
                               encoded=encoded_claims(folder, config))
    start_rss = peak_rss_mb()
    t0 = time.perf_counter()
    count = write_links(folder, embed=encoder, config=config)
    seconds = time.perf_counter() - t0
    peak = peak_rss_mb()
    relations: dict[str, int] = {}
    copies = 0
    with open(folder / "links.jsonl", encoding="utf-8") as handle:
        for line in handle:
            rel = _RELATION.search(line).group(1)
            relations[rel] = relations.get(rel, 0) + 1
            copies += '"method": "copy"' in line
    return {"claims": len(encoder.base), "dim": vectors.shape[1], "link_s": round(seconds, 1), "links": count,
            "copy_links": copies, "links_mb": round((folder / "links.jsonl").stat().st_size / 2**20),
            "claims_per_s": round(len(encoder.base) / max(seconds, 1e-9)), "peak_rss_mb": peak,
            "rss_before_link_mb": start_rss, "relations": relations}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--cache", default="/tmp/bench-links-vectors.npy", help="the real claims' vectors (.npy)")
    parser.add_argument("--dim", type=int, default=None, help="project the vectors to this many dimensions")
    parser.add_argument("--work", default="/tmp/bench-links", help="where the synthetic run folders go")
    parser.add_argument("--code", default=None, help="repository root whose nlp package the timed process uses")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds allowed per size")
    parser.add_argument("--hnsw-threads", type=int, default=None,
                        help="hnswlib threads to build and query with (default: build with 1, which makes the index, and "
                             "so the links, reproducible; query with all)")
    parser.add_argument("--no-recall", action="store_true", help="skip the HNSW recall check on 10k")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child), args)))
        return
    sys.path.insert(0, str(ROOT))
    claims, quantities, entities, vectors = real_data(args.out, args.cache)
    print(f"{len(claims)} real claims; link step = write_links(folder) in a fresh process per size; "
          f"code: {args.code or ROOT}")
    for n in args.sizes:
        folder = Path(args.work) / str(n)
        if not (folder / "base.npy").exists() or len(np.load(folder / "base.npy")) != n:
            write_synthetic(n, folder, claims, quantities, entities)
        cmd = [sys.executable, __file__, args.out, "--child", str(folder), "--cache", args.cache]
        cmd += (["--dim", str(args.dim)] if args.dim else []) + (["--code", args.code] if args.code else [])
        cmd += ["--hnsw-threads", str(args.hnsw_threads)] if args.hnsw_threads else []
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=args.timeout)
        except subprocess.TimeoutExpired:
            print(json.dumps({"claims": n, "error": f"did not finish within {args.timeout}s on this machine"}))
            continue
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-1:] or ["?"]
            print(json.dumps({"claims": n, "error": f"exit {done.returncode}: {tail[0]}"}))
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        if n <= 20_000 and not args.no_recall:
            encoder = SyntheticEncoder(project(vectors, args.dim), np.load(folder / "base.npy"),
                                       np.load(folder / "noise.npy"))
            result["candidate_recall"] = ann_recall(encoder.rows(0, n))
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
