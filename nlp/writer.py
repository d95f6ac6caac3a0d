"""Output files written atomically: rows stream into a hidden temporary folder inside the output
folder and each file is moved into place only when the run completes. An interrupted run leaves
the previous outputs as they were."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import IO


class OutputWriter:
    def __init__(self, out_dir: str | Path, names: tuple[str, ...]) -> None:
        self.out_dir = Path(out_dir)
        self.names = names
        self._tmp: Path | None = None
        self._files: dict[str, IO[str]] = {}
        self.counts = dict.fromkeys(names, 0)

    def __enter__(self) -> "OutputWriter":
        self.out_dir.mkdir(parents=True, exist_ok=True)
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

    def __exit__(self, exc_type, exc, tb) -> None:
        for handle in self._files.values():
            handle.close()
        try:
            if exc_type is None:
                self._commit()
        finally:
            shutil.rmtree(self._tmp, ignore_errors=True)

    def _commit(self) -> None:
        for path in self._tmp.iterdir():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
            os.replace(path, self.out_dir / path.name)


def remove_stale(out_dir: str | Path, names: tuple[str, ...]) -> None:
    """Outputs of an earlier run that this run does not write are removed, so no folder mixes runs."""
    for name in names:
        (Path(out_dir) / f"{name}.jsonl").unlink(missing_ok=True)
