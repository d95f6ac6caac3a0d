"""spaCy's statistical entities as a fallback for names the gazetteer does not know.

The small English model finds most people and places but also tags headings, grades (``PO``) and
page furniture (``ReplyDelete``), so a span is kept only when it looks like a name of its kind:
people need a first and last name (a lone surname is left to ``people.resolve_people``), an
organisation needs an organisational head word (``... Committee``, ``University of ...``), a law
must have the shape of a title ending in ``Act`` or ``Bill``, and nothing all lower-case, numeric
or on the stop list passes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from .matcher import Candidate
from .normalise import Cues, is_name_like, make_id, strip_titles

_TRIM_END = {"’s", "'s", "’", "'", ":", "-", ",", ".", ";"}
_NAME_WORD = re.compile(r"^(?:[A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|O[’'][A-Z][a-z]+|[A-Z]{2,})$")


@dataclass(frozen=True)
class NerRules:
    """The parts of entity_rules.json the NER filter needs, as sets."""

    ner_labels: dict
    cues: Cues
    titles: frozenset
    dropped_titles: frozenset  # titles left out of a person's span (``Mr``), unlike ranks (``Dame``, ``Lord``)
    stop_names: frozenset
    common_words: frozenset
    org_heads_first: frozenset
    law_shape: re.Pattern
    leading_words: frozenset
    name_edge_noise: frozenset = frozenset()
    person_never_ends: frozenset = frozenset()  # last words that make a "person" a building or a thing

    @classmethod
    def from_rules(cls, rules: dict) -> "NerRules":
        return cls(ner_labels=dict(rules["ner_labels"]), cues=Cues.from_rules(rules["cues"]), titles=frozenset(rules["titles"]),
                   dropped_titles=frozenset(rules["titles"]) - frozenset(rules["rank_titles"]),
                   stop_names=frozenset(s.lower() for s in rules["stop_names"]),
                   common_words=frozenset(rules["common_name_words"]), org_heads_first=frozenset(rules["org_heads_first"]),
                   law_shape=re.compile(next(p["regex"] for p in rules["patterns"] if p["label"] == "LAW")),
                   leading_words=frozenset(rules["pattern_leading_words"]),
                   name_edge_noise=frozenset(rules.get("name_edge_noise", ())),
                   person_never_ends=frozenset(rules.get("person_never_ends", ())))


def trim_span(span: Span) -> Span | None:
    """Drop a leading ``the`` and trailing possessives/punctuation; None if nothing is left."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].lower_ == "the" or doc[start].is_punct or doc[start].is_space):
        start += 1
    while end > start and (doc[end - 1].text in _TRIM_END or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return Span(doc, start, end, label=span.label) if end > start else None


def trim_words(span: Span, words: frozenset) -> Span | None:
    """Cut ``words`` (page furniture: ``Portrait``, ``Excerpts``) off both ends of ``span``."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and doc[start].text in words:
        start += 1
    while end > start and doc[end - 1].text in words:
        end -= 1
    return Span(doc, start, end, label=span.label) if end > start else None


def ner_label(span: Span, rules: NerRules, lower_words: set[str]) -> str | None:
    """Our label for a trimmed NER span, or None when it does not look like a real name."""
    label = rules.ner_labels.get(span.label_)
    text = span.text
    if label is None or "\n" in text or text.lower() in rules.stop_names or text.islower():
        return None
    words = [t.text for t in span]
    if label == "LAW":  # only a clean title: "Section 2 of the Act" is not a law's name
        return "LAW" if rules.law_shape.fullmatch(text) and words[0] not in rules.leading_words else None
    if any(t.like_num or t.is_digit for t in span) or not is_name_like(words):
        return None
    if label == "PERSON":
        return "PERSON" if _person_like(words, rules, lower_words) else None
    if label == "ORG":
        if len(words) > 1 and rules.cues.label(text, ("CRC",)):
            return "CRC"  # ``Wales Community Rehabilitation Centre``
        return "ORG" if _org_like(words, rules) else None
    # REGION: a place name, not an acronym or a common word capitalised at a sentence start
    if text.isupper() or (len(words) == 1 and text.lower() in lower_words):
        return None
    if not all(_NAME_WORD.match(w) or w in ("of", "and", "the", "&", "-") for w in words):
        return None
    return "REGION"


def _person_like(words: list[str], rules: NerRules, lower_words: set[str]) -> bool:
    names = strip_titles(words, rules.titles)
    if len(names) < 2 or len(names) > 4 or not all(_NAME_WORD.match(w) for w in names):
        return False
    if any(w in rules.common_words for w in names) or names[-1] in rules.person_never_ends:
        return False
    return not all(w.lower() in lower_words for w in names)


def _org_like(words: list[str], rules: NerRules) -> bool:
    if len(words) < 2 or all(w.isupper() for w in words if w.isalpha()):
        return False
    return bool(rules.cues.label(" ".join(words), ("ORG",))) or words[0] in rules.org_heads_first


def ner_candidates(doc: Doc, rules: NerRules, lower_words: set[str], *, offset: int = 0) -> list[Candidate]:
    """Candidates from ``doc.ents`` that pass the filter, with ids from their normalised names.

    ``lower_words``: the words written in lower case somewhere in the document. ``offset``: where
    ``doc`` starts in the document, when it is one sentence of it analysed on its own.
    """
    out: list[Candidate] = []
    for ent in doc.ents:
        if ent.label_ not in rules.ner_labels:
            continue
        span = trim_span(ent)
        if span is not None and ent.label_ == "PERSON":
            span = trim_words(span, rules.name_edge_noise)
        if span is None:
            continue
        label = ner_label(span, rules, lower_words)
        if label is None:
            continue
        words = span.text.split()
        name = " ".join(strip_titles(words, rules.dropped_titles)) if label == "PERSON" else span.text
        start = span.end_char - len(name) if label == "PERSON" else span.start_char
        out.append(Candidate(start + offset, span.end_char + offset, label, make_id(name, titles=rules.titles), "ner"))
    return out
