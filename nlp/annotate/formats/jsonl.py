"""The project's gold JSONL: one file per document, one record per sentence and per span."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ...gold.sources import GoldDrift, MissingDocument, with_text
from ...records import doc_id_problem
from ..errors import AnnotateErrors, AnnotationError
from ..gold import gold_records, import_records
from ..store import Store


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def export(store: Store, out: Path, *, annotator: str | None = None,
           unfinished: bool = False) -> dict[str, int]:
    ties: list = []
    left_out: list = []
    records = gold_records(store, annotator=annotator, ties=ties, unfinished=unfinished, left_out=left_out)
    if not records:
        raise AnnotationError(AnnotateErrors.A014)
    for doc_id, rows in sorted(records.items()):
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        write_atomic(confined(out, f"{doc_id}.jsonl"), text)
    return {"documents": len(records), "records": sum(map(len, records.values())), "ties": len(ties),
            "left_out": len(left_out)}


def confined(folder: Path, name: str) -> Path:
    """folder/name, refused unless it is a plain file name inside folder (ids come from imports)."""
    path = folder / name
    if doc_id_problem(name) or path.resolve().parent != folder.resolve():
        raise AnnotationError(AnnotateErrors.A012.format(path=folder, where=name, reason="not a safe file name"))
    return path


def read_records(path: Path) -> list[dict]:
    files = sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    records = []
    for file in files:
        for line_no, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise AnnotationError(AnnotateErrors.A012.format(path=file, where=line_no, reason=exc.msg)) from exc
            records.append(_with_page_text(record, file, line_no))
    return records


def _with_page_text(record, file: Path, line_no: int):
    """A gold record that names its span by offsets and hash gets the text from its page."""
    if not isinstance(record, dict) or "text" in record or "hash" not in record:
        return record
    try:
        return with_text(record)
    except (MissingDocument, GoldDrift, KeyError, TypeError) as exc:
        raise AnnotationError(AnnotateErrors.A012.format(path=file, where=line_no, reason=f"span text: {exc}")) from exc


def load(store: Store, path: Path, *, annotator: str | None = None) -> dict[str, int]:
    return import_records(store, read_records(path), source=f"jsonl:{path.name}", default_annotator=annotator)
