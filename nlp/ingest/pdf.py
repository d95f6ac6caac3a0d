"""Text layer of a PDF (pypdf); a PDF of scanned images has none and is reported."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import PdfReadError

from ..errors import Errors, InputError


def pdf_to_text(data: bytes, path: str) -> tuple[str, dict[str, str]]:
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InputError(Errors.E001.format(path=path, reason=f"broken PDF ({exc})"), path=path) from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text.strip():
        raise InputError(Errors.E007.format(path=path), path=path)
    meta = {}
    info = reader.metadata
    if info is not None and info.title:
        meta["title"] = str(info.title)
    return text + "\n", meta
