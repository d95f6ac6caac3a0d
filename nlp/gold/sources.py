"""Where an annotated document's text comes from.

The project's own seed documents live in `corpus/`; the pages other people wrote live in
`../shared/corpus/` and `../shared/pool/` beside the checkout and are read from there, never
copied into the repository. A document id is the page's file name without its extension.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from ..ingest.header import header_text, normalise_newlines, split_header

ROOT = Path(__file__).resolve().parents[2]


def shared_dir() -> Path:
    """`$CLAIMS_SHARED` if set, else `../shared` beside the checkout."""
    return Path(os.environ.get("CLAIMS_SHARED") or ROOT.parent / "shared")


def source_dirs() -> list[Path]:
    shared = shared_dir()
    return [ROOT / "corpus", shared / "corpus", shared / "pool"]


class MissingDocument(LookupError):
    """A gold record names a page that is not on this machine (`../shared` absent or incomplete)."""


@lru_cache(maxsize=4096)
def doc_path(doc_id: str) -> Path:
    if not doc_id or "/" in doc_id or "\\" in doc_id or doc_id.startswith("."):
        raise MissingDocument(f"{doc_id!r}: not a document id")
    for folder in source_dirs():
        for suffix in (".txt", ".md"):
            path = folder / f"{doc_id}{suffix}"
            if path.is_file():
                return path
    raise MissingDocument(f"{doc_id}: no such page in {', '.join(str(d) for d in source_dirs())}")


def is_page(doc_id: str) -> bool:
    """Whether the document is one of the pages under corpus/ or ../shared/ on this machine."""
    try:
        doc_path(doc_id)
    except MissingDocument:
        return False
    return True


@lru_cache(maxsize=512)
def doc_meta_text(doc_id: str) -> tuple[dict, str]:
    """The page's header metadata and its text (after the header), as `claims run` reads it."""
    path = doc_path(doc_id)
    meta, text = split_header(normalise_newlines(path.read_text(encoding="utf-8")))
    return meta, header_text(meta, text, path)


def doc_text(doc_id: str) -> str:
    return doc_meta_text(doc_id)[1]


def split_sites(gold_dir: str | Path) -> dict[str, str]:
    """doc_id -> site, as annotations/split.json records it ({} without one): what the split, the
    per-site scores and the grouped cross-validation folds group documents by."""
    path = Path(gold_dir) / "split.json"
    return json.loads(path.read_text(encoding="utf-8")).get("sites", {}) if path.is_file() else {}


def span_hash(text: str) -> str:
    """A short fingerprint of a span, stored in gold records to detect a page that has changed."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


class GoldDrift(ValueError):
    """A gold record's span no longer holds the text it was annotated on (the page changed)."""


def with_text(record: dict) -> dict:
    """The record with `text` looked up from its page (`doc_id`, `start`, `end`), checked against the
    record's `hash` (or its own `text`: a file of documents that are no pages here carries it)."""
    try:
        text = doc_text(record["doc_id"])[record["start"] : record["end"]]
    except MissingDocument:
        if isinstance(record.get("text"), str):
            return record
        raise
    expected = record.get("hash")
    if (expected is not None and span_hash(text) != expected) or record.get("text", text) != text:
        raise GoldDrift(f"{record['doc_id']} [{record['start']}:{record['end']}]: the page no longer holds the "
                        f"annotated text (hash {expected}, found {text[:40]!r})")
    return {**record, "text": text}
