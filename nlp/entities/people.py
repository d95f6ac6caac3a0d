"""Surname and first-name resolution within one document.

Once a person is named in full (``Justin Russell``), a later ``Russell`` or ``Mr Russell`` is the
same person; so is a later ``Jim`` once ``Jim Barton`` has been named, if no one else named so far
shares the name. A word also written in lower case in the document (``Senior``, ``Will``) is
never resolved, nor one that runs into another capitalised word (``Senior Responsible Officer``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .matcher import Candidate
from .normalise import strip_titles

_NEXT_CAPITALISED = re.compile(r"[ \t]+[A-Z][a-z]")
_PREV_WORD = re.compile(r"([A-Za-z][\w.’'-]*)[ \t]+$")


def resolve_people(text: str, people: Iterable[Candidate], *, titles: Iterable[str],
                   lower_words: set[str]) -> list[Candidate]:
    """Candidates for bare surnames and first names of people named in full earlier in ``text``."""
    titles = set(titles)
    keys: dict[str, list[tuple[int, str, str]]] = {}  # name word -> [(where named in full, id, source)]
    for person in sorted(people, key=lambda c: c.start):
        words = strip_titles(text[person.start:person.end].split(), titles)
        if len(words) < 2:
            continue
        for word in {words[0], words[-1]}:
            word = word.title() if word.isupper() else word
            if len(word) >= 3 and word.lower() not in lower_words:
                keys.setdefault(word, []).append((person.end, person.entity_id, person.emit or person.source))
    if not keys:
        return []
    pattern = re.compile(r"(?<![\w’'-])(" + "|".join(map(re.escape, sorted(keys, key=len, reverse=True))) + r")(?![\w-])")
    out: list[Candidate] = []
    for m in pattern.finditer(text):
        earlier = {pid: source for pos, pid, source in keys[m.group(1)] if pos <= m.start()}
        if len(earlier) != 1 or _NEXT_CAPITALISED.match(text, m.end()):
            continue
        prev = _PREV_WORD.search(text, max(0, m.start() - 40), m.start())
        if prev and prev.group(1)[:1].isupper() and prev.group(1) not in titles and prev.group(1)[-1] not in ".!?:;":
            continue
        (pid, source), = earlier.items()
        out.append(Candidate(m.start(), m.end(), "PERSON", pid, "person", emit=source))
    return out
