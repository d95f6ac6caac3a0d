"""Corpus-level entry points: tables in, SPEC §6 link rows out."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from .candidates import SOURCE_LSH, SOURCE_NAMES, candidate_pairs, pair_cosines
from .config import LinkConfig
from .scoring import judge
from .table import ClaimTable, claim_table

Embed = Callable[[Sequence[str]], np.ndarray]


_FOUND_BY = tuple(tuple(name for bit, name in SOURCE_NAMES.items() if mask & bit) for mask in range(8))


def iter_links(matrix: np.ndarray, table: ClaimTable, *, config: LinkConfig = LinkConfig()) -> Iterator[dict]:
    """Links among the claims of `table`, one at a time (in candidate order), given one
    unit-length row of `matrix` per claim. For corpora whose links do not fit in memory."""
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    if len(matrix) != len(table):
        raise ValueError(f"{len(matrix)} vectors for {len(table)} claims")
    if len(table) < 2:
        return
    pairs, found_by = candidate_pairs(matrix, table.texts, table.block_keys, table.doc_codes, config)
    yield from judge_pairs(matrix, table, pairs, found_by, config=config)


def cosine_floor(config: LinkConfig) -> float:
    """The lowest cosine any test accepts: below it only a near-verbatim repeat can link."""
    return min(config.paraphrase_min_sim, config.numeric_repeat_min_sim, config.numeric_exact_repeat_min_sim,
               config.numeric_change_min_sim, config.negation_min_sim)


def judge_pairs(matrix: np.ndarray, table: ClaimTable, pairs: np.ndarray, found_by: np.ndarray, *,
                config: LinkConfig = LinkConfig()) -> Iterator[dict]:
    """Judge candidate pairs (from candidate_pairs) in chunks; scripts/tune_links.py calls this
    with candidates found once for a grid of thresholds."""
    floor = cosine_floor(config)
    for start in range(0, len(pairs), config.chunk):
        chunk, masks = pairs[start:start + config.chunk], found_by[start:start + config.chunk]
        cosines = pair_cosines(matrix, chunk)
        # below every similarity threshold only a near-verbatim repeat (found by LSH) can link
        keep = (cosines >= floor) | ((masks & SOURCE_LSH) > 0)
        chunk, masks, cosines = chunk[keep], masks[keep], cosines[keep]
        for (i, j), cos, mask in zip(chunk.tolist(), cosines.tolist(), masks.tolist()):
            row = judge(table, i, j, cos, config)
            if row is not None:
                row["found_by"] = list(_FOUND_BY[mask])
                yield row


def link_from_embeddings(matrix: np.ndarray, table: ClaimTable, *, config: LinkConfig = LinkConfig()) -> list[dict]:
    """Links among the claims of `table`, given one unit-length row of `matrix` per claim,
    sorted by (a, b)."""
    return sorted(iter_links(matrix, table, config=config), key=lambda r: (r["a"], r["b"]))


def build_links(claims, quantities, entities, documents, *, embed: Embed | None = None,
                config: LinkConfig = LinkConfig()) -> list[dict]:
    """Cross-document links among the claims of a run (rows of claims/quantities/entities/
    documents.jsonl, as lists of dicts or DataFrames). `embed(texts)` gives unit-length vectors;
    by default the packaged all-MiniLM-L6-v2 on the CPU."""
    table = claim_table(claims, quantities, entities, documents, config=config)
    if len(table) < 2:
        return []
    if embed is None:
        from .embed import embed as default_embed

        embed = default_embed
    return link_from_embeddings(embed(table.texts), table, config=config)


def table_for_out_dir(out_dir: str | Path, *, config: LinkConfig = LinkConfig()) -> ClaimTable:
    """The claim table of a finished `claims run` folder (what links_for_out_dir links)."""
    from ..outputs import check_out_dir, load_rows

    out = check_out_dir(out_dir)
    return claim_table(load_rows(out, "claims"), load_rows(out, "quantities"), load_rows(out, "entities"),
                       load_rows(out, "documents"), config=config)


def links_for_out_dir(out_dir: str | Path, *, embed: Embed | None = None,
                      config: LinkConfig = LinkConfig()) -> list[dict]:
    """build_links over the files of a finished `claims run` folder."""
    table = table_for_out_dir(out_dir, config=config)
    if len(table) < 2:
        return []
    if embed is None:
        from .embed import embed as default_embed

        embed = default_embed
    return link_from_embeddings(embed(table.texts), table, config=config)


def write_links(folder: str | Path, *, embed: Embed | None = None, config: LinkConfig = LinkConfig()) -> int:
    """Link the claims of the finished tables in `folder` (a run's output folder, or
    `OutputWriter.finish_tables()`'s) and write `folder/links.jsonl`; returns the number of links."""
    import json

    links = links_for_out_dir(folder, embed=embed, config=config)
    with open(Path(folder) / "links.jsonl", "w", encoding="utf-8") as handle:
        for link in links:
            handle.write(json.dumps(link, ensure_ascii=False))
            handle.write("\n")
    return len(links)
