"""claims_entities: gazetteer-driven entity mentions with canonical ids (SPEC §3).

PLACEHOLDER: emits nothing yet; being replaced by the gazetteer + abbreviation + NER component.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions


@Language.factory("claims_entities", assigns=["doc._.entities"],
                  default_config={"gazetteer_paths": [], "use_ner": True})
def make_entities(nlp: Language, name: str, gazetteer_paths: list[str], use_ner: bool) -> "EntityTagger":
    return EntityTagger(name=name)


class EntityTagger:
    def __init__(self, *, name: str = "claims_entities") -> None:
        self.name = name
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc._.entities = ()
        return doc
