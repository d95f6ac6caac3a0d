"""Custom attributes the pipeline's components write. Registered once, guarded."""

from __future__ import annotations

from spacy.tokens import Doc

# Doc._.NAME: what it holds (set by which component)
DOC_EXTENSIONS = {
    "doc_id": None,  # str, set by the runner
    "segments": None,  # tuple[Segment, ...] (claims_segmenter)
    "entities": None,  # tuple[EntityMention, ...] (claims_entities)
    "quantities": None,  # tuple[Quantity, ...] (claims_quantities)
    "claims": None,  # tuple[Claim, ...] (claims_claims)
    "stance": None,  # tuple[Stance, ...] (claims_stance)
}


def register_extensions() -> None:
    for name, default in DOC_EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


_TEXT_KEY = ("claims", "text")
# doc.user_data[KIND_KEY]: the document's kind (SPEC §1), set by the runner; absent on bare Docs.
KIND_KEY = ("claims", "kind")


# doc.user_data[DATE_KEY]: the document's date as written in its record (``2021-06-30``, ``2021-06``,
# ``2021``), set by the runner; absent on bare Docs and on documents without a date.
DATE_KEY = ("claims", "date")


def doc_kind(doc: Doc) -> str:
    return doc.user_data.get(KIND_KEY) or "other"


def doc_date(doc: Doc) -> str | None:
    """The document's date (ISO, possibly only a year or a month), or None where it has none."""
    return doc.user_data.get(DATE_KEY)


def remember_text(doc: Doc, text: str) -> Doc:
    """Record the text `doc` was tokenized from (the tokenizer keeps every character), so that
    `doc_text` need not rebuild it from the tokens: that costs as much as a component."""
    doc.user_data[_TEXT_KEY] = text
    return doc


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per Doc: spaCy rebuilds it from the tokens on every access, and each
    of our components needs it (several times a document, with the ones it calls)."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text
