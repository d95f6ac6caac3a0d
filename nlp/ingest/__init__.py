"""Reading a corpus: files and folders in, `Document`s (or one-line errors) out, one at a time."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import Errors, InputError
from ..records import Document, doc_id_problem
from .decode import decode_bytes
from .header import TEXT_FILE, header_text, normalise_newlines, split_header
from .html import html_to_text
from .metadata import infer_date, infer_title, normalise_kind
from .pdf import pdf_to_text

SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".jsonl"}
_META_KEYS = ("title", "kind", "date", "url", "author")


def discover(inputs: Iterable[str | Path], *, exclude: Iterable[str | Path] = (),
             skipped: Counter | None = None) -> Iterator[Path | InputError]:
    """Every readable file under the inputs, in a stable order (by path); missing paths, folders
    that cannot be listed and inputs inside an excluded folder (a run's own output folder) as
    errors. Files of other types inside folders are passed over and counted in `skipped` by suffix."""
    excluded = [Path(p).resolve() for p in exclude]
    for item in inputs:
        path = Path(item)
        inside = next((e for e in excluded if _within(path.resolve(), e)), None)
        if inside is not None:
            yield InputError(Errors.E022.format(path=path, out=inside), path=str(path))
        elif path.is_dir():
            yield from _walk(path, excluded, skipped)
        elif path.is_file():
            yield path
        else:
            yield InputError(Errors.E009.format(path=path), path=str(path))


def _within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _walk(folder: Path, excluded: list[Path], skipped: Counter | None) -> Iterator[Path | InputError]:
    """Depth first, entries by name (the order of sorting every path), hidden entries and excluded
    folders left out; a folder that cannot be listed is an error, not a silent gap."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError as exc:
        yield InputError(Errors.E001.format(path=folder, reason=exc.strerror or exc), path=str(folder))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir = entry.is_dir()
        except OSError as exc:
            yield InputError(Errors.E001.format(path=path, reason=exc.strerror or exc), path=str(path))
            continue
        if is_dir:
            if not any(_within(path.resolve(), e) for e in excluded):
                yield from _walk(path, excluded, skipped)
        elif path.suffix.lower() in SUFFIXES:
            yield path
        elif skipped is not None:
            skipped[path.suffix.lower() or "(no suffix)"] += 1


def read_documents(inputs: Iterable[str | Path], *, exclude: Iterable[str | Path] = (),
                   skipped: Counter | None = None) -> Iterator[Document | InputError]:
    """Documents in input order; a file that cannot be read yields its InputError and the rest go on
    (`exclude`, `skipped`: see `discover`)."""
    for found in discover(inputs, exclude=exclude, skipped=skipped):
        if isinstance(found, InputError):
            yield found
            continue
        try:
            if found.suffix.lower() == ".jsonl":
                yield from _read_jsonl(found)
            else:
                yield _read_file(found)
        except InputError as exc:
            yield exc
        except OSError as exc:
            yield InputError(Errors.E001.format(path=found, reason=exc.strerror or exc), path=str(found))


def make_document(text: str, meta: dict, *, doc_id: str, source: str) -> Document:
    text = normalise_newlines(text)
    kind_raw = meta.get("kind")
    extra = {k: v for k, v in meta.items() if k not in _META_KEYS and k not in ("doc_id", "text", TEXT_FILE)}
    if kind_raw and normalise_kind(kind_raw) != kind_raw:
        extra["kind_raw"] = kind_raw
    return Document(
        doc_id=doc_id,
        text=text,
        title=meta.get("title") or infer_title(text),
        kind=normalise_kind(kind_raw),
        date=str(meta["date"]) if meta.get("date") else infer_date(text),
        url=meta.get("url"),
        author=meta.get("author"),
        source=source,
        extra=extra,
    )


def document_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read_file(path: Path) -> Document:
    data = path.read_bytes()
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(Errors.E008.format(path=path, suffix=suffix), path=str(path))
    if suffix == ".pdf":
        text, meta = pdf_to_text(data, str(path))
    else:
        raw = normalise_newlines(decode_bytes(data, str(path)))
        if suffix in {".html", ".htm"}:
            text, meta = html_to_text(raw)
        else:
            meta, text = split_header(raw)
            text = header_text(meta, text, path)
    if not text.strip():
        raise InputError(Errors.E002.format(path=path), path=str(path))
    return make_document(text, meta, doc_id=path.stem, source=str(path))


def _read_jsonl(path: Path) -> Iterator[Document | InputError]:
    """One document a line, read line by line: a corpus file of any size costs one line of memory."""
    with open(path, "rb") as handle:
        decode_bytes(handle.readline(8192), str(path))  # a file that opens binary is refused whole
        handle.seek(0)
        for line_no, raw_line in enumerate(handle, 1):
            if line_no == 1 and raw_line.startswith(b"\xef\xbb\xbf"):
                raw_line = raw_line[3:]
            if not raw_line.strip():
                continue
            try:
                line = decode_bytes(raw_line, f"{path}:{line_no}")
            except InputError as exc:  # one undecodable line: reported, the rest go on
                yield exc
                continue
            yield _jsonl_record(line, path, line_no)


def _jsonl_record(line: str, path: Path, line_no: int) -> Document | InputError:
    where = f"{path}:{line_no}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(Errors.E005.format(path=path, line=line_no, reason=exc.msg), path=where)
    if not isinstance(record, dict) or not isinstance(record.get("text"), str):
        return InputError(Errors.E006.format(path=path, line=line_no), path=where)
    if not record["text"].strip():
        return InputError(Errors.E002.format(path=where), path=where)
    doc_id = record.get("doc_id")
    doc_id = f"{path.stem}-{line_no}" if doc_id is None or doc_id == "" else doc_id
    doc_id = str(doc_id) if isinstance(doc_id, int) else doc_id
    problem = doc_id_problem(doc_id)
    if problem:
        return InputError(Errors.E024.format(path=path, line=line_no, doc_id=doc_id, reason=problem), path=where)
    meta = {k: v for k, v in record.items() if k != "text" and v is not None}
    return make_document(record["text"], meta, doc_id=doc_id, source=where)
