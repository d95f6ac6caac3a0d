"""Reading a `claims run` output folder back: one loader for the report, eval and annotation tools."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from ..errors import Errors, InputError


def iter_rows(out_dir: str | Path, name: str) -> Iterator[dict]:
    path = Path(out_dir) / f"{name}.jsonl"
    if not path.exists():
        return
    with open(path, encoding="utf-8") as handle:
        for line_no, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(Errors.E011.format(path=path, line=line_no, reason=exc.msg), path=str(path)) from exc


def load_rows(out_dir: str | Path, name: str, *, required: bool = False) -> list[dict]:
    path = Path(out_dir) / f"{name}.jsonl"
    if required and not path.exists():
        raise InputError(Errors.E010.format(path=out_dir, name=path.name), path=str(out_dir))
    return list(iter_rows(out_dir, name))


def check_out_dir(out_dir: str | Path) -> Path:
    out = Path(out_dir)
    if not (out / "documents.jsonl").exists():
        raise InputError(Errors.E010.format(path=out, name="documents.jsonl"), path=str(out))
    return out
