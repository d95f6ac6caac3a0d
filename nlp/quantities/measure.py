"""What a number counts, from the dependency parse: ``find_measure(span)``.

The measure is the noun the number modifies (``nummod``/``quantmod``: ``650 probation officer
vacancies``) or, for a share or a proportion, the object of its ``of`` (``40 per cent of
offenders``, ``eight out of ten CRCs inspected``), with the noun's compound and adjective
modifiers and a following participle (``CRCs inspected``). Works on any parsed spaCy Span; returns
the phrase as written in the text, or ``None`` when nothing sensible is found.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

_NOUNS = {"NOUN", "PROPN"}
_MODIFIER_DEPS = {"nummod", "quantmod", "compound", "nmod", "amod", "npadvmod", "appos"}
_OBJECT_DEPS = {"pobj", "dobj"}
_OF_PREPS = {"of", "in"}
_LEADING_JUNK = {"DET", "NUM", "PRON", "ADP", "PUNCT", "CCONJ", "PART", "SYM", "ADV"}
# nouns that name the unit or a time, not the thing counted
_NOT_MEASURES = {"cent", "percent", "%", "year", "years", "month", "months", "week", "weeks",
                 "day", "days", "time", "times", "million", "billion", "thousand", "hundred",
                 "pounds", "lot", "number", "total", "one", "ones", "others", "rest", "majority"}
MAX_TOKENS = 8  # longer phrases are cut to the head noun and the words just before it


def _head_noun(span: Span) -> Token | None:
    inside = range(span.start, span.end)
    for token in span:  # the number modifies a noun outside the span: 650 [vacancies]
        head = token.head
        if head.i not in inside and token.dep_ in _MODIFIER_DEPS and head.pos_ in _NOUNS:
            return head
    for token in span:  # a share of something: 40 per cent [of offenders], one in nine [cases]
        for child in token.children:
            if child.i in inside:
                continue
            if child.dep_ == "prep" and child.lower_ in _OF_PREPS:
                objects = [c for c in child.children if c.dep_ == "pobj" and c.pos_ in _NOUNS]
                if objects:
                    return objects[0]
            elif child.dep_ in _OBJECT_DEPS and child.pos_ in _NOUNS and token.dep_ != "ROOT":
                return child
    root = span.root  # the share is the object of 'of' inside the span's head: half [the cases]
    if root.head.i not in inside and root.head.pos_ in _NOUNS and root.dep_ == "predet":
        return root.head
    return None


def _phrase_bounds(noun: Token, span: Span) -> tuple[int, int]:
    start = noun.left_edge.i
    if span.end <= noun.i:
        start = max(start, span.end)
    doc = noun.doc
    while start < noun.i and (doc[start].pos_ in _LEADING_JUNK or doc[start].like_num):
        start += 1
    start = max(start, noun.i - MAX_TOKENS + 1)
    end = noun.i + 1
    for child in noun.rights:  # CRCs [inspected]
        if child.i == end and child.dep_ == "acl" and child.tag_ == "VBN":
            end = child.i + 1
        break
    return start, end


def find_measure(span: Span) -> str | None:
    """The noun phrase the quantity in ``span`` measures, as written, or None."""
    if not len(span) or not span.doc.has_annotation("DEP"):
        return None
    noun = _head_noun(span)
    if noun is None or noun.lower_ in _NOT_MEASURES or noun.i in range(span.start, span.end):
        return None
    start, end = _phrase_bounds(noun, span)
    return span.doc[start:end].text
