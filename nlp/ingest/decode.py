"""Bytes to text: BOMs, UTF-8, cp1252 and friends; binary files refused with a reason."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

from ..errors import Errors, InputError

_SNIFF = 8192
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _looks_binary(head: bytes) -> str | None:
    if b"\x00" in head:
        return "contains NUL bytes"
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    if head and control / len(head) > 0.05:
        return f"{control} control bytes in the first {len(head)}"
    return None


def decode_bytes(data: bytes, path: str) -> str:
    """Decode a document's bytes; raise InputError naming the file when it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding)
    reason = _looks_binary(data[:_SNIFF])
    if reason:
        raise InputError(Errors.E003.format(path=path, reason=reason), path=path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    # Most non-UTF-8 text here is Windows-1252 (UK public documents); trust it when it decodes
    # cleanly, else ask charset-normalizer.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise InputError(Errors.E004.format(path=path), path=path) from None
        return str(best)
