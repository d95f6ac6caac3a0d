"""Candidate pairs without comparing all pairs: nearest neighbours in embedding space (hnswlib),
near-verbatim repeats (MinHash LSH over word shingles, in numpy), nearest neighbours by rare-word
overlap (an inverted index of the words fewer than config.rare_max_df claims use), and blocks of
claims that give a figure for the same measure.

Internally a pair is one int64 code `lo * n + hi` over claim *ranks* (the position of the claim
id in sorted order), so sorted codes are pairs sorted by (a, b) claim id and links can be written
as they are judged. The merged candidate list keeps the sources that found a pair in the low
4 bits of the code: 8 bytes a pair in all. The public helpers (knn_pairs, lsh_pairs, rare_pairs,
block_pairs, group_pairs) return (P, 2) int32 arrays of claim indices (i < j) across documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator

import numpy as np

from .config import LinkConfig
from .overlap import WordSets
from .text import shingles
from .vectors import Vectors, as_vectors

SOURCE_ANN, SOURCE_LSH, SOURCE_BLOCK, SOURCE_RARE = 1, 2, 4, 8
SOURCE_NAMES = {SOURCE_ANN: "ann", SOURCE_LSH: "lsh", SOURCE_BLOCK: "block", SOURCE_RARE: "rare"}
SOURCE_BITS = 4  # low bits of a merged candidate code hold the sources that found the pair
_EMPTY = np.zeros(0, dtype=np.int64)


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


def _first_k_not_self(labels: np.ndarray, distances: np.ndarray, start: int, k: int):
    """The first k neighbours of query rows start.. that are not the query itself (a duplicate
    vector may outrank self, and self may be missing from a row)."""
    n = len(labels)
    labels = labels.astype(np.int64)
    sims = (1.0 - distances).astype(np.float32)
    not_self = labels != np.arange(start, start + n)[:, None]
    rank = np.cumsum(not_self, axis=1) - 1
    rows, cols = np.nonzero(not_self & (rank < k))
    out_idx = np.full((n, k), -1, dtype=np.int64)
    out_sims = np.full((n, k), -np.inf, dtype=np.float32)
    out_idx[rows, rank[rows, cols]] = labels[rows, cols]
    out_sims[rows, rank[rows, cols]] = sims[rows, cols]
    return out_idx, out_sims


def iter_ann(vectors: Vectors, k: int,
             config: LinkConfig = LinkConfig()) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
    """Approximate top-k by inner product (self excluded), `config.query_chunk` query rows at a
    time: (first row, neighbour ids, similarities)."""
    n = len(vectors)
    k = min(k, n - 1)
    if k <= 0:
        return
    index = vectors.index(config)
    index.set_ef(max(config.hnsw_ef, k + 1))
    for start in range(0, n, config.query_chunk):
        queries = np.ascontiguousarray(vectors.block(start, start + config.query_chunk))
        labels, distances = index.knn_query(queries, k=k + 1, num_threads=config.hnsw_threads)
        yield (start, *_first_k_not_self(labels, distances, start, k))


def ann_neighbours(matrix: np.ndarray, k: int, config: LinkConfig = LinkConfig()) -> tuple[np.ndarray, np.ndarray]:
    """Approximate top-k by inner product with an HNSW index (self excluded), for all rows."""
    n, k = len(matrix), max(min(k, len(matrix) - 1), 0)
    parts = list(iter_ann(as_vectors(np.ascontiguousarray(matrix, dtype=np.float32)), k, config))
    if not parts:
        return np.zeros((n, 0), dtype=np.int64), np.zeros((n, 0), dtype=np.float32)
    return np.concatenate([p[1] for p in parts]), np.concatenate([p[2] for p in parts])


def neighbours(matrix: np.ndarray, config: LinkConfig = LinkConfig()) -> tuple[np.ndarray, np.ndarray]:
    if len(matrix) < config.exact_below:
        return exact_neighbours(matrix, config.k)
    return ann_neighbours(matrix, config.k, config)


# --- pair codes -------------------------------------------------------------------------------

def _sorted_unique(codes: np.ndarray) -> np.ndarray:
    """np.unique for int64 codes by sorting (faster here than numpy's hash-based unique)."""
    if not len(codes):
        return codes
    codes = np.sort(codes)
    return codes[np.concatenate(([True], codes[1:] != codes[:-1]))]


def pair_codes(i: np.ndarray, j: np.ndarray, doc_codes: np.ndarray, rank: np.ndarray | None = None) -> np.ndarray:
    """Sorted unique codes `lo * n + hi` of the pairs (i, j) across different documents, over
    `rank` (claim index -> position of its id in sorted order) when given, else over indices."""
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    keep = (i != j) & (doc_codes[i] != doc_codes[j])
    i, j = i[keep], j[keep]
    if rank is not None:
        i, j = rank[i].astype(np.int64), rank[j].astype(np.int64)
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    return _sorted_unique(lo * np.int64(len(doc_codes)) + hi)


def decode(codes: np.ndarray, n: int) -> np.ndarray:
    """(P, 2) int32 pairs of pair codes."""
    if not len(codes):
        return np.zeros((0, 2), dtype=np.int32)
    return np.stack([codes // n, codes % n], axis=1).astype(np.int32)


def _union(parts: Iterable[np.ndarray]) -> np.ndarray:
    """Sorted unique union of sorted code arrays, folded in one part at a time: the peak is
    about twice the union, not the sum of the parts (16 LSH bands find the same duplicate pairs
    16 times over)."""
    out = _EMPTY
    for part in parts:
        if not len(part):
            continue
        if not len(out):
            out = part
            continue
        # two sorted runs: the stable sort (timsort for int64) merges them in linear time
        merged = np.concatenate((out, part))
        del out
        merged.sort(kind="stable")
        keep = np.empty(len(merged), dtype=bool)
        keep[0] = True
        np.not_equal(merged[1:], merged[:-1], out=keep[1:])
        out = merged[keep]
        del merged, keep
    return out


def knn_codes(start: int, idx: np.ndarray, sims: np.ndarray, doc_codes: np.ndarray, min_sim: float,
              rank: np.ndarray | None = None) -> np.ndarray:
    """Codes of the neighbour pairs at or above min_sim of query rows start.."""
    rows = np.repeat(np.arange(start, start + len(idx), dtype=np.int64), idx.shape[1])
    cols, s = idx.ravel(), sims.ravel()
    keep = (s >= min_sim) & (cols >= 0)
    return pair_codes(rows[keep], cols[keep], doc_codes, rank)


def far_codes(start: int, idx: np.ndarray, sims: np.ndarray, doc_codes: np.ndarray, words: WordSets,
              config: LinkConfig = LinkConfig(), rank: np.ndarray | None = None) -> np.ndarray:
    """Codes of the further neighbour pairs of query rows start.. (the neighbours past the first
    k, nearest first) that are at or above config.far_min_sim and share rare words (rare-word
    overlap at least config.far_min_overlap): the nearest config.far_max of them a row."""
    rows = np.repeat(np.arange(start, start + len(idx), dtype=np.int64), idx.shape[1])
    cols, s = idx.ravel(), sims.ravel()
    keep = (s >= config.far_min_sim) & (cols >= 0)
    rows, cols = rows[keep], cols[keep]
    keep = doc_codes[rows] != doc_codes[cols]
    rows, cols = rows[keep], cols[keep]
    keep = words.overlap(rows, cols) >= config.far_min_overlap
    rows, cols = rows[keep], cols[keep]
    keep = np.arange(len(rows)) - np.searchsorted(rows, rows) < config.far_max  # rows are sorted
    return pair_codes(rows[keep], cols[keep], doc_codes, rank)


def knn_pairs(idx: np.ndarray, sims: np.ndarray, doc_codes: np.ndarray, min_sim: float) -> np.ndarray:
    return decode(knn_codes(0, idx, sims, doc_codes, min_sim), len(doc_codes))


def group_codes(members: np.ndarray, groups: np.ndarray, doc_codes: np.ndarray, max_bucket: int,
                rank: np.ndarray | None = None) -> np.ndarray:
    """Codes of all pairs of members sharing a group id (a run of equal ids once sorted),
    skipping groups larger than max_bucket (vectorised: compare each sorted position with the
    next d positions)."""
    if not len(members):
        return _EMPTY
    order = np.lexsort((members, groups))
    members, groups = members[order], groups[order]
    del order
    starts = np.concatenate(([0], np.nonzero(groups[1:] != groups[:-1])[0] + 1))
    counts = np.diff(np.concatenate((starts, [len(groups)])))
    size = np.repeat(counts, counts)
    keep = (size >= 2) & (size <= max_bucket)
    members, groups = members[keep], groups[keep]

    def found() -> Iterator[np.ndarray]:
        for d in range(1, min(max_bucket, len(groups))):
            same = groups[:-d] == groups[d:]
            if not same.any():
                return
            yield pair_codes(members[:-d][same], members[d:][same], doc_codes, rank)

    return _union(found())


def group_pairs(members: np.ndarray, groups: np.ndarray, doc_codes: np.ndarray, max_bucket: int) -> np.ndarray:
    return decode(group_codes(members, groups, doc_codes, max_bucket), len(doc_codes))


# --- MinHash LSH ------------------------------------------------------------------------------

def _permutations(num_perm: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's default ('affine32') permutations h -> a * h + b mod 2^32, a odd."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (datasketch pre-mixes every shingle hash with it)."""
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def _shingle_hashes(texts, start: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """First 4 bytes of the SHA-1 of each word shingle (little-endian) and where each claim's
    shingles start; a claim with none gets one shingle of its own, so empty claims never collide."""
    digests, counts = [], []
    for pos, text in enumerate(texts):
        found = shingles(text, n) or [f"\0empty{start + pos}".encode()]
        digests.extend(hashlib.sha1(s).digest()[:4] for s in found)
        counts.append(len(found))
    hashes = np.frombuffer(b"".join(digests), dtype="<u4").astype(np.uint32)
    offsets = np.concatenate(([0], np.cumsum(counts)[:-1])).astype(np.int64)
    return hashes, offsets


def minhash_signatures(texts, config: LinkConfig = LinkConfig(), *, start: int = 0,
                       chunk: int = 256) -> np.ndarray:
    """(len(texts), minhash_perm) uint32 MinHash signatures of word shingles: bit for bit what
    datasketch's MinHash (default scheme, seed 1) gives, computed in numpy `chunk` claims at a time."""
    a, b = _permutations(config.minhash_perm)
    out = np.empty((len(texts), config.minhash_perm), dtype=np.uint32)
    for lo in range(0, len(texts), chunk):
        hashes, offsets = _shingle_hashes(texts[lo:lo + chunk], start + lo, config.shingle_n)
        permuted = _fmix32(hashes)[:, None] * a + b  # uint32 arithmetic wraps: mod 2^32
        out[lo:lo + len(offsets)] = np.minimum.reduceat(permuted, offsets, axis=0)
    return out


def band_keys(signatures: np.ndarray, config: LinkConfig = LinkConfig()) -> np.ndarray:
    """(bands, n) uint64: one 64-bit hash of each LSH band (rows consecutive signature values)."""
    multipliers = np.uint64(0x9E3779B97F4A7C15) ** np.arange(1, config.lsh_rows + 1, dtype=np.uint64)
    sig = signatures.astype(np.uint64).reshape(len(signatures), config.lsh_bands, config.lsh_rows)
    return (sig * multipliers).sum(axis=2, dtype=np.uint64).T.copy()


def text_band_keys(texts, config: LinkConfig = LinkConfig(), *, chunk: int = 50_000) -> np.ndarray:
    """band_keys of the texts' signatures, without ever holding all signatures (8 bytes a band
    a claim instead of 4 a permutation)."""
    out = np.empty((config.lsh_bands, len(texts)), dtype=np.uint64)
    for lo in range(0, len(texts), chunk):
        part = texts[lo:lo + chunk]
        out[:, lo:lo + len(part)] = band_keys(minhash_signatures(part, config, start=lo), config)
    return out


def lsh_codes(keys: np.ndarray, doc_codes: np.ndarray, config: LinkConfig = LinkConfig(),
              rank: np.ndarray | None = None) -> np.ndarray:
    """Codes of the pairs sharing at least one LSH band hash (runs of equal hashes once sorted)."""
    members = np.arange(keys.shape[1], dtype=np.int64)
    return _union(group_codes(members, band.view(np.int64), doc_codes, config.max_bucket, rank) for band in keys)


def lsh_pairs(signatures: np.ndarray, doc_codes: np.ndarray, config: LinkConfig = LinkConfig()) -> np.ndarray:
    """Pairs sharing at least one LSH band (bands x rows of the signature)."""
    return decode(lsh_codes(band_keys(signatures, config), doc_codes, config), len(doc_codes))


# --- rare-word neighbours --------------------------------------------------------------------

def rare_codes(words: WordSets, doc_codes: np.ndarray, config: LinkConfig = LinkConfig(),
               rank: np.ndarray | None = None, *, chunk: int = 512) -> np.ndarray:
    """Codes of each claim's config.rare_k nearest claims of other documents by rare-word overlap
    (the idf-weighted cosine of content-word sets that pairs.py reads), counting only the words at
    most config.rare_max_df claims use, at or above config.rare_min_overlap. A sparse product of
    `chunk` claims' word rows with the inverted index: the cost grows with the pairs of claims that
    share a rare word, not with all pairs (a word every claim uses would make it quadratic, hence
    the cap). Paraphrases the encoder ranks 100th or lower often share a name or a term
    (`Justice Select Committee`, `unworkable`) that this finds."""
    import scipy.sparse as sp

    n = len(words)
    if config.rare_k <= 0 or n < 2:
        return _EMPTY
    df = np.bincount(words.ids, minlength=len(words.weight))
    row_of = np.repeat(np.arange(n), np.diff(words.start))
    keep = (df[words.ids] >= 2) & (df[words.ids] <= config.rare_max_df) & (words.norms[row_of] > 0)
    values = np.sqrt(words.weight[words.ids[keep]]) / words.norms[row_of[keep]]
    matrix = sp.csr_matrix((values, (row_of[keep], words.ids[keep])), shape=(n, len(words.weight)))
    del df, row_of, keep, values
    inverted = matrix.T.tocsr()

    parts = []  # at most rare_k codes a claim: one sort at the end, not a merge per chunk
    for lo in range(0, n, chunk):
        sims = matrix[lo:lo + chunk] @ inverted
        sims.sort_indices()  # ties in overlap go to the lower claim index
        ok = sims.data >= config.rare_min_overlap
        rows = np.repeat(np.arange(lo, lo + sims.shape[0], dtype=np.int64), np.diff(sims.indptr))[ok]
        cols, s = sims.indices[ok].astype(np.int64), sims.data[ok]
        del sims, ok
        ok = doc_codes[rows] != doc_codes[cols]
        rows, cols, s = rows[ok], cols[ok], s[ok]
        # nearest first in each row (s <= 1: one float key, 5x faster to sort than three)
        order = np.argsort((rows - lo) * 2.0 - s, kind="stable")
        rows, cols = rows[order], cols[order]
        first = np.arange(len(rows)) - np.searchsorted(rows, rows) < config.rare_k
        parts.append(pair_codes(rows[first], cols[first], doc_codes, rank))
    return _sorted_unique(np.concatenate(parts)) if parts else _EMPTY


def rare_pairs(words: WordSets, doc_codes: np.ndarray, config: LinkConfig = LinkConfig()) -> np.ndarray:
    return decode(rare_codes(words, doc_codes, config), len(doc_codes))


# --- measure blocks ---------------------------------------------------------------------------

def block_codes(block_keys, doc_codes: np.ndarray, max_bucket: int, rank: np.ndarray | None = None,
                order: np.ndarray | None = None, window: int = 0) -> np.ndarray:
    """Codes of the pairs of claims sharing a block: a figure for the same measure head
    (`count:vacancy`), the same value and unit (`value:gbp:3.42e+08`), a frame's measure id or
    finding, an entity in a year. A block of at most max_bucket claims gives all its pairs; a
    bigger one, ranked by `order` (the month of each claim's period), gives each claim's `window`
    neighbours on either side, so a big block costs linear, not quadratic, pairs."""
    codes: dict[str, int] = {}
    members, groups = [], []
    for i, keys in enumerate(block_keys):
        for key in set(keys):
            members.append(i)
            groups.append(codes.setdefault(key, len(codes)))
    members = np.asarray(members, dtype=np.int64)
    groups = np.asarray(groups, dtype=np.int64)
    small = group_codes(members, groups, doc_codes, max_bucket, rank)
    if window <= 0 or not len(members):
        return small
    return _union([small, window_codes(members, groups, doc_codes, max_bucket, window, rank, order)])


def window_codes(members: np.ndarray, groups: np.ndarray, doc_codes: np.ndarray, max_bucket: int, window: int,
                 rank: np.ndarray | None = None, order: np.ndarray | None = None) -> np.ndarray:
    """Codes of the pairs at most `window` apart inside each group of more than max_bucket members,
    once ranked by (group, order of the member, member)."""
    sizes = np.bincount(groups)
    big = sizes[groups] > max_bucket
    members, groups = members[big], groups[big]
    if not len(members):
        return _EMPTY
    key = order[members] if order is not None else np.zeros(len(members), dtype=np.int64)
    ranked = np.lexsort((members, key, groups))
    members, groups = members[ranked], groups[ranked]

    def found() -> Iterator[np.ndarray]:
        for d in range(1, min(window, len(groups) - 1) + 1):
            same = groups[:-d] == groups[d:]
            yield pair_codes(members[:-d][same], members[d:][same], doc_codes, rank)

    return _union(found())
def block_pairs(block_keys, doc_codes: np.ndarray, max_bucket: int) -> np.ndarray:
    return decode(block_codes(block_keys, doc_codes, max_bucket), len(doc_codes))


# --- all candidates ---------------------------------------------------------------------------

def merge_sources(sources: dict[int, np.ndarray]) -> np.ndarray:
    """Union of the code arrays of several sources, as sorted int64 `code << SOURCE_BITS | sources`.
    The arrays are taken out of `sources` (which ends empty) as they are copied."""
    merged = np.empty(sum(len(codes) for codes in sources.values()), dtype=np.int64)
    pos = 0
    for bit in sorted(sources):
        codes = sources.pop(bit)
        part = merged[pos:pos + len(codes)]
        np.left_shift(codes, SOURCE_BITS, out=part)
        part |= bit
        pos += len(codes)
        del codes, part
    if not len(merged):
        return merged
    merged.sort()
    keys = merged >> SOURCE_BITS
    first = np.empty(len(merged), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    del keys
    starts = np.flatnonzero(first)
    del first
    masks = np.bitwise_or.reduceat(merged & ((1 << SOURCE_BITS) - 1), starts)
    out = merged[starts]
    del merged, starts
    out >>= SOURCE_BITS
    out <<= SOURCE_BITS
    out |= masks
    return out


def id_rank(ids: list[str]) -> np.ndarray:
    """Position of each claim id in sorted order (int32)."""
    rank = np.empty(len(ids), dtype=np.int32)
    rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids), dtype=np.int32)
    return rank


def similarity_sources(vectors: Vectors, texts, doc_codes: np.ndarray, rank: np.ndarray | None,
                       config: LinkConfig = LinkConfig(), words: WordSets | None = None) -> dict[int, np.ndarray]:
    """The candidate codes found from the texts alone: near-verbatim repeats (LSH), nearest
    neighbours (ANN: the first config.k, and with `words` those up to config.far_k that share rare
    words) and, with `words`, rare-word neighbours (rare_codes), one source at a time, each freeing its working arrays; the ANN index is released before
    returning. Needs no claim table, so a run can find these before it builds one."""
    keys = text_band_keys(texts, config)
    sources = {SOURCE_LSH: lsh_codes(keys, doc_codes, config, rank)}
    del keys
    if words is not None:
        sources[SOURCE_RARE] = rare_codes(words, doc_codes, config, rank)
    near = config.k
    k = max(near, config.far_k) if words is not None else near

    def found(start: int, idx: np.ndarray, sims: np.ndarray) -> Iterator[np.ndarray]:
        yield knn_codes(start, idx[:, :near], sims[:, :near], doc_codes, config.candidate_min_sim, rank)
        if idx.shape[1] > near:
            yield far_codes(start, idx[:, near:], sims[:, near:], doc_codes, words, config, rank)

    if len(vectors) < config.exact_below:
        sources[SOURCE_ANN] = _union(found(0, *exact_neighbours(vectors.block(0, len(vectors)), k)))
    else:
        sources[SOURCE_ANN] = _union(codes for part in iter_ann(vectors, k, config) for codes in found(*part))
        vectors.release()  # the index's copy of the vectors goes before judging starts
    return sources


def candidate_codes(vectors: Vectors, texts, block_keys, doc_codes: np.ndarray, rank: np.ndarray,
                    config: LinkConfig = LinkConfig(), block_order: np.ndarray | None = None,
                    words: WordSets | None = None) -> np.ndarray:
    """All candidate pairs, sorted by (a, b) claim id, with the sources that found them (see
    merge_sources)."""
    sources = similarity_sources(vectors, texts, doc_codes, rank, config, words)
    sources[SOURCE_BLOCK] = block_codes(block_keys, doc_codes, config.max_bucket, rank, block_order,
                                        config.block_window)
    return merge_sources(sources)


def candidate_pairs(matrix: np.ndarray, texts, block_keys, doc_codes: np.ndarray,
                    config: LinkConfig = LinkConfig(), words: WordSets | None = None) -> tuple[np.ndarray, np.ndarray]:
    """All candidate pairs of claim indices (P, 2) and which step found each (bitmask), in
    index order (for scripts and tests; the link step itself uses candidate_codes)."""
    merged = candidate_codes(as_vectors(matrix), texts, block_keys, doc_codes, None, config, words=words)
    return decode(merged >> SOURCE_BITS, len(doc_codes)), (merged & ((1 << SOURCE_BITS) - 1)).astype(np.int8)


def pair_cosines(vectors, pairs: np.ndarray, *, chunk: int = 4096) -> np.ndarray:
    """Inner product of each pair's rows, gathered into reused buffers (large fresh gathers cost
    more in page faults than in arithmetic)."""
    vectors = as_vectors(vectors)
    out = np.empty(len(pairs), dtype=np.float32)
    left = np.empty((chunk, vectors.dim), dtype=np.float32)
    right = np.empty_like(left)
    for start in range(0, len(pairs), chunk):
        p = pairs[start:start + chunk]
        n = len(p)
        vectors.rows(p[:, 0], left)
        vectors.rows(p[:, 1], right)
        out[start:start + n] = np.einsum("ij,ij->i", left[:n], right[:n])
    return out
