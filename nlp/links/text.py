"""Text relations between two claims: word overlap, negation cues, measure agreement.

Everything here works on plain strings and frozensets so a pair is judged in microseconds.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .resources import Resources

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_NUMBERISH = re.compile(r"\d")


_SUFFIXES = (("ments", ""), ("ment", ""), ("ings", ""), ("ing", ""), ("ies", "y"), ("ied", "y"), ("ed", ""),
             ("es", ""), ("s", ""))


@lru_cache(maxsize=1 << 17)  # a corpus has far fewer distinct words; a million claims stem each word many times
def _stem(word: str) -> str:
    """A light suffix stripper: enough for `vacancies`/`vacancy`, `invested`/`investment`,
    `CRCs`/`CRC`; words of four letters or fewer are left alone."""
    if len(word) <= 4 or word.endswith("ss"):
        return word
    for suffix, repl in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)] + repl
    return word


def words(text: str) -> list[str]:
    """Lower-cased word tokens (numbers are left to numeric reasoning)."""
    return _WORD.findall(text.lower().replace("’", "'"))


def fold_aliases(text: str, res: Resources) -> str:
    """Lower-cased text with every alias of a name as its one token (`Community Rehabilitation
    Companies (CRCs)` -> `crc (crc)`), so a name and its acronym count as the same word."""
    lower = text.lower().replace("’", "'")
    return res.alias_re.sub(lambda m: res.alias_of[m.group(0)], lower)


def content_words(text: str, res: Resources) -> frozenset[str]:
    """Stemmed words that carry meaning: no stopwords, no negation cues; names folded."""
    return frozenset(_stem(w) for w in words(fold_aliases(text, res))
                     if w not in res.stopwords and w not in res.negation_cues and len(w) > 1)


def populations(text: str, res: Resources) -> frozenset[str]:
    """The sub-populations a sentence names (`adult`, `youth`, `women`)."""
    return frozenset(label for label, pattern in res.population_res if pattern.search(text))


def has_sample_cue(text: str, res: Resources, tokens: list[str] | None = None) -> bool:
    """The sentence counts a sample (`inspected`, `interviewed`), not a whole population.
    `tokens`: words(text), when the caller has them (also below)."""
    return not res.sample_cues.isdisjoint(words(text) if tokens is None else tokens)


def negation_count(text: str, res: Resources, tokens: list[str] | None = None) -> int:
    return sum(w in res.negation_cues or w.endswith("n't") for w in (words(text) if tokens is None else tokens))


def negated_words(text: str, res: Resources, tokens: list[str] | None = None) -> frozenset[str]:
    """The first content word after each negation cue, stemmed: what the cue negates (`will not
    improve` -> improve, `cannot lose` -> lose, `not true to say` -> true)."""
    found, pending = set(), False
    for w in words(text) if tokens is None else tokens:
        if w in res.negation_cues or w.endswith("n't"):
            pending = True
        elif pending and w not in res.stopwords and len(w) > 1:
            found.add(_stem(w))
            pending = False
    return frozenset(found)


def jaccard(a: frozenset, b: frozenset) -> float:
    if not a or not b:
        return 0.0
    inter = len(a & b)
    return inter / (len(a) + len(b) - inter)


def overlap(a: frozenset, b: frozenset) -> float:
    """Overlap coefficient: shared words over the shorter side (a short measure phrase inside a
    longer one counts as agreement)."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def shingles(text: str, n: int) -> list[bytes]:
    """Word n-grams of the lower-cased text (numbers kept: verbatim repeats keep their figures)."""
    tokens = re.findall(r"[a-z0-9]+", text.lower())
    if len(tokens) < n:
        return [" ".join(tokens).encode()] if tokens else []
    return [" ".join(tokens[i:i + n]).encode() for i in range(len(tokens) - n + 1)]


def measure_words(measure: str | None, context: str, res: Resources) -> frozenset[str]:
    """The words naming what a figure measures: its `measure` phrase, else the words around it."""
    if measure and not _NUMBERISH.search(measure):
        found = content_words(measure, res)
        if found:
            return found
    return content_words(context, res)


def context_window(text: str, span: str, *, before: int = 3, after: int = 5) -> str:
    """The words around `span` inside `text` (a figure's neighbourhood when it has no measure)."""
    pos = text.find(span)
    if pos < 0:
        return ""
    left = text[:pos].split()[-before:]
    right = text[pos + len(span):].split()[:after]
    return " ".join(left + right)
