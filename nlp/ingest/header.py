"""The optional metadata header of a plain-text document (SPEC §1).

A header is a block of ``key: value`` lines at the very start of the file, ended by a line
``---``. Its keys become document metadata and it is not part of the text.
"""

from __future__ import annotations

import re

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


def normalise_newlines(text: str) -> str:
    """Windows and old Mac line ends become ``\\n`` so offsets mean the same on every platform."""
    return text.replace("\r\n", "\n").replace("\r", "\n")
