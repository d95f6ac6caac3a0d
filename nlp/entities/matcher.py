"""Gazetteer matching: two spaCy PhraseMatchers built once (exact, and lower-case for uncased names)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..extensions import doc_date, doc_text

from .gazetteer import Gazetteer, GazetteerEntry, dated_from, is_abbreviation

_GLUED_SUFFIXES = (".", ":-", ":")
# Paragraph and footnote numbers glued to words in reports ("57.The Dynamic Framework91", "92HMPPS",
# "CRCs.96"): blanked out, offsets unchanged, before matching. "3SC", "TR2", "A4e" are left alone.
_GLUED_NUMBER = re.compile(r"(?<!\w)(?:\d+\.?(?=[A-Z][a-z])|\d{2,}\.?(?=[A-Z]{2}))|(?<=[a-z])\.?\d+(?!\w)")

_ENDS_IN_DIGITS = re.compile(r"[a-z]\d+$")
_WORD_BEFORE = re.compile(r"\w+$")

# Candidate sources, strongest first: a tie on span goes to the earlier one.
SOURCE_RANK = {"abbreviation": 4, "gazetteer": 3, "pattern": 2, "person": 1, "ner": 0}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A possible mention, by character offsets, before overlaps are resolved."""

    start: int
    end: int
    label: str
    entity_id: str
    source: str
    anchored: bool = False
    emit: str | None = None  # the source written out, where it differs (a resolved surname: its antecedent's)


def alias_variants(alias: str) -> set[str]:
    """The alias, its ``&``/``and`` twin, and its upper-case form for multi-word names (headlines)."""
    forms = {alias}
    if " & " in alias:
        forms.add(alias.replace(" & ", " and "))
    elif " and " in alias:
        forms.add(alias.replace(" and ", " & "))
    if " " in alias and not alias.islower():
        forms |= {f.upper() for f in list(forms)}
    return forms | {w for f in forms for w in wrapped_variants(f)}


def wrapped_variants(form: str) -> set[str]:
    """The form wrapped onto the next line at one of its spaces (``England and\nWales``), as text
    broken into lines writes it; names of up to six words."""
    spaces = [i for i, ch in enumerate(form) if ch == " "]
    if not spaces or len(spaces) > 5:
        return set()
    return {form[:i] + "\n" + form[i + 1:] for i in spaces}


_MAJESTY = re.compile(r"^(?:HM|H(?:er|is) Majesty[’']s) (?=[A-Z])")
_MAJESTY_FORMS = ("HM", "Her Majesty’s", "Her Majesty's", "His Majesty’s", "His Majesty's")


def majesty_variants(form: str) -> set[str]:
    """A Crown body's name in each of its styles: ``HM Prison and Probation Service``, ``Her
    Majesty’s …`` and, since September 2022, ``His Majesty’s …`` (either apostrophe)."""
    m = _MAJESTY.match(form)
    if m is None:
        return {form}
    return {f"{style} {form[m.end():]}" for style in _MAJESTY_FORMS}


class GazetteerMatcher:
    """Finds every gazetteer alias in a Doc; overlaps are left to the caller (longest wins there)."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer, *, new_body_words: Iterable[str] = ()) -> None:
        """``new_body_words``: words right before a dated name (``since``) that make it the new
        body whatever the page's date (``the new, unified Probation Service``, ``reunify the
        Probation Service``): a page about the reform names it before it exists."""
        self.gazetteer = gazetteer
        words = "|".join(map(re.escape, sorted(new_body_words, key=len, reverse=True)))
        self._new_body = re.compile(rf"(?<![\w-])(?:{words})[ \t]+$", re.IGNORECASE) if words else None
        self._cased = PhraseMatcher(nlp.vocab, attr="ORTH")
        self._uncased = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._keys: dict[int, tuple[str, bool, int]] = {}  # match key -> (id, anchored, chars to cut off the end)
        self._context: dict[str, re.Pattern] = {}
        self._make_doc = nlp.make_doc
        self._digit_names = {f for e in gazetteer for f in e.surface_forms if _ENDS_IN_DIGITS.search(f)}
        for entry in gazetteer:
            self._add_entry(nlp, entry)

    def _add_entry(self, nlp: Language, entry: GazetteerEntry) -> None:
        anchored = set(entry.anchored)
        groups: dict[tuple[bool, bool], set[str]] = {}
        for written in entry.surface_forms:
            is_anchored = written in anchored
            uncased = entry.uncased and not is_abbreviation(written) and not is_anchored and written not in entry.cased
            for form in majesty_variants(written):
                groups.setdefault((is_anchored, uncased), set()).update(
                    {form, *wrapped_variants(form)} if uncased else alias_variants(form))
        for (is_anchored, uncased), forms in groups.items():
            key = f"{entry.id}|{int(is_anchored)}"
            self._keys[nlp.vocab.strings.add(key)] = (entry.id, is_anchored, 0)
            matcher = self._uncased if uncased else self._cased
            docs = [nlp.make_doc(form) for form in sorted(forms)]
            matcher.add(key, docs)
            # The tokenizer keeps some punctuation on a name's last token ("MoJ.", "OMiC.", "CRC:-"):
            # match those forms too and cut the punctuation off the span.
            for suffix in _GLUED_SUFFIXES:
                glued = [nlp.make_doc(d.text + suffix) for d in docs]
                glued = [g for g, d in zip(glued, docs) if len(g) == len(d)]
                if glued:
                    self._keys[nlp.vocab.strings.add(key + suffix)] = (entry.id, is_anchored, len(suffix))
                    matcher.add(key + suffix, glued)
        if entry.context:
            self._context[entry.id] = re.compile("|".join(re.escape(c) for c in entry.context))

    def __call__(self, doc: Doc, text: str | None = None) -> list[Candidate]:
        """Candidates in ``doc``; pass ``text`` (``doc.text``, which spaCy rebuilds on every access) if at hand."""
        text = doc_text(doc) if text is None else text
        date = doc_date(doc)
        found: list[Candidate] = []
        if _GLUED_NUMBER.search(text):
            doc = self._make_doc(_GLUED_NUMBER.sub(self._blank_glued, text))
        for matcher in (self._cased, self._uncased):
            for match_id, start, end in matcher(doc):
                entity_id, anchored, cut = self._keys[match_id]
                entry = self.gazetteer.get(entity_id)
                span = doc[start:end]
                if entry.since is not None and not dated_from(entry.since, date) and not self._names_new_body(
                        text, span.start_char):
                    continue
                found.append(Candidate(span.start_char, span.end_char - cut, entry.label, entity_id, "gazetteer", anchored))
        return self._drop_unanchored(text, found)

    def _names_new_body(self, text: str, start: int) -> bool:
        return self._new_body is not None and self._new_body.search(text, max(0, start - 40), start) is not None

    def _blank_glued(self, m: re.Match) -> str:
        """A glued footnote number blanked out, unless it ends a name we know (``Catch22``)."""
        word = _WORD_BEFORE.search(m.string, max(0, m.start() - 40), m.start())
        if word is not None and word.group() + m.group() in self._digit_names:
            return m.group()
        return " " * len(m.group())

    def _drop_unanchored(self, text: str, found: list[Candidate]) -> list[Candidate]:
        """Anchored aliases survive only where the entry is named another way or its context is present."""
        if not any(c.anchored for c in found):
            return found
        named = {c.entity_id for c in found if not c.anchored}
        keep = []
        for cand in found:
            if cand.anchored and cand.entity_id not in named:
                context = self._context.get(cand.entity_id)
                if context is None or not context.search(text):
                    continue
            keep.append(cand)
        return keep
