"""claims_entities: entity mentions with canonical ids (SPEC §3).

Gazetteer names (nlp/data/gazetteer.jsonl, plus any extra files merged
over it) are matched first, longest match winning; abbreviations defined in a document are learned
for the rest of it; spaCy's NER fills in people, organisations, places and laws the gazetteer does
not know; a bare surname joins the person named in full earlier. The work lives in nlp/entities/.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from ..entities import EntityFinder
from ..entities.ner import ner_candidates
from ..entities.tagger import lower_words
from ..extensions import doc_text, register_extensions
from .analysis import NER, SentenceAnalysis
from .base import Component
from ..records import EntityMention


@Language.factory(
    "claims_entities",
    assigns=["doc._.entities"],
    requires=["doc._.segments"],  # and doc.ents when spaCy's NER ran over the whole Doc
    default_config={
        # Extra gazetteer files (JSONL, our format), merged over ours: same id replaces, aliases move.
        "gazetteer_paths": [],
        # Use spaCy's NER for names the gazetteer does not know: more recall, a little less precision.
        "use_ner": True,
        # Names learned from the gold annotations (nlp/data/learned_names.jsonl, `claims train
        # entities`) under ours: names seen by annotators, found again on new pages.
        "learned_names": True,
    },
)
def make_entities(nlp: Language, name: str, gazetteer_paths: list[str], use_ner: bool,
                  learned_names: bool) -> "EntityTagger":
    return EntityTagger(nlp, name=name, gazetteer_paths=gazetteer_paths, use_ner=use_ner, learned_names=learned_names)


class EntityTagger(Component):
    """Sets ``doc._.entities`` to EntityMention records sorted by start, never overlapping.

    NER candidates come from ``doc.ents`` when spaCy's NER ran over the whole Doc
    (``analysis = "documents"``); otherwise the NER runs only around the capitalised words where it
    could add a name the gazetteer does not know (nlp/components/analysis.py), all of a batch at once.
    """

    def __init__(self, nlp: Language, *, name: str = "claims_entities", gazetteer_paths: Iterable[str] = (),
                 use_ner: bool = True, learned_names: bool = True) -> None:
        self.name = name
        register_extensions()
        self.finder = EntityFinder(nlp, gazetteer_paths=tuple(gazetteer_paths), use_ner=use_ner,
                                   learned_names=learned_names)
        self.analysis = SentenceAnalysis(nlp, NER) if use_ner else None

    def predict(self, docs: list[Doc]) -> list[tuple[EntityMention, ...]]:
        if not self.analysis or all(doc.has_annotation("ENT_IOB") for doc in docs):
            return [self.finder(doc) for doc in docs]
        found = [self.finder.match(doc) for doc in docs]
        texts = [doc_text(doc) for doc in docs]
        lower = [lower_words(text) for text in texts]
        wanted = [(n, start, end) for n, doc in enumerate(docs)
                  for start, end in self.finder.ner_windows(doc, found[n], _bounds(doc), lower=lower[n])]
        analysed = self.analysis([texts[n][start:end] for n, start, end in wanted])
        from_ner: list[list] = [[] for _ in docs]
        for (n, start, _end), window in zip(wanted, analysed):
            from_ner[n] += ner_candidates(window, self.finder.rules, lower[n], offset=start)
        return [self.finder(doc, from_ner=from_ner[n], found=found[n], lower=lower[n]) for n, doc in enumerate(docs)]

    def set_annotations(self, docs: list[Doc], mentions: list[tuple[EntityMention, ...]]) -> None:
        for doc, found in zip(docs, mentions):
            doc._.entities = found


def _bounds(doc: Doc) -> list[tuple[int, int]]:
    if doc._.segments is not None:
        return [(s.start, s.end) for s in doc._.segments]
    return [(0, len(doc_text(doc)))]
