"""A finished JSONL table to Parquet, streaming: memory is bounded by one row group, not the table.

Two passes over the file: the first unifies the schema of every chunk (a field that is null in
the first rows and a string later, metadata keys only some documents have), the second writes the
row groups with that schema. `pandas.read_parquet` and `datasets.load_dataset("parquet", ...)`
read the result directly.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

ROWS_PER_GROUP = 20_000


def _chunks(path: Path, size: int) -> Iterator[list[dict]]:
    chunk = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                chunk.append(json.loads(line))
                if len(chunk) >= size:
                    yield chunk
                    chunk = []
    if chunk:
        yield chunk


def jsonl_to_parquet(source: Path, target: Path, *, rows_per_group: int = ROWS_PER_GROUP) -> int:
    """Convert; returns the number of rows written."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = None
    for chunk in _chunks(source, rows_per_group):
        found = pa.Table.from_pylist(chunk).schema
        schema = found if schema is None else pa.unify_schemas([schema, found], promote_options="permissive")
    if schema is None:
        pq.write_table(pa.table({}), target)
        return 0
    rows = 0
    with pq.ParquetWriter(target, schema) as writer:
        for chunk in _chunks(source, rows_per_group):
            writer.write_table(pa.Table.from_pylist(chunk, schema=schema))
            rows += len(chunk)
    return rows
