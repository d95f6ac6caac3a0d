"""Corpus-level entry points: tables in, SPEC §6 link rows out.

Links stream: candidates are kept as one sorted int64 code a pair (sorted by (a, b) claim id),
judged a chunk at a time and written as they are judged, so links.jsonl comes out sorted by
(a, b) without ever holding all links. A run's folder is linked in phases (iter_out_dir_links)
so that the neighbour index, the vectors and the claim table never sit in memory together.
"""

from __future__ import annotations

import heapq
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from .candidates import (SOURCE_BITS, SOURCE_BLOCK, SOURCE_LSH, SOURCE_NAMES, block_codes, candidate_codes, id_rank,
                         merge_sources, pair_cosines, similarity_sources)
from .config import LinkConfig
from .crowds import Crowds, copy_links, find_crowds, table_crowds
from .scoring import judge
from .table import ClaimIndex, ClaimTable, claim_table, table_index
from .vectors import Vectors, as_vectors, embed_vectors

Embed = Callable[[Sequence[str]], np.ndarray]


_MODEL_BATCH = 8192
_FOUND_BY = tuple(tuple(name for bit, name in SOURCE_NAMES.items() if mask & bit) for mask in range(1 << SOURCE_BITS))


def _default_embed() -> Embed:
    from .embed import embed

    return embed


def stream_links(vectors, table: ClaimTable, *, config: LinkConfig = LinkConfig()) -> Iterator[dict]:
    """Links among the claims of `table`, one at a time in (a, b) order, given one unit-length
    vector per claim (a matrix, or a Vectors from embed_vectors)."""
    vectors = as_vectors(vectors)
    if len(vectors) != len(table):
        raise ValueError(f"{len(vectors)} vectors for {len(table)} claims")
    if len(table) < 2:
        return
    rank = id_rank(table.ids)
    crowds = table_crowds(table.texts, table.entities, table.doc_codes, rank, config)
    work, rank = _linked_part(table_index(table), rank, crowds)
    linked = Vectors(vectors.rows(crowds.kept)) if crowds else vectors
    merged = candidate_codes(linked, work.texts, work.block_keys, work.doc_codes, rank, config, work.block_order,
                             work.words)
    judged = _judge_merged(vectors, table, merged, _claim_order(rank, crowds), config)
    yield from _with_copies(judged, crowds, table)


def _by_rank(rank: np.ndarray) -> np.ndarray:
    """rank -> claim index (the inverse of id_rank)."""
    return np.argsort(rank).astype(np.int32)


def _linked_part(index: ClaimIndex, rank: np.ndarray, crowds: Crowds) -> tuple[ClaimIndex, np.ndarray]:
    """The claims that link normally (all but the crowds' copies) and their id ranks among
    themselves: candidates are found on these alone."""
    if not crowds:
        return index, rank
    part = rank[crowds.kept]
    sub_rank = np.empty(len(part), dtype=np.int32)
    sub_rank[np.argsort(part)] = np.arange(len(part), dtype=np.int32)
    return index.subset(crowds.kept), sub_rank


def _claim_order(rank: np.ndarray, crowds: Crowds) -> np.ndarray:
    """rank (among the claims that link normally) -> claim index in the whole table."""
    order = _by_rank(rank)
    return crowds.kept[order].astype(np.int32) if crowds else order


def _with_copies(judged: Iterator[dict], crowds: Crowds, table: ClaimTable) -> Iterator[dict]:
    """The judged links and the crowds' copy links, merged in (a, b) order."""
    if not crowds:
        return judged
    copies = copy_links(crowds, table.ids, table.docs, table.dates)
    return heapq.merge(judged, copies, key=lambda row: (row["a"], row["b"]))


def _judge_merged(vectors, table: ClaimTable, merged: np.ndarray, order: np.ndarray,
                  config: LinkConfig, cosines: np.ndarray | None = None) -> Iterator[dict]:
    """Judge merged candidate codes (see candidates.merge_sources) a chunk at a time, in order;
    with `cosines` (one per code, from merged_cosines) the vectors are not needed."""
    mask_bits = (1 << SOURCE_BITS) - 1
    for start in range(0, len(merged), config.chunk):
        part = merged[start:start + config.chunk]
        pairs = _decode(part, order)
        masks = (part & mask_bits).astype(np.int8)
        if cosines is None:
            yield from judge_pairs(vectors, table, pairs, masks, config=config)
        else:
            yield from judge_scored(table, pairs, masks, cosines[start:start + config.chunk], config)


def _decode(part: np.ndarray, order: np.ndarray) -> np.ndarray:
    """(P, 2) claim indices of merged codes over claim ranks (`order`: rank -> claim index)."""
    n = len(order)
    codes = part >> SOURCE_BITS
    return np.stack([order[codes // n], order[codes % n]], axis=1)


def merged_cosines(vectors: Vectors, merged: np.ndarray, order: np.ndarray, config: LinkConfig) -> np.ndarray:
    """The cosine of every merged candidate pair (float32, in merged's order)."""
    out = np.empty(len(merged), dtype=np.float32)
    for start in range(0, len(merged), config.chunk):
        part = merged[start:start + config.chunk]
        out[start:start + len(part)] = pair_cosines(vectors, _decode(part, order))
    return out


def iter_links(matrix: np.ndarray, table: ClaimTable, *, config: LinkConfig = LinkConfig()) -> Iterator[dict]:
    """Links among the claims of `table`, one at a time (sorted by (a, b)), given one unit-length
    row of `matrix` per claim."""
    yield from stream_links(matrix, table, config=config)


def cosine_floor(config: LinkConfig) -> float:
    """The lowest cosine any test accepts: below it only a near-verbatim repeat can link."""
    return min(config.paraphrase_min_sim, config.numeric_repeat_min_sim, config.numeric_exact_repeat_min_sim,
               config.numeric_change_min_sim, config.negation_min_sim)


def judge_pairs(vectors, table: ClaimTable, pairs: np.ndarray, found_by: np.ndarray, *,
                config: LinkConfig = LinkConfig()) -> Iterator[dict]:
    """Judge candidate pairs (from candidate_pairs) in chunks, in the order given;
    research/tune_links.py calls this with candidates found once for a grid of thresholds."""
    vectors = as_vectors(vectors)
    for start in range(0, len(pairs), config.chunk):
        chunk = pairs[start:start + config.chunk]
        yield from judge_scored(table, chunk, found_by[start:start + config.chunk], pair_cosines(vectors, chunk),
                                config)


def judge_scored(table: ClaimTable, pairs: np.ndarray, found_by: np.ndarray, cosines: np.ndarray,
                 config: LinkConfig = LinkConfig()) -> Iterator[dict]:
    """Judge candidate pairs whose cosines are known, in the order given: with the pair model
    (pairs.py) when config asks for it and one is shipped, else with the rules alone."""
    model = _pair_model(config)
    if model is not None and config.pair_model == "judge":
        yield from _judge_with_model(model, table, pairs, found_by, cosines, config)
        return
    # below every similarity threshold only a near-verbatim repeat (found by LSH) can link
    keep = (cosines >= cosine_floor(config)) | ((found_by & SOURCE_LSH) > 0)
    pairs, found_by, cosines = pairs[keep], found_by[keep], cosines[keep]
    linked = []
    for (i, j), cos, mask in zip(pairs.tolist(), cosines.tolist(), found_by.tolist()):
        row = judge(table, i, j, cos, config)
        if row is not None:
            row["found_by"] = list(_FOUND_BY[mask])
            linked.append((i, j, cos, mask, row))
    if model is not None:
        _model_scores(model, table, linked, config)
    for *_, row in linked:
        yield row


def _pair_model(config: LinkConfig):
    if config.pair_model not in ("score", "judge", "off"):
        raise ValueError(f"LinkConfig.pair_model: {config.pair_model!r}; expected score, judge or off")
    if config.pair_model == "off":
        return None
    from .pairs import load_pair_model

    return load_pair_model(config.pair_model_dir)


def _model_scores(model, table: ClaimTable, linked: list, config: LinkConfig) -> None:
    """Give each rule link the model's probability that the pair is linked as its score (the
    rule's own score stays as rule_score)."""
    if not linked:
        return
    from .pairs import pair_evidence

    evidence = [pair_evidence(table, i, j, cos, mask, config, rule=row) for i, j, cos, mask, row in linked]
    proba = model.proba(np.array([e.features for e in evidence], dtype=np.float64))
    for (*_, row), ev, p in zip(linked, evidence, proba.tolist()):
        row["rule_score"] = row["score"]
        row["score"] = round(float(p), 4)


def _judge_with_model(model, table: ClaimTable, pairs: np.ndarray, found_by: np.ndarray, cosines: np.ndarray,
                      config: LinkConfig) -> Iterator[dict]:
    """The model's links among the pairs, in their order: features and decisions a batch at a time
    as arrays (pair_arrays.py, equal to pairs.pair_evidence and pairs.decide pair by pair); only
    the rules' candidate links and the links themselves are Python, pair by pair."""
    from .pair_arrays import batch_decide, batch_evidence, batch_links, columns

    keep = (cosines >= config.model_min_sim) | ((found_by & SOURCE_LSH) > 0)
    pairs, found_by, cosines = pairs[keep], found_by[keep], cosines[keep]
    cols, cache = columns(table), {}
    step = _MODEL_BATCH  # this many pairs at a time: memory stays flat in the chunk size
    for start in range(0, len(pairs), step):
        mask = found_by[start:start + step]
        ev = batch_evidence(table, pairs[start:start + step], cosines[start:start + step], mask, config, cols, cache)
        proba = model.proba(ev.features)
        yield from batch_links(table, ev, proba, batch_decide(ev, proba, model, config), mask, _FOUND_BY,
                               config.min_score)


def link_from_embeddings(matrix: np.ndarray, table: ClaimTable, *, config: LinkConfig = LinkConfig()) -> list[dict]:
    """Links among the claims of `table`, given one unit-length row of `matrix` per claim,
    sorted by (a, b) (a list: for tests and small inputs)."""
    return sorted(stream_links(matrix, table, config=config), key=lambda r: (r["a"], r["b"]))


def build_links(claims, quantities, entities, documents, *, embed: Embed | None = None,
                config: LinkConfig = LinkConfig()) -> list[dict]:
    """Cross-document links among the claims of a run (rows of claims/quantities/entities/
    documents.jsonl, as lists of dicts or DataFrames). `embed(texts)` gives unit-length vectors;
    by default the packaged sentence encoder on the CPU."""
    table = claim_table(claims, quantities, entities, documents, config=config)
    if len(table) < 2:
        return []
    vectors = embed_vectors(table.texts, embed or _default_embed(), config)
    return sorted(stream_links(vectors, table, config=config), key=lambda r: (r["a"], r["b"]))


def table_for_out_dir(out_dir: str | Path, *, config: LinkConfig = LinkConfig()) -> ClaimTable:
    """The claim table of a finished `claims run` folder (what links_for_out_dir links), read
    column by column from its JSONL files."""
    from ..engine.outputs import check_out_dir
    from .table import table_from_files

    return table_from_files(check_out_dir(out_dir), config=config)


def iter_out_dir_links(out_dir: str | Path, *, embed: Embed | None = None,
                       config: LinkConfig = LinkConfig()) -> Iterator[dict]:
    """The links of a finished `claims run` folder, one at a time in (a, b) order.

    In phases, so that the big things of the link step never sit in memory together: candidates
    from a light index of the claims (ids, documents, measure blocks) with the ANN index, which is
    then dropped; the cosine of every candidate pair, after which the vectors are dropped; and
    only then the full claim table, for the judging."""
    from ..engine.outputs import check_out_dir
    from .table import claim_index_from_files, table_from_files

    folder = check_out_dir(out_dir)
    light = claim_index_from_files(folder, config=config)
    if len(light) < 2:
        return
    rank = id_rank(light.ids)
    crowds = find_crowds(light.crowd_keys, light.doc_codes, rank, config)
    work, rank = _linked_part(light, rank, crowds)  # a crowd's copies are not even encoded
    vectors = embed_vectors(work.texts, embed or _default_embed(), config, spill_dir=str(folder))
    sources = similarity_sources(vectors, work.texts, work.doc_codes, rank, config, work.words)
    sources[SOURCE_BLOCK] = block_codes(work.block_keys, work.doc_codes, config.max_bucket, rank, work.block_order,
                                        config.block_window)
    del work
    merged = merge_sources(sources)
    cosines = merged_cosines(vectors, merged, _by_rank(rank), config)
    order = _claim_order(rank, crowds)
    del vectors, rank
    table = table_from_files(folder, config=config)
    if table.ids != light.ids or table.block_keys != light.block_keys:
        raise ValueError(f"{folder / 'claims.jsonl'} changed while its claims were being linked")
    del light
    yield from _with_copies(_judge_merged(None, table, merged, order, config, cosines), crowds, table)


def candidates_for_out_dir(out_dir: str | Path, *, embed: Embed | None = None,
                           config: LinkConfig = LinkConfig()) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The candidate pairs the link step of a finished run judges: (claim ids, (P, 2) indices
    into them, the bitmask of the sources that found each), for `claims eval`'s candidate recall.
    A crowd's copy links come last, each (representative, copy) with bitmask 0."""
    from ..engine.outputs import check_out_dir
    from .table import claim_index_from_files

    folder = check_out_dir(out_dir)
    light = claim_index_from_files(folder, config=config)
    if len(light) < 2:
        return light.ids, np.zeros((0, 2), dtype=np.int32), np.zeros(0, dtype=np.int8)
    rank = id_rank(light.ids)
    crowds = find_crowds(light.crowd_keys, light.doc_codes, rank, config)
    work, rank = _linked_part(light, rank, crowds)
    vectors = embed_vectors(work.texts, embed or _default_embed(), config, spill_dir=str(folder))
    merged = candidate_codes(vectors, work.texts, work.block_keys, work.doc_codes, rank, config, work.block_order,
                             work.words)
    pairs = _decode(merged, _claim_order(rank, crowds))
    masks = (merged & ((1 << SOURCE_BITS) - 1)).astype(np.int8)
    if crowds:
        pairs = np.concatenate((pairs, np.stack([crowds.reps, crowds.copies], axis=1).astype(pairs.dtype)))
        masks = np.concatenate((masks, np.zeros(len(crowds.copies), dtype=np.int8)))
    return light.ids, pairs, masks


def links_for_out_dir(out_dir: str | Path, *, embed: Embed | None = None,
                      config: LinkConfig = LinkConfig()) -> list[dict]:
    """build_links over the files of a finished `claims run` folder, as a sorted list."""
    return list(iter_out_dir_links(out_dir, embed=embed, config=config))


def write_links(folder: str | Path, *, embed: Embed | None = None, config: LinkConfig = LinkConfig()) -> int:
    """Link the claims of the finished tables in `folder` (a run's output folder, or
    `OutputWriter.finish_tables()`'s) and write `folder/links.jsonl` as the links are judged
    (sorted by (a, b)); returns the number of links."""
    count = 0
    encode = json.JSONEncoder(ensure_ascii=False).encode  # what json.dumps(link, ensure_ascii=False) builds per call
    with open(Path(folder) / "links.jsonl", "w", encoding="utf-8", buffering=1 << 20) as handle:
        for link in iter_out_dir_links(folder, embed=embed, config=config):
            handle.write(encode(link) + "\n")
            count += 1
    return count


__all__ = ["Vectors", "build_links", "iter_links", "link_from_embeddings", "links_for_out_dir", "stream_links",
           "write_links"]
