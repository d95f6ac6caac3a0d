"""Output files written atomically: rows stream into a hidden temporary folder inside the output
folder and each file is moved into place only when the run completes. An interrupted run leaves
the previous outputs as they were.

Rows are always streamed as JSONL first; with ``output_format="parquet"`` each finished table is
converted (streaming, in row groups) to ``NAME.parquet`` just before the files are moved into place.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO

FORMATS = ("jsonl", "parquet")


class OutputWriter:
    def __init__(self, out_dir: str | Path, names: tuple[str, ...], *, output_format: str = "jsonl") -> None:
        self.out_dir = Path(out_dir)
        self.names = tuple(names)
        self.output_format = output_format
        self._tmp: Path | None = None
        self._files: dict[str, IO[str]] = {}
        self.counts = dict.fromkeys(names, 0)

    def __enter__(self) -> "OutputWriter":
        self.out_dir.mkdir(parents=True, exist_ok=True)
        remove_partials(self.out_dir)
        self._tmp = Path(tempfile.mkdtemp(prefix=".partial-", dir=self.out_dir))
        self._files = {name: open(self._tmp / f"{name}.jsonl", "w", encoding="utf-8") for name in self.names}
        return self

    def write(self, name: str, rows: list[dict]) -> None:
        handle = self._files[name]
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False))
            handle.write("\n")
        self.counts[name] += len(rows)

    def write_json(self, name: str, data: dict) -> None:
        """A small JSON side file (run summary), moved into place with the rest."""
        (self._tmp / name).write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")

    def finish_tables(self) -> Path:
        """Close the row files; returns the folder holding the finished NAME.jsonl tables, where a
        corpus-level step may read them and add tables of its own (see `add_table`)."""
        for handle in self._files.values():
            handle.close()
        return self._tmp

    def add_table(self, name: str) -> None:
        """Declare a table a corpus-level step wrote as NAME.jsonl into `finish_tables()`'s folder."""
        if name not in self.names:
            self.names += (name,)

    def __exit__(self, exc_type, exc, tb) -> None:
        for handle in self._files.values():
            handle.close()
        try:
            if exc_type is None:
                self._commit()
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def _commit(self) -> None:
        if self.output_format == "parquet":
            from .parquet import jsonl_to_parquet

            for name in self.names:
                source = self._tmp / f"{name}.jsonl"
                jsonl_to_parquet(source, self._tmp / f"{name}.parquet")
                source.unlink()
        for path in self._tmp.iterdir():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(path, self.out_dir / path.name)


def remove_partials(out_dir: str | Path) -> None:
    """Temporary folders a killed run left behind (never holding anything committed)."""
    for path in Path(out_dir).glob(".partial-*"):
        shutil.rmtree(path, ignore_errors=True)


def remove_stale(out_dir: str | Path, names: tuple[str, ...], *, keep_format: str = "jsonl") -> None:
    """Outputs of an earlier run that this run does not write are removed, so no folder mixes runs:
    tables not written this time, and every table in the other format."""
    out = Path(out_dir)
    for fmt in FORMATS:
        for name in names:
            (out / f"{name}.{fmt}").unlink(missing_ok=True)
    for fmt in FORMATS:
        if fmt != keep_format:
            for path in out.glob(f"*.{fmt}"):
                path.unlink()
