"""Where the claim vectors live while linking.

Small inputs: one float32 matrix. Large ones (at least `exact_below` claims, `spill_vectors` on):
the encoder's chunks go to an anonymous temporary file, the hnswlib index is built from it and
queried from it, and only once the index is dropped is the matrix read back for the pair
cosines, so the index's own float32 copy of every row never sits beside ours. Either way the
rows are bit for bit what the encoder returned, and the width is read from them, never assumed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence

import numpy as np

from .config import LinkConfig

Embed = Callable[[Sequence[str]], np.ndarray]


class Vectors:
    """Unit vectors by claim index, in a float32 matrix (its hnswlib index built on demand)."""

    def __init__(self, matrix: np.ndarray):
        self.matrix = matrix
        self._index = None

    def __len__(self) -> int:
        return len(self.matrix)

    @property
    def dim(self) -> int:
        return self.matrix.shape[1]

    def block(self, start: int, stop: int) -> np.ndarray:
        return self.matrix[start:stop]

    def rows(self, ids: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        return np.take(self.matrix, ids, axis=0, out=None if out is None else out[:len(ids)])

    def index(self, config: LinkConfig):
        if self._index is None:
            self._index = new_index(len(self), self.dim, config)
            for start in range(0, len(self), config.embed_chunk):
                block = np.ascontiguousarray(self.block(start, start + config.embed_chunk))
                self._index.add_items(block, np.arange(start, start + len(block)),
                                      num_threads=config.hnsw_build_threads)
        return self._index

    def release(self) -> None:
        """Drop the index (the neighbour search is done)."""
        self._index = None


class SpilledVectors(Vectors):
    """Unit vectors in a temporary file until rows are first gathered (after the index is
    released), then in a matrix."""

    def __init__(self, handle, n: int, dim: int):
        super().__init__(None)
        self._file, self._n, self._dim = handle, n, dim

    def __len__(self) -> int:
        return self._n

    @property
    def dim(self) -> int:
        return self._dim

    def block(self, start: int, stop: int) -> np.ndarray:
        if self.matrix is not None:
            return self.matrix[start:stop]
        stop = min(stop, self._n)
        self._file.seek(start * self._dim * 4)
        return np.fromfile(self._file, dtype=np.float32, count=(stop - start) * self._dim).reshape(-1, self._dim)

    def rows(self, ids: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        self._load()
        return super().rows(ids, out)

    def _load(self) -> None:
        if self.matrix is None:
            self.matrix = self.block(0, self._n)
            self._file.close()


def new_index(n: int, dim: int, config: LinkConfig):
    import hnswlib

    index = hnswlib.Index(space="ip", dim=dim)
    index.init_index(max_elements=max(n, 1), ef_construction=config.hnsw_ef_construction, M=config.hnsw_m,
                     random_seed=100)
    return index


def as_vectors(vectors) -> Vectors:
    if isinstance(vectors, Vectors):
        return vectors
    return Vectors(np.ascontiguousarray(vectors, dtype=np.float32))


def embed_vectors(texts: Sequence[str], embed: Embed, config: LinkConfig = LinkConfig(),
                  spill_dir: str | None = None) -> Vectors:
    """Encode `texts` `config.embed_chunk` at a time: into one float32 matrix, or (for the ANN
    path, see the module doc) into a temporary file in `spill_dir` (default: the system's)."""
    n = len(texts)
    if n <= config.embed_chunk and (n < config.exact_below or not config.spill_vectors):
        return Vectors(_checked(embed(texts), n))
    spill = n >= config.exact_below and config.spill_vectors
    target, dim = None, None
    for start in range(0, n, config.embed_chunk):
        block = _checked(embed(texts[start:start + config.embed_chunk]), min(config.embed_chunk, n - start))
        if target is None:
            dim = block.shape[1]
            target = tempfile.TemporaryFile(dir=spill_dir) if spill else np.empty((n, dim), dtype=np.float32)
        if spill:
            block.tofile(target)
        else:
            target[start:start + len(block)] = block
    if spill:
        target.flush()
        return SpilledVectors(target, n, dim)
    return Vectors(target)


def _checked(block, n: int) -> np.ndarray:
    block = np.ascontiguousarray(block, dtype=np.float32)
    if block.ndim != 2 or len(block) != n:
        raise ValueError(f"{len(block)} vectors for {n} claims")
    return block
