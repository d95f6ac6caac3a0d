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
from .normalise import make_id, strip_titles

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


_NAME = r"(?:Mc|Mac|O['’])?[A-Z][a-z]+(?:[-'’](?!s(?![a-z]))[A-Z]?[a-z]+)*"  # not a possessive ('s)


class TitledNames:
    """People named with a title of rank that is part of how they are named (SPEC §3): ``Lord Keen
    of Elie``, ``Baroness Browning``, ``Sir Alan Beith``, ``Sir Alan``, ``Dame Glenys Stacey``,
    ``the Rt Hon Lord Faulks`` (span ``Lord Faulks``).

    The title stays in the span; the id drops it where two names remain (``Sir Alan Beith`` ->
    ``alan_beith``, as NER would give ``Alan Beith``) and keeps it otherwise (``lord_faulks``). A
    title followed by an office (``Lord Chancellor``, ``Lady Justice``) is no name.
    """

    def __init__(self, titles: Iterable[str], *, not_names: Iterable[str]) -> None:
        self.titles = tuple(titles)
        self._not_names = frozenset(not_names)
        names = rf"{_NAME}(?:[ \t]+{_NAME}){{0,2}}"
        titles_alt = "|".join(map(re.escape, self.titles))
        # a seat of two words, the second no title (``Lord Keen of Elie Lord Keen of Elie``: a
        # name said twice, as Hansard's pages write a member's name beside the photograph)
        seat = rf"{_NAME}(?:[ \t]+(?!(?:{titles_alt})(?![\w-])){_NAME})?"
        self._pattern = re.compile(
            rf"(?<![\w’'-])(?P<title>{titles_alt})[ \t]+(?P<names>{names})"
            rf"(?P<of>[ \t]+of[ \t]+{seat})?(?![\w-]|['’][A-Za-z]{{2}})")

    def __call__(self, text: str, *, lower_words: set[str]) -> list[Candidate]:
        out: list[Candidate] = []
        pos = 0
        while (m := self._pattern.search(text, pos)) is not None:
            names = m.group("names").split()
            keep = 0  # a run into an office or a common word ("Lord Chancellor", "Sir Alan Said") stops there
            while keep < len(names) and names[keep] not in self._not_names and not (
                    keep and names[keep].lower() in lower_words):
                keep += 1
            if keep == 0:
                pos = m.end("title")
                continue
            end = m.end() if keep == len(names) else m.start("names") + len(" ".join(names[:keep]))
            pos = end
            words = text[m.start():end].split()
            # the id drops the title where a first and last name remain (``alan_beith``)
            key = words[1:] if keep >= 2 and end != m.end("of") else words
            out.append(Candidate(m.start(), end, "PERSON", make_id(" ".join(key)), "pattern", emit="gazetteer"))
        return out


def join_titled_surnames(chosen: list[Candidate], text: str, *, titles: Iterable[str]) -> list[Candidate]:
    """``Lord Blunkett`` after ``Lord David Blunkett`` or ``David Blunkett``, ``Sir Alan`` after ``Sir
    Alan Beith``: the id of the person named in full earlier."""
    titles = set(titles)
    full: dict[str, str] = {}
    out = []
    for cand in chosen:
        if cand.label == "PERSON":
            words = text[cand.start:cand.end].split()
            names = strip_titles(words, titles)
            if len(words) == 2 and len(names) == 1 and cand.source == "pattern" and names[0] in full:
                cand = Candidate(cand.start, cand.end, cand.label, full[names[0]], cand.source, emit=cand.emit)
            elif len(names) >= 2 and "of" not in names:
                full.setdefault(names[0], cand.entity_id)
                full.setdefault(names[-1], cand.entity_id)
        out.append(cand)
    return out
