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
