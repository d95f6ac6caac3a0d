"""The optional metadata header of a plain-text document (SPEC §1).

A header is a block of ``key: value`` lines at the very start of the file, ended by a line
``---``. Its keys become document metadata and it is not part of the text. A header with nothing
after it may name where the text lies instead (``text_file:``, relative to the header's file): our
metadata for someone else's page stays in the repository, their text where it came from.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import Errors, InputError

_KEY_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_-]{0,40}):[ \t]*(.*?)[ \t]*$")
_MAX_HEADER_LINES = 60  # a header is short; a longer "header" is text that happens to have colons


def split_header(raw: str) -> tuple[dict[str, str], str]:
    """Return ``(metadata, text)``; ``({}, raw)`` when the file has no well-formed header."""
    lines = raw.split("\n", _MAX_HEADER_LINES + 1)
    meta: dict[str, str] = {}
    for i, line in enumerate(lines[: _MAX_HEADER_LINES + 1]):
        if line.rstrip() == "---":
            if not meta:
                return {}, raw
            return meta, "\n".join(lines[i + 1 :])
        match = _KEY_LINE.match(line)
        if match is None:
            return {}, raw
        key, value = match.group(1).lower(), match.group(2)
        if value:
            meta[key] = value
    return {}, raw


TEXT_FILE = "text_file"


def header_text(meta: dict[str, str], text: str, path: str | Path) -> str:
    """The document's text: `text`, or the file the header's `text_file` names (read as UTF-8)."""
    target = meta.get(TEXT_FILE)
    if target is None:
        return text
    where = Path(path).parent / target
    if text.strip():
        raise InputError(Errors.E025.format(path=path, target=target, reason="the file has text of its own"),
                         path=str(path))
    try:
        return normalise_newlines(where.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise InputError(Errors.E025.format(path=path, target=where, reason=reason), path=str(path)) from None


def normalise_newlines(text: str) -> str:
    """Windows and old Mac line ends become ``\\n`` so offsets mean the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
