"""Abbreviations defined in the text, ``Long Form (ABBR)``, learned for the rest of that document.

The long form is either a mention already found just before the bracket (its id and label are
reused) or, for a name nobody knows, the shortest run of preceding words whose letters spell the
abbreviation (Schwartz & Hearst 2003). An unknown long form needs a label: from the NER span that
covers it exactly, or from its last word (``Act`` -> LAW, ``Programme`` -> PROGRAMME,
``Committee`` -> ORG); without one it is not an entity (``Senior Responsible Officer (SRO)``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .matcher import Candidate
from .normalise import Cues, is_name_like, make_id

# "(CRCs)", "(OMiC)", "(SRO)": 2-10 letters, at least two capitals, optional plural s.
DEFINITION = re.compile(r"\((?P<abbr>[A-Z][A-Za-z&]{1,9})\)")
_BEFORE = re.compile(r"(?:['’]s?)?\s*$")
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Definition:
    abbr: str  # as written, without a plural s
    position: int  # where the definition's bracket closes: later mentions start after it
    label: str
    entity_id: str


def base_abbreviation(abbr: str) -> str | None:
    """``CRCs`` -> ``CRC``; None unless two or more capitals remain."""
    core = abbr[:-1] if abbr.endswith("s") and len(abbr) > 2 and abbr[-2].isupper() else abbr
    return core if sum(ch.isupper() for ch in core) >= 2 else None


def long_form_of(abbr: str, text: str) -> str | None:
    """Schwartz & Hearst: the shortest tail of ``text`` whose letters spell ``abbr`` in order."""
    short, long_ = abbr.lower(), text
    s, li = len(short) - 1, len(long_) - 1
    while s >= 0:
        ch = short[s]
        if not ch.isalnum():
            s -= 1
            continue
        while li >= 0 and (long_[li].lower() != ch or (s == 0 and li > 0 and long_[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
        s -= 1
    start = long_.rfind(" ", 0, li + 1) + 1
    return long_[start:]


def find_definitions(text: str, mentions: list[Candidate], *, ner_label: Callable[[int, int], str | None],
                     cues: Cues) -> tuple[list[Definition], list[Candidate]]:
    """Definitions in ``text`` and the new candidates they give (unknown long forms, bracketed abbrs)."""
    by_end = {c.end: c for c in mentions}
    definitions: list[Definition] = []
    new: list[Candidate] = []
    for m in DEFINITION.finditer(text):
        abbr = base_abbreviation(m.group("abbr"))
        if abbr is None:
            continue
        head = _BEFORE.search(text, max(0, m.start() - 4), m.start())
        known = by_end.get(head.start()) if head else None
        if known is not None and known.label == "PERSON":
            continue  # a Hansard party tag after a member's name (``Lord Dholakia (LD)``), not an abbreviation
        if known is not None and long_form_of(abbr, text[known.start:known.end]):
            label, entity_id = known.label, known.entity_id
        else:
            found = _unknown_long_form(text, m.start(), abbr, ner_label=ner_label, cues=cues)
            if found is None:
                continue
            start, end, label = found
            entity_id = make_id(text[start:end])
            new.append(Candidate(start, end, label, entity_id, "abbreviation"))
        definitions.append(Definition(abbr, m.end(), label, entity_id))
        new.append(Candidate(m.start("abbr"), m.end("abbr"), label, entity_id, "abbreviation"))
    return definitions, new


def _unknown_long_form(text: str, bracket: int, abbr: str, *, ner_label, cues) -> tuple[int, int, str] | None:
    window_words = min(len(abbr) + 5, 2 * len(abbr))
    line_start = text.rfind("\n", 0, bracket) + 1
    words = list(_WORD.finditer(text, line_start, bracket))[-window_words:]
    if not words:
        return None
    start0, end = words[0].start(), words[-1].end()
    while end > start0 and text[end - 1] in ",;:'’":
        end -= 1
    phrase = long_form_of(abbr, text[start0:end])
    if not phrase:
        return None
    start = end - len(phrase)
    tokens = phrase.split()
    if len(tokens) < 2 or not is_name_like(tokens):
        return None
    label = ner_label(start, end) or cues.label(phrase)
    return (start, end, label) if label else None


def later_mentions(text: str, definitions: list[Definition]) -> list[Candidate]:
    """Every use of a learned abbreviation after its definition (``CRCs`` counts for ``CRC``)."""
    out: list[Candidate] = []
    for d in definitions:
        pattern = re.compile(rf"(?<![\w&]){re.escape(d.abbr)}s?(?![\w&])")
        out.extend(Candidate(m.start(), m.end(), d.label, d.entity_id, "abbreviation")
                   for m in pattern.finditer(text, d.position))
    return out
