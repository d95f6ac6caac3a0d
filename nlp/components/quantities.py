"""claims_quantities: numeric mentions with normalised values (SPEC §4).

PLACEHOLDER: emits nothing yet; being replaced by the full extractor.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions


@Language.factory("claims_quantities", assigns=["doc._.quantities"], default_config={})
def make_quantities(nlp: Language, name: str) -> "QuantityTagger":
    return QuantityTagger(name=name)


class QuantityTagger:
    def __init__(self, *, name: str = "claims_quantities") -> None:
        self.name = name
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc._.quantities = ()
        return doc
