"""Character windows of a few words around a match: what a neural component needs to see of a
sentence to read the words in the middle (nlp/components/analysis.py runs spaCy on them)."""

from __future__ import annotations

import functools
import re


def word_window(text: str, start: int, end: int, lo: int, hi: int, words: int) -> tuple[int, int]:
    """(start, end) widened by up to `words` whitespace-separated words each side, within [lo, hi)."""
    before = _words_before(words).search(text, max(lo, start - 40 * words), start)
    after = _words_after(words).match(text, end, hi)
    return (before.start() if before else start), (after.end() if after else end)


@functools.lru_cache(maxsize=8)
def _words_before(n: int) -> re.Pattern:
    return re.compile(r"(?:\S+\s+){1,%d}$" % n)


@functools.lru_cache(maxsize=8)
def _words_after(n: int) -> re.Pattern:
    return re.compile(r"(?:\s+\S+){1,%d}" % n)
