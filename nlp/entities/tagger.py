"""One document's entity mentions: gazetteer, abbreviations, NER fallback, people, then overlaps.

Order of work for a Doc:

1. gazetteer matches (longest wins later);
2. abbreviations defined in the text (``Offender Management in Custody (OMiC)``) and their later uses;
3. names of a known shape (``HMP Berwyn``, ``Criminal Justice Act 2003``) from regular expressions;
4. spaCy NER spans the gazetteer does not cover, filtered (``ner.py``);
5. bare surnames/first names of people named in full earlier (``people.py``);
6. overlaps resolved: abbreviation/gazetteer first, then shapes and people, then NER; longer
   before shorter within a group. A gazetteer place inside a longer organisation or law found by
   NER or a shape gives way to it (``University of Bristol``);
7. CRC conventions (``crcs.py``): areas, owners, possessives and the page's own ``CRC``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import doc_text
from ..windows import word_window

from ..records import EntityMention
from .abbreviations import find_definitions, later_mentions
from .crcs import (CrcRules, area_crcs, areas_as_crcs, dominant_crc, join_owner_crcs, owned_crcs, owner_crcs,
                   owners_areas, trim_possessives, unknown_crcs_by_area)
from .gazetteer import LEARNED_PATH, Gazetteer, load_gazetteer, load_rules
from .matcher import SOURCE_RANK, Candidate, GazetteerMatcher
from .ner import NerRules, ner_candidates
from .normalise import Cues, make_id
from .people import TitledNames, join_titled_surnames, resolve_people

_LOWER_WORD = re.compile(r"\b[a-z][a-z'’-]+\b")


def lower_words(text: str) -> set[str]:
    """The words written in lower case somewhere in ``text``."""
    return set(_LOWER_WORD.findall(text))

# abbreviation and gazetteer compete on length alone; shapes, people and NER only fill the gaps
SOURCE_RANK_GROUP = {"abbreviation": 2, "gazetteer": 2, "pattern": 1, "person": 1, "ner": 0}


class EntityFinder:
    """Everything built once per pipeline: the gazetteer, its matchers and the rules."""

    def __init__(self, nlp: Language, *, gazetteer_paths: Iterable[str] = (), use_ner: bool = True,
                 gazetteer: Gazetteer | None = None, learned_names: bool = True) -> None:
        """``gazetteer`` replaces ours and the extra files altogether (for tests and experiments);
        ``learned_names``: whether the names learned from gold (learn.py) join ours."""
        rules = load_rules()
        self.labels = tuple(rules["labels"])
        if gazetteer is None:
            gazetteer = load_gazetteer(gazetteer_paths, labels=self.labels,
                                       learned_path=LEARNED_PATH if learned_names else None)
        self.gazetteer = gazetteer
        self.matcher = GazetteerMatcher(nlp, self.gazetteer, new_body_words=rules["new_body_words"])
        self.rules = NerRules.from_rules(rules)
        self.patterns = NamePatterns(rules["patterns"], leading=rules["pattern_leading_words"])
        self.titled = TitledNames(rules["rank_titles"], not_names=(
            *rules["rank_title_not_names"], *rules["rank_titles"], *rules["name_edge_noise"]))
        self.use_ner = use_ner
        self.extension_never = frozenset(rules["extension_heads_never"])
        self.areas_never_crc = frozenset(rules["areas_never_crc"])
        self.crc_rules = CrcRules.from_rules(rules)
        self.area_crcs = area_crcs(self.gazetteer, never=self.areas_never_crc)
        self.owner_crcs = owner_crcs(self.gazetteer)
        self.owners_areas = owners_areas(self.gazetteer)
        self.areas = {form: e.id for e in self.gazetteer if e.label == "REGION" for form in e.surface_forms}

    def __call__(self, doc: Doc, *, from_ner: list[Candidate] | None = None,
                 found: list[Candidate] | None = None, lower: set[str] | None = None) -> tuple[EntityMention, ...]:
        """The mentions in ``doc``. ``from_ner``: NER candidates found elsewhere (sentence by
        sentence, see ``ner_windows``); by default they come from ``doc.ents`` when the Doc has
        them. ``found``: the gazetteer matches, when ``match`` already ran; ``lower``: the
        document's ``lower_words``, when already computed."""
        text = doc_text(doc)
        found = list(self.matcher(doc, text) if found is None else found)
        lower = lower_words(text) if lower is None else lower
        if from_ner is None:
            use_ner = self.use_ner and doc.has_annotation("ENT_IOB")
            from_ner = ner_candidates(doc, self.rules, lower) if use_ner else []
        ner_spans = {(c.start, c.end): c.label for c in from_ner}
        definitions, defined = find_definitions(
            text, select(found), ner_label=lambda s, e: ner_spans.get((s, e)), cues=self.rules.cues)
        found += defined + later_mentions(text, definitions)
        shaped = self.patterns(text) + self.titled(text, lower_words=lower)
        found = yield_places_to_names(found, from_ner + shaped) + seated_peers(found, shaped, text) + from_ner
        people = [c for c in select(found) if c.label == "PERSON"]
        found += resolve_people(text, people, titles=self.rules.titles, lower_words=lower)
        chosen = join_titled_surnames(select(found), text, titles=self.rules.titles)
        chosen = extend_to_organisations(chosen, text, self.rules.cues, self.extension_never)
        chosen = unknown_crcs_by_area(chosen, text, self.area_crcs, self.areas, self.rules.cues.crc_head)
        chosen = join_owner_crcs(chosen, text, self.area_crcs, self.owner_crcs)
        chosen = owned_crcs(chosen, text, self.owner_crcs, self.owners_areas)
        chosen = areas_as_crcs(doc, text, chosen, self.area_crcs, self.crc_rules, self.areas_never_crc)
        chosen = dominant_crc(trim_possessives(chosen, text, self.crc_rules), text, self.crc_rules, self.area_crcs)
        return tuple(EntityMention(c.start, c.end, text[c.start:c.end], c.label, c.entity_id, c.emit or c.source)
                     for c in chosen)

    def match(self, doc: Doc) -> list[Candidate]:
        """The gazetteer matches of ``doc`` (pass them back to ``__call__`` as ``found``)."""
        return self.matcher(doc, doc_text(doc))

    def ner_windows(self, doc: Doc, found: list[Candidate], bounds: Iterable[tuple[int, int]], *,
                    lower: set[str] | None = None) -> list[tuple[int, int]]:
        """Stretches of text (character bounds) where NER could add a name the gazetteer does not
        cover: each such run of capitalised words with up to ``NER_CONTEXT`` words either side,
        inside its sentence, overlapping stretches merged.

        What ``ner_label`` would keep decides: a person, organisation or law is a run of two or more
        capitalised words (after leading function words such as ``The``, ``However``); a place on its
        own is one capitalised word that is not the sentence's first, not an acronym, and not
        written in lower case elsewhere in the document. A run every word of which the gazetteer
        matched is left alone, and so is one of common words (all written in lower case elsewhere
        in the document) unless it ends like an organisation or a law (``... Committee``).
        """
        text = doc_text(doc)
        covered = sorted((c.start, c.end) for c in found)
        starts = [s for s, _e in covered]

        def is_covered(pos: int) -> bool:
            i = bisect.bisect_right(starts, pos) - 1
            return i >= 0 and covered[i][1] > pos

        out: list[tuple[int, int]] = []
        for start, end in bounds:
            first = _FIRST_WORD.match(text, start, end)
            for run in _NAME_RUN.finditer(text, start, end):
                words = [w for w in _CAPITALISED.finditer(run.group())]
                while words and words[0].group().lower() in STOP_WORDS:
                    words.pop(0)
                if not any(not is_covered(run.start() + w.start()) for w in words):
                    continue
                lower = lower if lower is not None else lower_words(text)
                if len(words) == 1:
                    word = words[0].group()
                    if word.isupper() or (first is not None and first.start(1) == run.start() + words[0].start()):
                        continue
                    if word.lower() in lower:
                        continue
                elif all(w.group().lower() in lower for w in words) and not self._org_or_law(words):
                    continue  # common words in capitals ('Annual Report'): no person's name
                window = word_window(text, run.start(), run.end(), start, end, NER_CONTEXT)
                if out and out[-1][1] >= window[0] and out[-1][0] >= start:
                    out[-1] = (out[-1][0], window[1])
                else:
                    out.append(window)
        return out

    def _org_or_law(self, words: list[re.Match]) -> bool:
        names = [w.group() for w in words]
        return names[0] in self.rules.org_heads_first or self.rules.cues.label(" ".join(names)) is not None


NER_CONTEXT = 6  # words of context either side of a name for the NER (its own window is narrower: 4 tokens)


_CAPITALISED = re.compile(r"[A-Z][\w'’.&-]*")
_NAME_RUN = re.compile(r"\b[A-Z][\w'’.&-]*(?:[ \t]+(?:(?:of|and|the|for|&|de|van|von)[ \t]+)?[A-Z][\w'’.&-]*)*")
_FIRST_WORD = re.compile(r"[\s\"'“‘(*•#>–—-]*(\w)")


_NEXT_NAME_WORD = re.compile(r"[ \t]+((?:(?:of|and|for|&)[ \t]+)?)([A-Z][\w'’.&-]*)")
_PREV_NAME_WORD = re.compile(r"(?:^|(?<=[a-z,;:(“‘\"'][ \t])|(?<=[a-z][ \t]\t)|(?<=[a-z]\t))([A-Z][a-z]+)[ \t]+$")
_ORG_LABELS = frozenset({"ORG", "CRC", "REGION"})
MAX_EXTRA_WORDS = 6


def _known_at(chosen: list[Candidate], j: int, word_start: int) -> bool:
    while j < len(chosen) and chosen[j].end <= word_start:
        j += 1
    return j < len(chosen) and chosen[j].start == word_start


def extend_to_organisations(chosen: list[Candidate], text: str, cues: Cues,
                            never_heads: frozenset[str] = frozenset()) -> list[Candidate]:
    """A known name that opens or sits inside a longer organisation's name gives way to it
    (``Seetec Business Technology Centre``, ``Inner London Probation and After Care Service``,
    ``Labour Group of Police and Crime Commissioners``): the longer run of capitalised words on the
    same line, ended by an organisation's head word (``Centre``, ``Service``, ``Group``) or by
    another known organisation, is one ORG (or CRC, by its head) mention with its own id.

    Nothing changes where the run ends in anything else (``UNISON Cymru Wales Regional Organiser``)
    or swallows a person or a law, nor at ``never_heads``: a party's government, a company's board
    (``Labour Government``, ``MTC Board``) are that party or company (GUIDELINES §2)."""
    out: list[Candidate] = []
    i = 0
    while i < len(chosen):
        cand = chosen[i]
        if cand.label not in ("ORG", "REGION") or cand.source not in ("gazetteer", "abbreviation"):
            out.append(cand)
            i += 1
            continue
        start = cand.start
        prev = _PREV_NAME_WORD.search(text, max(0, start - 30), start)
        if (prev is not None and prev.group(1).lower() not in STOP_WORDS
                and (not out or out[-1].end <= prev.start(1))):
            start = prev.start(1)
        # walk forward word by word; remember the last place the run could end as an organisation
        pos, best, best_label, j, words = cand.end, None, None, i + 1, 0
        while words < MAX_EXTRA_WORDS:
            m = _NEXT_NAME_WORD.match(text, pos)
            if m is None:
                break
            if re.search(r"\b(?:and|&)\b|&", m.group(1)):
                if _known_at(chosen, j, m.start(2)):
                    break  # two names joined by "and" (``NPS and HMPPS``): a list, not one name
            word_start, pos, words = m.start(2), m.end(2), words + 1
            while j < len(chosen) and chosen[j].end <= word_start:
                j += 1
            inside = chosen[j] if j < len(chosen) and chosen[j].start <= word_start else None
            if inside is not None:
                linked = re.search(r"\b(?:of|for)\b", m.group(1))
                if inside.label not in _ORG_LABELS or (inside.start == word_start and not linked):
                    break  # a person or a law; or two names side by side (``London NPS``, ``Sodexo Napo``)
                pos = max(pos, inside.end)
                if inside.label == "ORG" and inside.start == word_start:
                    best, best_label = pos, "ORG"  # ``… Group of Police and Crime Commissioners``
            label = cues.label(text[start:pos], ("ORG", "CRC"))
            if label is not None and m.group(2) not in never_heads:
                best, best_label = pos, label
        if best is None or (start == cand.start and best == cand.end):
            out.append(cand)
            i += 1
            continue
        name = text[start:best]
        out.append(Candidate(start, best, best_label, make_id(name), "pattern", emit="gazetteer"))
        while i < len(chosen) and chosen[i].start < best:
            i += 1
    return out


class NamePatterns:
    """Regular expressions for names of a known shape (``HMP Berwyn``, ``Criminal Justice Act 2003``).

    Leading words that only start a sentence or a reference (``The``, ``Section``) are trimmed
    off; a match needs two words left. Written out with source ``gazetteer`` (rules from data).
    """

    def __init__(self, patterns: list[dict], *, leading: list[str]) -> None:
        self._patterns = [(p["label"], re.compile(p["regex"])) for p in patterns]
        self._leading = re.compile(r"(?:(?:%s),? )+" % "|".join(map(re.escape, leading)))

    def __call__(self, text: str) -> list[Candidate]:
        out = []
        for label, pattern in self._patterns:
            for m in pattern.finditer(text):
                start = m.start()
                lead = self._leading.match(text, start, m.end())
                if lead:
                    start = lead.end()
                if " " not in text[start:m.end()]:
                    continue
                out.append(Candidate(start, m.end(), label, make_id(text[start:m.end()]), "pattern", emit="gazetteer"))
        return out


_OF_PLACE = re.compile(r"[ \t]+of[ \t]+[A-Z]")


def seated_peers(found: list[Candidate], shaped: list[Candidate], text: str) -> list[Candidate]:
    """A titled name with its seat (``Lord Ramsbotham of Kensington``, SPEC §3 keeps ``of …`` in the
    span) over the shorter name the gazetteer knows at the same place (``Lord Ramsbotham``): the
    longer span, with the gazetteer's id so that the person stays one."""
    known = {c.start: c for c in found if c.label == "PERSON" and c.source in ("gazetteer", "abbreviation")}
    out = []
    for cand in shaped:
        short = known.get(cand.start) if cand.label == "PERSON" else None
        if short is not None and short.end < cand.end and _OF_PLACE.match(text, short.end):
            cand = Candidate(cand.start, cand.end, "PERSON", short.entity_id, short.source, emit=short.emit)
        out.append(cand)
    return out


def yield_places_to_names(found: list[Candidate], from_ner: list[Candidate]) -> list[Candidate]:
    """Drop gazetteer places inside a longer NER organisation, CRC or law (``University of Bristol``,
    ``Merseyside Community Rehabilitation Centre``) or a titled person (``Lord Bishop of Newcastle``).

    Only when every gazetteer match the NER span touches is a REGION wholly inside it.
    """
    names = [c for c in from_ner if c.label in ("ORG", "LAW", "CRC") or c.label == "PERSON" and c.source == "pattern"]
    if not names:
        return found
    ordered = sorted(found, key=lambda c: c.start)
    starts = [c.start for c in ordered]
    drop: set[int] = set()
    for name in names:
        i = bisect.bisect_left(starts, name.start)
        j = bisect.bisect_left(starts, name.end)
        inside = ordered[i:j]
        crossing = i > 0 and ordered[i - 1].end > name.start
        if inside and not crossing and all(c.label == "REGION" and c.end <= name.end for c in inside):
            drop.update(id(c) for c in inside)
    return [c for c in found if id(c) not in drop] if drop else found


def select(candidates: list[Candidate]) -> list[Candidate]:
    """Non-overlapping mentions sorted by start: stronger source first, then longer, then earlier.

    On an identical span with the same id the gazetteer's provenance is kept; a document's own
    abbreviation definition beats the gazetteer when the ids differ.
    """
    best: dict[tuple[int, int], Candidate] = {}
    for cand in candidates:
        if cand.end <= cand.start:
            continue
        key = (cand.start, cand.end)
        old = best.get(key)
        if old is None or _stronger(cand, old):
            best[key] = cand
    order = sorted(best.values(), key=lambda c: (-SOURCE_RANK_GROUP[c.source], -(c.end - c.start), c.start))
    starts: list[int] = []
    chosen: list[Candidate] = []
    for cand in order:
        i = bisect.bisect_left(starts, cand.start)
        if i > 0 and chosen[i - 1].end > cand.start:
            continue
        if i < len(chosen) and chosen[i].start < cand.end:
            continue
        starts.insert(i, cand.start)
        chosen.insert(i, cand)
    return chosen


def _stronger(new: Candidate, old: Candidate) -> bool:
    if new.entity_id == old.entity_id and {new.source, old.source} == {"gazetteer", "abbreviation"}:
        return new.source == "gazetteer"
    return SOURCE_RANK[new.source] > SOURCE_RANK[old.source]
