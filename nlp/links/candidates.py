"""Candidate pairs without comparing all pairs: nearest neighbours in embedding space (hnswlib),
near-verbatim repeats (MinHash LSH over word shingles, datasketch), and blocks of claims that
give a figure for the same measure. Everything returns int64 arrays of pairs (i < j) across
different documents.
"""

from __future__ import annotations

import numpy as np

from .config import LinkConfig
from .text import shingles

SOURCE_ANN, SOURCE_LSH, SOURCE_BLOCK = 1, 2, 4
SOURCE_NAMES = {SOURCE_ANN: "ann", SOURCE_LSH: "lsh", SOURCE_BLOCK: "block"}


def exact_neighbours(matrix: np.ndarray, k: int, *, chunk: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Brute-force top-k by inner product (self excluded): the oracle ANN is tested against."""
    n = len(matrix)
    k = min(k, n - 1)
    if k <= 0:
        return np.zeros((n, 0), dtype=np.int64), np.zeros((n, 0), dtype=np.float32)
    idx = np.empty((n, k), dtype=np.int64)
    sims = np.empty((n, k), dtype=np.float32)
    for start in range(0, n, chunk):
        block = matrix[start:start + chunk] @ matrix.T
        rows = np.arange(len(block))
        block[rows, rows + start] = -np.inf
        part = np.argpartition(-block, k - 1, axis=1)[:, :k]
        part_sims = np.take_along_axis(block, part, axis=1)
        order = np.argsort(-part_sims, axis=1, kind="stable")
        idx[start:start + chunk] = np.take_along_axis(part, order, axis=1)
        sims[start:start + chunk] = np.take_along_axis(part_sims, order, axis=1)
    return idx, sims


def ann_neighbours(matrix: np.ndarray, k: int, config: LinkConfig = LinkConfig()) -> tuple[np.ndarray, np.ndarray]:
    """Approximate top-k by inner product with an HNSW index (self excluded)."""
    import hnswlib

    n, dim = matrix.shape
    k = min(k, n - 1)
    if k <= 0:
        return np.zeros((n, 0), dtype=np.int64), np.zeros((n, 0), dtype=np.float32)
    index = hnswlib.Index(space="ip", dim=dim)
    index.init_index(max_elements=n, ef_construction=config.hnsw_ef_construction, M=config.hnsw_m,
                     random_seed=100)
    index.add_items(matrix, np.arange(n), num_threads=config.hnsw_threads)
    index.set_ef(max(config.hnsw_ef, k + 1))
    labels, distances = index.knn_query(matrix, k=k + 1, num_threads=config.hnsw_threads)
    labels = labels.astype(np.int64)
    sims = (1.0 - distances).astype(np.float32)
    not_self = labels != np.arange(n)[:, None]
    # keep the first k neighbours that are not the query itself (a duplicate vector may outrank
    # self, and self may be missing from a row)
    rank = np.cumsum(not_self, axis=1) - 1
    rows, cols = np.nonzero(not_self & (rank < k))
    out_idx = np.full((n, k), -1, dtype=np.int64)
    out_sims = np.full((n, k), -np.inf, dtype=np.float32)
    out_idx[rows, rank[rows, cols]] = labels[rows, cols]
    out_sims[rows, rank[rows, cols]] = sims[rows, cols]
    return out_idx, out_sims


def neighbours(matrix: np.ndarray, config: LinkConfig = LinkConfig()) -> tuple[np.ndarray, np.ndarray]:
    if len(matrix) < config.exact_below:
        return exact_neighbours(matrix, config.k)
    return ann_neighbours(matrix, config.k, config)


def _sorted_unique(codes: np.ndarray) -> np.ndarray:
    """np.unique for int64 codes by sorting (faster here than numpy's hash-based unique)."""
    if not len(codes):
        return codes
    codes = np.sort(codes)
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))]


def _canonical(i: np.ndarray, j: np.ndarray, doc_codes: np.ndarray) -> np.ndarray:
    """(P, 2) unique pairs with i < j across different documents (deduplicated as one int64
    code per pair, which sorts far faster than rows)."""
    i, j = np.minimum(i, j).astype(np.int64), np.maximum(i, j).astype(np.int64)
    keep = (i != j) & (doc_codes[i] != doc_codes[j])
    n = np.int64(len(doc_codes))
    return _decode(_sorted_unique(i[keep] * n + j[keep]), n)


def _decode(codes: np.ndarray, n) -> np.ndarray:
    if not len(codes):
        return np.zeros((0, 2), dtype=np.int64)
    return np.stack([codes // n, codes % n], axis=1)


def knn_pairs(idx: np.ndarray, sims: np.ndarray, doc_codes: np.ndarray, min_sim: float) -> np.ndarray:
    rows = np.repeat(np.arange(len(idx)), idx.shape[1])
    cols, s = idx.ravel(), sims.ravel()
    keep = (s >= min_sim) & (cols >= 0)
    return _canonical(rows[keep], cols[keep], doc_codes)


def group_pairs(members: np.ndarray, groups: np.ndarray, doc_codes: np.ndarray, max_bucket: int) -> np.ndarray:
    """All pairs of members sharing a group id, skipping groups larger than max_bucket
    (vectorised: compare each sorted position with the next d positions)."""
    if not len(members):
        return np.zeros((0, 2), dtype=np.int64)
    order = np.lexsort((members, groups))
    members, groups = members[order], groups[order]
    starts = np.concatenate(([0], np.nonzero(groups[1:] != groups[:-1])[0] + 1))
    counts = np.diff(np.concatenate((starts, [len(groups)])))
    size = np.repeat(counts, counts)
    keep = (size >= 2) & (size <= max_bucket)
    members, groups = members[keep], groups[keep]
    found_i, found_j = [], []
    for d in range(1, max_bucket):
        if d >= len(groups):
            break
        same = groups[:-d] == groups[d:]
        if not same.any():
            break
        found_i.append(members[:-d][same])
        found_j.append(members[d:][same])
    if not found_i:
        return np.zeros((0, 2), dtype=np.int64)
    return _canonical(np.concatenate(found_i), np.concatenate(found_j), doc_codes)


def minhash_signatures(texts: list[str], config: LinkConfig = LinkConfig(), *, chunk: int = 20_000) -> np.ndarray:
    """(n, num_perm) uint64 MinHash signatures of word shingles (datasketch's hashing)."""
    from datasketch import MinHash

    out = np.zeros((len(texts), config.minhash_perm), dtype=np.uint64)
    for start in range(0, len(texts), chunk):
        sets = [shingles(t, config.shingle_n) or [f"\0empty{start + n}".encode()]
                for n, t in enumerate(texts[start:start + chunk])]
        for n, mh in enumerate(MinHash.bulk(sets, num_perm=config.minhash_perm)):
            out[start + n] = mh.hashvalues
    return out


def lsh_pairs(signatures: np.ndarray, doc_codes: np.ndarray, config: LinkConfig = LinkConfig()) -> np.ndarray:
    """Pairs sharing at least one LSH band (bands x rows of the signature)."""
    n = len(signatures)
    found = []
    members = np.arange(n, dtype=np.int64)
    multipliers = (np.uint64(0x9E3779B97F4A7C15) ** np.arange(1, config.lsh_rows + 1, dtype=np.uint64))
    for band in range(config.lsh_bands):
        cols = signatures[:, band * config.lsh_rows:(band + 1) * config.lsh_rows]
        key = (cols * multipliers).sum(axis=1, dtype=np.uint64)  # one 64-bit hash of the band
        found.append(group_pairs(members, key.view(np.int64), doc_codes, config.max_bucket))
    return _unique(found)


def block_pairs(block_keys: list[tuple[str, ...]], doc_codes: np.ndarray, max_bucket: int) -> np.ndarray:
    """Pairs of claims giving a figure for the same measure head (`count:vacancy`)."""
    codes: dict[str, int] = {}
    members, groups = [], []
    for i, keys in enumerate(block_keys):
        for key in set(keys):
            members.append(i)
            groups.append(codes.setdefault(key, len(codes)))
    return group_pairs(np.asarray(members, dtype=np.int64), np.asarray(groups, dtype=np.int64), doc_codes,
                       max_bucket)


def _unique(parts: list[np.ndarray]) -> np.ndarray:
    parts = [p for p in parts if len(p)]
    if not parts:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.concatenate(parts)
    n = np.int64(pairs.max() + 1)
    return _decode(_sorted_unique(pairs[:, 0] * n + pairs[:, 1]), n)


def merge_sources(sources: dict[int, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Union of pair arrays from several sources: (pairs, bitmask of the sources that found each)."""
    parts = [(p, bit) for bit, p in sources.items() if len(p)]
    if not parts:
        return np.zeros((0, 2), dtype=np.int64), np.zeros(0, dtype=np.int64)
    pairs = np.concatenate([p for p, _ in parts])
    n = np.int64(pairs.max() + 1)
    bits = np.concatenate([np.full(len(p), bit, dtype=np.int64) for p, bit in parts])
    codes = pairs[:, 0] * n + pairs[:, 1]
    order = np.argsort(codes, kind="stable")
    codes, bits = codes[order], bits[order]
    first = np.concatenate(([True], codes[1:] != codes[:-1]))
    group = np.cumsum(first) - 1
    mask = np.zeros(int(group[-1]) + 1, dtype=np.int64)
    np.bitwise_or.at(mask, group, bits)
    return _decode(codes[first], n), mask


def candidate_pairs(matrix: np.ndarray, texts: list[str], block_keys, doc_codes: np.ndarray,
                    config: LinkConfig = LinkConfig()) -> tuple[np.ndarray, np.ndarray]:
    """All candidate pairs and which step found them."""
    idx, sims = neighbours(matrix, config)
    sources = {SOURCE_ANN: knn_pairs(idx, sims, doc_codes, config.candidate_min_sim),
               SOURCE_LSH: lsh_pairs(minhash_signatures(texts, config), doc_codes, config),
               SOURCE_BLOCK: block_pairs(block_keys, doc_codes, config.max_bucket)}
    return merge_sources(sources)


def pair_cosines(matrix: np.ndarray, pairs: np.ndarray, *, chunk: int = 4096) -> np.ndarray:
    """Inner product of each pair's rows, gathered into reused buffers (large fresh gathers cost
    more in page faults than in arithmetic)."""
    out = np.empty(len(pairs), dtype=np.float32)
    left = np.empty((chunk, matrix.shape[1]), dtype=matrix.dtype)
    right = np.empty_like(left)
    for start in range(0, len(pairs), chunk):
        p = pairs[start:start + chunk]
        n = len(p)
        np.take(matrix, p[:, 0], axis=0, out=left[:n])
        np.take(matrix, p[:, 1], axis=0, out=right[:n])
        out[start:start + n] = np.einsum("ij,ij->i", left[:n], right[:n])
    return out
