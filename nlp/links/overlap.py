"""Rare-word overlap of many claim pairs at once, for gating candidates before any claim table.

The overlap is what the rules and the pair model call rare-word overlap (pairs.py, pair_arrays.py):
the idf-weighted cosine of two claims' content-word sets, with idf over the claims linked. Here it
decides which of a claim's further embedding neighbours are worth judging: a neighbour beyond the
first k that shares the rare words of a claim (`Justice Select Committee`, `low and medium risk
offenders`) is often the same claim in other words; one that shares only the topic is not.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np


def gather(start: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(batch position, flat index) of every element of the ragged rows `rows`."""
    lengths = start[rows + 1] - start[rows]
    pos = np.repeat(np.arange(len(rows)), lengths)
    first = np.cumsum(lengths) - lengths
    flat = np.arange(int(lengths.sum())) - np.repeat(first, lengths) + np.repeat(start[rows], lengths)
    return pos, flat


def shared_ids(start: np.ndarray, ids: np.ndarray, a: np.ndarray, b: np.ndarray,
            weight: np.ndarray | None = None, other: tuple | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """How many ids rows a[k] and b[k] share (each row's ids are distinct), and the sum of
    `weight` over the shared ids; `other`: (start, ids) of the rows of b when not the same."""
    start_b, ids_b = other or (start, ids)
    pa, fa = gather(start, a)
    pb, fb = gather(start_b, b)
    width = np.int64(len(weight) if weight is not None else max(int(ids.max(initial=0)), int(ids_b.max(initial=0))) + 1)
    keys = np.concatenate((pa * width + ids[fa], pb * width + ids_b[fb]))
    keys.sort()
    dup = keys[1:][keys[1:] == keys[:-1]]
    count = np.bincount(dup // width, minlength=len(a))
    total = None if weight is None else np.bincount(dup // width, weights=weight[dup % width], minlength=len(a))
    return count, total


@dataclass(frozen=True)
class WordSets:
    """Each claim's distinct content words as sorted int ids (CSR: `start`, `ids`), the squared
    idf of every word id, and each claim's norm (sqrt of its words' squared idf)."""

    start: np.ndarray
    ids: np.ndarray
    weight: np.ndarray
    norms: np.ndarray

    def __len__(self) -> int:
        return len(self.norms)

    def subset(self, rows: np.ndarray) -> WordSets:
        """The word sets of claims `rows`, with the idf of all the claims (so the overlap of a pair
        does not change)."""
        _, flat = gather(self.start, rows)
        start = np.concatenate(([0], np.cumsum(self.start[rows + 1] - self.start[rows]))).astype(np.int64)
        return WordSets(start, self.ids[flat], self.weight, self.norms[rows])

    def overlap(self, a: np.ndarray, b: np.ndarray, *, chunk: int = 32_768) -> np.ndarray:
        """Rare-word overlap of the pairs (a[k], b[k]) in [0, 1] (0 where a side has no words),
        `chunk` pairs at a time (each holds one int64 key per word of both sides, then sorts them)."""
        out = np.zeros(len(a), dtype=np.float64)
        for lo in range(0, len(a), chunk):
            x, y = a[lo:lo + chunk], b[lo:lo + chunk]
            _, weighted = shared_ids(self.start, self.ids, x, y, self.weight)
            norm = self.norms[x] * self.norms[y]
            np.divide(weighted, norm, out=out[lo:lo + len(x)], where=norm > 0)
        return out


class WordSetsBuilder:
    """Collects WordSets a claim at a time (as ints: a million claims hold no word sets)."""

    def __init__(self):
        self.vocab: dict[str, int] = {}
        self.ids = array("i")
        self.starts = array("q", [0])

    def add(self, words: Iterable[str]) -> None:
        self.ids.extend(sorted({self.vocab.setdefault(w, len(self.vocab)) for w in words}))
        self.starts.append(len(self.ids))

    def finish(self) -> WordSets:
        """idf as the claim table computes it: log((n + 1) / (df + 1)) + 1 over these claims."""
        start = np.frombuffer(self.starts, dtype=np.int64).copy()
        ids = np.frombuffer(self.ids, dtype=np.int32).copy()
        n = len(start) - 1
        df = np.bincount(ids, minlength=len(self.vocab)).astype(np.float64)
        weight = (np.log((n + 1) / (df + 1)) + 1.0) ** 2
        sums = np.bincount(np.repeat(np.arange(n), np.diff(start)), weights=weight[ids], minlength=n)
        return WordSets(start, ids, weight, np.sqrt(sums))


def word_sets(claim_words: Iterable[Iterable[str]]) -> WordSets:
    """WordSets of each claim's content words (text.content_words)."""
    builder = WordSetsBuilder()
    for words in claim_words:
        builder.add(words)
    return builder.finish()


__all__ = ["WordSets", "WordSetsBuilder", "gather", "shared_ids", "word_sets"]
