"""claims_entities: entity mentions with canonical ids (SPEC §3).

Runs after spaCy's ``ner``. Gazetteer names (nlp/data/gazetteer.jsonl, plus any extra files merged
over it) are matched first, longest match winning; abbreviations defined in a document are learned
for the rest of it; spaCy's NER fills in people, organisations, places and laws the gazetteer does
not know; a bare surname joins the person named in full earlier. The work lives in nlp/entities/.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from ..entities import EntityFinder
from ..extensions import register_extensions
from .base import Component
from ..records import EntityMention


@Language.factory(
    "claims_entities",
    assigns=["doc._.entities"],
    requires=["doc.ents"],
    default_config={
        # Extra gazetteer files (JSONL, our format), merged over ours: same id replaces, aliases move.
        "gazetteer_paths": [],
        # Use spaCy's NER for names the gazetteer does not know: more recall, a little less precision.
        "use_ner": True,
    },
)
def make_entities(nlp: Language, name: str, gazetteer_paths: list[str], use_ner: bool) -> "EntityTagger":
    return EntityTagger(nlp, name=name, gazetteer_paths=gazetteer_paths, use_ner=use_ner)


class EntityTagger(Component):
    """Sets ``doc._.entities`` to EntityMention records sorted by start, never overlapping."""

    def __init__(self, nlp: Language, *, name: str = "claims_entities", gazetteer_paths: Iterable[str] = (),
                 use_ner: bool = True) -> None:
        self.name = name
        register_extensions()
        self.finder = EntityFinder(nlp, gazetteer_paths=tuple(gazetteer_paths), use_ner=use_ner)

    def predict(self, docs: list[Doc]) -> list[tuple[EntityMention, ...]]:
        return [self.finder(doc) for doc in docs]

    def set_annotations(self, docs: list[Doc], mentions: list[tuple[EntityMention, ...]]) -> None:
        for doc, found in zip(docs, mentions):
            doc._.entities = found
