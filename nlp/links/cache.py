"""Cache sentence vectors on disk, one row per distinct text, for scripts that re-link a run many
times (research/link_errors.py, research/tune_links.py). The cache file is named after a fingerprint
of the encoder (its vector for a fixed probe text), so swapping the encoder starts a new cache
instead of mixing vectors of two models."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

Embed = Callable[[Sequence[str]], np.ndarray]
_PROBE = "The probation service supervises more than a quarter of a million people."


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def fingerprint(embed: Embed) -> str:
    vector = np.asarray(embed([_PROBE]), dtype=np.float32)
    return hashlib.sha1(np.round(vector, 4).tobytes()).hexdigest()[:12]


def cached_embed(embed: Embed, folder: str | Path) -> Embed:
    """`embed` with a disk cache in `folder` (created): texts already seen are not encoded again."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"vectors-{fingerprint(embed)}.npz"
    store: dict[str, np.ndarray] = {}
    if path.exists():
        with np.load(path) as data:
            store = dict(zip(data["keys"].tolist(), data["vectors"]))

    def run(texts: Sequence[str]) -> np.ndarray:
        keys = [_key(t) for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in store}.items())
        if todo:
            vectors = np.asarray(embed([t for _, t in todo]), dtype=np.float32)
            store.update(zip([k for k, _ in todo], vectors))
            np.savez(path, keys=np.asarray(list(store)), vectors=np.stack(list(store.values())))
        if not keys:
            return np.asarray(embed([]), dtype=np.float32)
        return np.stack([store[k] for k in keys]).astype(np.float32)

    return run
