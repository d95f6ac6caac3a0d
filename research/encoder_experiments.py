"""Static encoder variants vs MiniLM: speed, stance grouped CV (train+dev), dev link-pair cosines.

    .venv/bin/python research/encoder_experiments.py --cache /tmp/encoder-cache [--json figures.json]

Stance: the protocol of research/stance_experiments.py (grouped 5-fold CV by document on train+dev,
seed 0, macro-F1 mean over folds) for `emb_lr` and `ensemble_context`, with the embedding blocks from
MiniLM or from each static variant. Links: the dev-split gold pairs of annotations/links.jsonl (test
pairs never read): ROC-AUC of the cosine for repeat/update/contradict pairs vs `none` pairs, and the
mean cosine of repeat pairs. Speed: sentences/s on ~2,000 train+dev gold sentences, one process.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "research"))

import distill_encoder as de  # noqa: E402
from nlp.encoders.static import StaticEncoder, load_tokenizer  # noqa: E402
from nlp.stance.data import document_kinds, load_examples  # noqa: E402
from nlp.stance.evaluation import grouped_cv  # noqa: E402
from nlp.stance.features import build_table  # noqa: E402
from nlp.stance.models import make_approach  # noqa: E402
from nlp.stance.target import load_target  # noqa: E402
from nlp.stance.training import blas_single_thread  # noqa: E402

APPROACHES = ("emb_lr", "ensemble_context")
# name -> (dims, weighting, sif a, refinement lambda)
# name -> (dims, weighting, sif a, refinement lambda, in-domain row weight)
VARIANTS = {
    "m2v_zipf_128": (128, "zipf", 1e-4, 0.0, 1.0),
    "none_128": (128, "none", 1e-3, 0.0, 1.0),
    "freq_128": (128, "freq", 1e-3, 0.0, 1.0),
    "freq_384": (384, "freq", 1e-3, 0.0, 1.0),
    "refine1e-4_none_128": (128, "none", 1e-3, 1e-4, 1.0),
    "refine3e-4_none_128": (128, "none", 1e-3, 3e-4, 1.0),
    "refine1e-3_none_128": (128, "none", 1e-3, 1e-3, 1.0),  # recommended (models/encoder)
    "refine3e-3_none_128": (128, "none", 1e-3, 3e-3, 1.0),
    "refine1e-3_freq_128": (128, "freq", 1e-3, 1e-3, 1.0),
    "refine1e-2_none_128": (128, "none", 1e-3, 1e-2, 1.0),
    "refine1e-1_none_128": (128, "none", 1e-3, 1e-1, 1.0),
    "refine1e-3_none_128_dw10": (128, "none", 1e-3, 1e-3, 10.0),
    "refine1e-3_freq_128_dw10": (128, "freq", 1e-3, 1e-3, 10.0),
    "refine1e-3_none_160_dw10": (160, "none", 1e-3, 1e-3, 10.0),
    "refine1e-3_none_384_dw10": (384, "none", 1e-3, 1e-3, 10.0),
}


def dev_link_pairs(gold: Path) -> list[dict]:
    rows = [json.loads(line) for line in (gold / "links.jsonl").read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if r.get("split") == "dev"]


def link_figures(encode, pairs: list[dict]) -> dict:
    from sklearn.metrics import roc_auc_score

    a, b = encode([p["a"]["text"] for p in pairs]), encode([p["b"]["text"] for p in pairs])
    cos = (a * b).sum(axis=1)
    positive = np.array([p["relation"] != "none" for p in pairs])
    repeat = np.array([p["relation"] == "repeat" for p in pairs])
    return {"auc": round(float(roc_auc_score(positive, cos)), 4), "repeat_cos": round(float(cos[repeat].mean()), 4),
            "none_cos": round(float(cos[~positive].mean()), 4), "n_pos": int(positive.sum()),
            "n_none": int((~positive).sum())}


def stance_figures(lookup: dict, dim: int, data) -> dict:
    examples, labels, groups, target = data
    table = build_table(examples, lookup, dim=dim)
    out = {}
    with blas_single_thread():
        for name in APPROACHES:
            r = grouped_cv(name, make_approach(name, seed=0), table, labels, groups, labels=target.labels,
                           n_splits=5, seed=0).summary(labels, target.labels)
            out[name] = r["macro_f1_mean"]
            out[name + "_sd"] = r["macro_f1_sd"]
    return out


def speed(encode, texts: list[str], repeats: int = 1) -> float:
    started = time.perf_counter()
    for _ in range(repeats):
        encode(texts)
    return round(len(texts) * repeats / (time.perf_counter() - started), 1)


def variant_encoder(name: str, cache: Path, shared: dict) -> StaticEncoder:
    dims, weighting, a, lam, domain = VARIANTS[name]
    refined = None
    if lam > 0:
        key = f"refined_pcg_{lam:g}_{shared['n_train']}_dw{domain:g}"
        refined = de.cached(cache, key, lambda: de.refine(shared["base"], shared["bags"](), shared["targets"](), lam,
                                                          row_weights=shared["domain"](domain)))
    vectors = de.build_vectors(shared["base"], dims=dims, weighting=weighting, a=a, dead=shared["dead"],
                               counts=shared["counts"], refined=refined)
    return StaticEncoder(vectors.astype(np.float16).astype(np.float32), tokenizer=shared["tokenizer"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, required=True)
    parser.add_argument("--variants", nargs="*", default=list(VARIANTS))
    parser.add_argument("--skip-minilm", action="store_true", help="no MiniLM speed/CV rows (cached figures)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    gold = ROOT / "annotations"
    target = load_target()
    examples, labels = load_examples(gold, splits=("train", "dev"), target=target,
                                     kinds=document_kinds(ROOT / "corpus"))
    data = (examples, labels, [e.doc_id for e in examples], target)
    texts = sorted({t for e in examples for t in (e.text, e.prev, e.next) if t})
    pairs = dev_link_pairs(gold)
    bench = ([e.text for e in examples] + de.corpus_sentences(gold, ROOT / "corpus"))[:2000]
    print(f"{len(examples)} train+dev sentences, {len(texts)} distinct texts, {len(pairs)} dev link pairs, "
          f"{len(bench)} sentences timed", flush=True)

    tokenizer = load_tokenizer()
    tokens = de.vocabulary(tokenizer)
    train_texts = de.training_sentences(gold, ROOT / "corpus", de.SHARED)
    shared = {"tokenizer": tokenizer, "dead": de.dead_rows(tokens), "n_train": len(train_texts),
              "base": de.cached(args.cache, "token_outputs", lambda: de.token_outputs(len(tokens))),
              "counts": de.token_counts(tokenizer, train_texts, len(tokens)),
              "targets": lambda: de.minilm_targets(train_texts, args.cache)}
    shared["domain"] = lambda w: de.domain_weights(train_texts, gold, ROOT / "corpus", w) if w != 1 else None
    shared["bags"] = lambda: de.bag_matrix(tokenizer, train_texts, len(tokens), shared["dead"])
    rows = {}
    if not args.skip_minilm:
        from nlp.stance.encoder import embed, load_encoder

        model = load_encoder()
        minilm = lambda xs: embed(model, xs)  # noqa: E731
        vectors = de.minilm_targets(texts, args.cache)
        rows["minilm"] = {"dim": 384, "sent_per_s": speed(minilm, bench), **link_figures(minilm, pairs),
                          **stance_figures(dict(zip(texts, vectors)), 384, data)}
        print("minilm", rows["minilm"], flush=True)
    for name in args.variants:
        enc = variant_encoder(name, args.cache, shared)
        encode = lambda xs: enc.encode(xs)  # noqa: E731
        rows[name] = {"dim": enc.dim, "sent_per_s": speed(encode, bench, repeats=5), **link_figures(encode, pairs),
                      **stance_figures(dict(zip(texts, encode(texts))), enc.dim, data)}
        print(name, rows[name], flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
