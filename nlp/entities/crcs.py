"""CRC mentions after the overlaps are resolved: areas, owners, possessives and the bare ``CRC``.

The 21 Community Rehabilitation Companies are named by their area (``Northumbria``), by their
owner (``Sodexo CRCs``, ``Interserve CRCs``), by a brand (``Purple Futures``) or just as ``the
CRC`` in a page about one of them. GUIDELINES §2: a CRC's area named in a sentence about CRCs is
the CRC, a place named after ``in`` is the place; ``CRC’s`` is kept whole as a plural and trimmed
as a possessive (``the CRC’s work`` → ``CRC``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from .gazetteer import Gazetteer
from .matcher import Candidate

GENERIC_CRC = "crc"


def _words_before(words: Collection[str], *, the: bool = False) -> re.Pattern:
    """Any of ``words`` (its first letter in either case) right before the end of a text: the
    word before a mention, searched for in the text just before it. No words: it never matches
    (an empty alternation would match before every mention)."""
    if not words:
        return re.compile(r"(?!)")
    alternatives = "|".join(f"[{w[0].upper()}{w[0].lower()}]{re.escape(w[1:])}" for w in sorted(words, key=len, reverse=True))
    the_word = r"(?:the[ \t]+)?" if the else ""
    return re.compile(rf"\b(?:{alternatives})[ \t]+{the_word}$")


@dataclass(frozen=True)
class CrcRules:
    """The CRC conventions' word lists and thresholds (entity_rules.json ``crc_conventions``), built once."""

    place_word: re.Pattern  # before an area: the place, not the company (``in Essex``, ``across the ...``)
    singular_before: frozenset[str]  # before a bare ``CRC’s``: one CRC's (``the CRC’s work``)
    any_before: re.Pattern  # before a bare ``CRC``: any or all of them (``each CRC``), never the page's one
    dominant_share: float  # of a page's mentions of particular CRCs, for a bare ``CRC`` to be that one
    dominant_min: int

    @classmethod
    def from_rules(cls, rules: dict) -> "CrcRules":
        data = rules["crc_conventions"]
        return cls(place_word=_words_before(data["place_words"], the=True),
                   singular_before=frozenset(data["singular_before"]), any_before=_words_before(data["any_before"]),
                   dominant_share=float(data["dominant_share"]), dominant_min=int(data["dominant_min"]))


def area_crcs(gazetteer: Gazetteer, *, never: Iterable[str] = ()) -> dict[str, str]:
    """REGION id -> CRC id for the areas the 21 CRCs are named after (``northumbria`` -> ``northumbria_crc``)."""
    index = gazetteer.alias_index()
    out = {}
    for entry in gazetteer:
        if entry.label != "CRC":
            continue
        for form in entry.surface_forms:
            region = index.get(form[:-4]) if form.endswith(" CRC") else None
            if region and region not in never and gazetteer.get(region).label == "REGION":
                out[region] = entry.id
    return out


def owner_crcs(gazetteer: Gazetteer) -> dict[str, str]:
    """Owner id -> the CRC brand it ran (``interserve`` -> ``purple_futures``): a CRC entry with an
    ``owner`` and no ``region`` is a brand; one with a region is one area's CRC, and its owner's
    CRCs together are ``<owner>_crcs`` (``join_owner_crcs``)."""
    return {e.owner: e.id for e in gazetteer
            if e.label == "CRC" and e.owner and e.region is None and gazetteer.get(e.owner) is not None}


def owners_areas(gazetteer: Gazetteer) -> dict[str, tuple[str, ...]]:
    """Owner id -> the area CRCs it ran (CRC entries with an ``owner`` and a ``region``)."""
    out: dict[str, tuple[str, ...]] = {}
    for e in gazetteer:
        if e.label == "CRC" and e.owner and e.region is not None:
            out[e.owner] = out.get(e.owner, ()) + (e.id,)
    return out


def unknown_crcs_by_area(chosen: list[Candidate], text: str, crcs: dict[str, str], areas: dict[str, str],
                         cue: re.Pattern) -> list[Candidate]:
    """A CRC name the gazetteer does not know, made of a CRC's area and a CRC head word
    (``Wales Community Rehabilitation Centre``, a mistaken form of Company), is that area's CRC.
    ``areas``: surface form -> REGION id; ``cue``: the head words at the end of a name."""
    out = []
    for cand in chosen:
        if cand.label == "CRC" and cand.source in ("ner", "pattern"):
            m = cue.search(text, cand.start, cand.end)
            region = areas.get(text[cand.start:m.start()].strip()) if m else None
            if region in crcs:
                cand = Candidate(cand.start, cand.end, "CRC", crcs[region], cand.source, emit=cand.emit)
        out.append(cand)
    return out


_CRC_WORD = re.compile(r"\bCRC")
_LIST_JOIN = re.compile(r"(?:,[ \t]*(?:and[ \t]+)?|[ \t]+and[ \t]+)")


def areas_as_crcs(doc: Doc, text: str, chosen: list[Candidate], crcs: dict[str, str], rules: CrcRules,
                  never: frozenset[str] = frozenset()) -> list[Candidate]:
    """A CRC's area named in a sentence about CRCs is that CRC (``six CRCs: Northumbria; Essex``),
    and so is every later mention of that area in the document, unless it follows a place word
    (``the CRC in Essex``, ``in London, Durham Tees Valley and Northumbria``: the places; ``rules``'
    place words). A list
    goes on from a CRC's area or one of ``never`` (``London``), not from ``England and Wales``."""
    if not doc.has_annotation("SENT_START") or not any(c.entity_id in crcs for c in chosen):
        return chosen
    out: list[Candidate] = []
    as_crc: set[str] = set()
    in_place_list = False
    for cand in chosen:
        if cand.label != "REGION":
            out.append(cand)
            continue
        prev = out[-1] if out else None
        in_place_list = (rules.place_word.search(text, max(0, cand.start - 20), cand.start) is not None
                         or (in_place_list and prev is not None and prev.label == "REGION"
                             and (prev.entity_id in crcs or prev.entity_id in never)
                             and _LIST_JOIN.fullmatch(text, prev.end, cand.start) is not None))
        if cand.entity_id in crcs and not in_place_list:
            if cand.entity_id not in as_crc:
                span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
                if span is not None and _CRC_WORD.search(span.sent.text):
                    as_crc.add(cand.entity_id)
            if cand.entity_id in as_crc:
                cand = Candidate(cand.start, cand.end, "CRC", crcs[cand.entity_id], cand.source, emit=cand.emit)
        out.append(cand)
    return out


_CRC_MENTION = re.compile(r"CRC(?:s|['’]s?)?")
_BETWEEN_OWNER_AND_CRC = re.compile(r"[ \t]+")


def join_owner_crcs(chosen: list[Candidate], text: str, crcs: dict[str, str],
                    owners: dict[str, str] | None = None) -> list[Candidate]:
    """An owner, area or brand named right before ``CRC``/``CRCs`` is one CRC mention with it
    (``Sodexo CRCs``, ``Thames Valley CRCs``, ``Cumbria CRC``), as a region inside a CRC's name is.

    Its id: the brand's own where it is a CRC brand, the area's CRC where the area has one, the
    brand the owner ran (``Interserve CRCs``: ``purple_futures``, ``owners``), else
    ``<owner>_crcs`` (``sodexo_crcs``, for ``Sodexo CRC`` and ``Sodexo CRCs`` alike).
    """
    owners = owners or {}
    out: list[Candidate] = []
    for cand in chosen:
        prev = out[-1] if out else None
        if (prev is not None and cand.label == "CRC" and prev.label in ("ORG", "REGION", "CRC")
                and _CRC_MENTION.fullmatch(text, cand.start, cand.end)
                and _BETWEEN_OWNER_AND_CRC.fullmatch(text, prev.end, cand.start)):
            if prev.label == "CRC":
                entity_id = prev.entity_id
            else:
                entity_id = crcs.get(prev.entity_id) or owners.get(prev.entity_id) or f"{prev.entity_id}_crcs"
            out[-1] = Candidate(prev.start, cand.end, "CRC", entity_id, prev.source, emit=prev.emit)
            continue
        out.append(cand)
    return out


_OWNED_BEFORE = re.compile(r"-owned[ \t]+")
_OWNED_AFTER = re.compile(r"[ \t]+(?:owned|run)[ \t]+by[ \t]+(?:the[ \t]+)?")
_MANY_CRCS = re.compile(r"CRCs|CRC['’]s|[Cc]ommunity [Rr]ehabilitation [Cc]ompanies")


def owned_crcs(chosen: list[Candidate], text: str, brands: dict[str, str],
               areas: dict[str, tuple[str, ...]]) -> list[Candidate]:
    """CRCs named with their owner are the owner's: ``Sodexo-owned CRCs``, ``community
    rehabilitation companies owned by Sodexo`` are its brand (``brands``: ``interserve`` ->
    ``purple_futures``) or else ``<owner>_crcs``, as ``Sodexo CRCs`` are (``join_owner_crcs``);
    ``the only CRC owned by ARCC`` is the one area CRC the owner ran, where it ran one (``areas``).
    The owner stays its own ORG mention (GUIDELINES §2)."""
    out = list(chosen)
    for i, cand in enumerate(chosen):
        if cand.label != "CRC" or cand.entity_id != GENERIC_CRC:
            continue
        before = chosen[i - 1] if i > 0 else None
        after = chosen[i + 1] if i + 1 < len(chosen) else None
        if before is not None and before.label == "ORG" and _OWNED_BEFORE.fullmatch(text, before.end, cand.start):
            owner = before.entity_id
        elif after is not None and after.label == "ORG" and _OWNED_AFTER.fullmatch(text, cand.end, after.start):
            owner = after.entity_id
        else:
            continue
        if _MANY_CRCS.fullmatch(text, cand.start, cand.end):
            entity_id = brands.get(owner) or f"{owner}_crcs"
        elif len(areas.get(owner, ())) == 1:
            entity_id = areas[owner][0]
        else:
            continue
        out[i] = Candidate(cand.start, cand.end, "CRC", entity_id, cand.source, emit=cand.emit)
    return out


_APOSTROPHE_S = re.compile(r"['’]s$")
_NEXT_WORD = re.compile(r"[ \t]+([\w’'-]+)")
_PREV_WORD = re.compile(r"([\w’'-]+)[ \t]+$")


def trim_possessives(chosen: list[Candidate], text: str, rules: CrcRules) -> list[Candidate]:
    """A named CRC's or one CRC's ``’s`` followed by a content word (``Essex CRC’s method``, ``the
    CRC’s work``, ``each CRC’s 2011 baseline``) is a possessive: the span leaves it out. Followed
    by a function word, a participle or punctuation (``the CRC’s to ensure``, ``CRC’s owned by``),
    or without a singular word before it (``ensure that CRC’s deliver``, ``all CRC’s``; ``rules``'
    ``singular_before``), it is a plural
    and stays whole (GUIDELINES §2)."""
    out = []
    for cand in chosen:
        if cand.label == "CRC" and _APOSTROPHE_S.search(text, cand.start, cand.end):
            nxt = _NEXT_WORD.match(text, cand.end)
            prev = _PREV_WORD.search(text, max(0, cand.start - 30), cand.start)
            word = nxt.group(1) if nxt else ""
            named = " " in text[cand.start:cand.end].strip()
            singular = named or (prev is not None and prev.group(1).lower() in rules.singular_before)
            possessive = (singular and bool(word) and (word[0].isdigit() or word[0].islower())
                          and word.lower() not in STOP_WORDS and not word.endswith("ed"))
            if possessive:
                cand = Candidate(cand.start, cand.end - 2, cand.label, cand.entity_id, cand.source, emit=cand.emit)
        out.append(cand)
    return out


def dominant_crc(chosen: list[Candidate], text: str, rules: CrcRules,
                 crcs: dict[str, str] | None = None) -> list[Candidate]:
    """A bare singular ``CRC`` (``the CRC has``, ``the CRC’s work``, ``the CRC contract``) on a page
    about one CRC is that CRC: the one with at least ``rules.dominant_share`` of the page's mentions
    of particular CRCs (and ``rules.dominant_min`` of them), a CRC's area named as a place counting
    for its CRC (``crcs``: REGION id -> CRC id; ``the CRC`` of a page about probation in Essex).
    A page about several keeps the general ``crc``, and so does a CRC after a word for any or all
    of them (``any CRC``, ``each CRC``)."""
    crcs = crcs or {}
    named = Counter(crcs[c.entity_id] if c.label == "REGION" else c.entity_id for c in chosen
                    if c.label == "CRC" and c.entity_id != GENERIC_CRC and not c.entity_id.endswith("_crcs")
                    or c.label == "REGION" and c.entity_id in crcs)
    if not named:
        return chosen
    top, count = named.most_common(1)[0]
    if count < rules.dominant_min or count < rules.dominant_share * sum(named.values()):
        return chosen
    return [Candidate(c.start, c.end, c.label, top, c.source, emit=c.emit)
            if c.entity_id == GENERIC_CRC and text[c.start:c.end] == "CRC"
            and not rules.any_before.search(text, max(0, c.start - 8), c.start) else c
            for c in chosen]
