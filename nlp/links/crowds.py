"""Crowds of copies: one claim copied into many documents (boilerplate, a press line every page
repeats) links once per copy, not pairwise.

A crowd is a set of claims with equal sets of words, equal numbers in the same order and equal entity ids, found in at
least `LinkConfig.crowd_min_docs` documents. Its representative is its smallest claim id: it links
like any claim. Every copy in another document gets exactly one `repeat` link to the
representative (`method: "copy"`, `found_by: ["copy"]`, `group`: the representative's id) and
takes no other part in linking: it is not encoded, is no candidate and is never judged. Without
this, n copies give n(n-1)/2 links among themselves and as many candidate pairs to judge. Copies
in the representative's own document are no copies (links join documents): they link normally.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .config import LinkConfig

TEXT_CACHE = 65_536  # texts whose per-claim work is kept (LRU): synthetic or boilerplate claims repeat a lot
_TOKEN = re.compile(r"[a-z0-9]+")
NO_KEY = 0  # the key of a claim with no words or numbers: never in a crowd


@lru_cache(maxsize=TEXT_CACHE)
def _token_digest(text: str) -> bytes:
    tokens = _TOKEN.findall(text.lower())
    words = sorted({t for t in tokens if not t.isdigit()})
    numbers = [t for t in tokens if t.isdigit()]  # in order: `from 25% to 30%` is not `from 30% to 25%`
    return ("\x1f".join(words) + "\x1e" + "\x1f".join(numbers)).encode() if tokens else b""


def crowd_key(text: str, entity_ids: Iterable[str] = ()) -> int:
    """A 64-bit key equal for claims with the same set of words, the same numbers in the same order
    (``rose from 25% to 30%`` is not ``rose from 30% to 25%``) and the same entity ids, any case and
    punctuation; NO_KEY when the text has no token."""
    tokens = _token_digest(text or "")
    if not tokens:
        return NO_KEY
    entities = "\x1f".join(sorted(set(entity_ids or ()))).encode()
    digest = hashlib.blake2b(tokens + b"\x1e" + entities, digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True) or 1


@dataclass(frozen=True)
class Crowds:
    """Which claims link normally (`kept`, sorted claim indices) and, for each copy, its crowd's
    representative and how many documents the crowd spans (`sizes`)."""

    kept: np.ndarray
    copies: np.ndarray
    reps: np.ndarray
    sizes: np.ndarray

    def __bool__(self) -> bool:
        return bool(len(self.copies))


def no_crowds(n: int) -> Crowds:
    empty = np.zeros(0, dtype=np.int64)
    return Crowds(np.arange(n, dtype=np.int64), empty, empty, empty)


def find_crowds(keys: np.ndarray, doc_codes: np.ndarray, rank: np.ndarray, config: LinkConfig = LinkConfig()) -> Crowds:
    """The crowds among claims with crowd keys `keys` (int64), documents `doc_codes` and id ranks
    `rank` (candidates.id_rank); copies come sorted by (representative, copy) claim id."""
    n = len(keys)
    if config.crowd_min_docs <= 0 or n < config.crowd_min_docs:
        return no_crowds(n)
    idx = np.flatnonzero(keys != NO_KEY)
    idx = idx[np.lexsort((rank[idx], keys[idx]))]  # by key, then by claim id: each group's first is its rep
    if not len(idx):
        return no_crowds(n)
    k = keys[idx]
    first = np.concatenate(([True], k[1:] != k[:-1]))
    group = np.cumsum(first) - 1
    width = np.int64(int(doc_codes.max()) + 1)
    doc_pairs = np.unique(group * width + doc_codes[idx])  # (group, document), once each
    docs = np.bincount(doc_pairs // width, minlength=int(group[-1]) + 1)
    rep = idx[first][group]
    is_copy = (docs[group] >= config.crowd_min_docs) & (doc_codes[idx] != doc_codes[rep])
    if not is_copy.any():
        return no_crowds(n)
    copies, reps, sizes = idx[is_copy], rep[is_copy], docs[group[is_copy]]
    order = np.lexsort((rank[copies], rank[reps]))
    kept = np.ones(n, dtype=bool)
    kept[copies] = False
    return Crowds(np.flatnonzero(kept), copies[order], reps[order], sizes[order])


def table_crowds(texts: Sequence[str], entities: Sequence[Iterable[str]], doc_codes: np.ndarray, rank: np.ndarray,
                 config: LinkConfig = LinkConfig()) -> Crowds:
    """find_crowds over the texts and entity ids of a claim table."""
    if config.crowd_min_docs <= 0 or len(rank) < config.crowd_min_docs:
        return no_crowds(len(rank))
    keys = np.fromiter((crowd_key(t, e) for t, e in zip(texts, entities)), dtype=np.int64, count=len(rank))
    return find_crowds(keys, doc_codes, rank, config)


def copy_links(crowds: Crowds, ids: Sequence[str], docs: Sequence[str], dates: Sequence) -> Iterator[dict]:
    """One `repeat` link from each crowd's representative to each of its copies, in (a, b) order
    (the representative has the smallest id of its crowd, so it is always `a`)."""
    for i, j, n_docs in zip(crowds.reps.tolist(), crowds.copies.tolist(), crowds.sizes.tolist()):
        yield {"a": ids[i], "b": ids[j], "relation": "repeat", "score": 1.0, "method": "copy", "measure": None,
               "reason": f"copy: the same words, numbers and entities in {n_docs} documents", "similarity": None,
               "a_doc": docs[i], "b_doc": docs[j], "a_date": dates[i], "b_date": dates[j], "found_by": ["copy"],
               "group": ids[i]}


__all__ = ["Crowds", "NO_KEY", "TEXT_CACHE", "copy_links", "crowd_key", "find_crowds", "no_crowds", "table_crowds"]
