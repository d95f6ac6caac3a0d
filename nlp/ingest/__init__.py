"""Reading a corpus: files and folders in, `Document`s (or one-line errors) out, one at a time."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import Errors, InputError
from ..records import Document
from .decode import decode_bytes
from .header import normalise_newlines, split_header
from .html import html_to_text
from .metadata import infer_date, infer_title, normalise_kind
from .pdf import pdf_to_text

SUFFIXES = {".txt", ".md", ".html", ".htm", ".pdf", ".jsonl"}
_META_KEYS = ("title", "kind", "date", "url", "author")


def discover(inputs: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """Every readable file under the inputs, in a stable order; missing paths as errors."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in SUFFIXES and not any(part.startswith(".") for part in child.relative_to(path).parts):
                    yield child
        elif path.is_file():
            yield path
        else:
            yield InputError(Errors.E009.format(path=path), path=str(path))


def read_documents(inputs: Iterable[str | Path]) -> Iterator[Document | InputError]:
    """Documents in input order; a file that cannot be read yields its InputError and the rest go on."""
    for found in discover(inputs):
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
    extra = {k: v for k, v in meta.items() if k not in _META_KEYS and k != "doc_id" and k != "text"}
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
    doc_id = str(record.get("doc_id") or f"{path.stem}-{line_no}")
    meta = {k: v for k, v in record.items() if k != "text" and v is not None}
    return make_document(record["text"], meta, doc_id=doc_id, source=where)
