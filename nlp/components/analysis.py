"""spaCy's statistical components run on chosen sentences only.

In the default `analysis = "sentences"` mode (nlp/config.py) the pipeline loads en_core_web_sm with
its tagger, parser and NER *disabled*: `nlp.pipe` skips them, but they stay loaded, and our
components call them on the few sentences that need them: the parser on sentences that hold a
quantity (for its `measure`), the NER on sentences with a capitalised name the gazetteer does not
know. A sentence is analysed as a Doc of its own and the results are mapped back by character
offset. Most words of a document never reach a neural network, which is where the speed comes from.

    >>> analysis = SentenceAnalysis(nlp, ("tok2vec", "tagger", "parser", "attribute_ruler"))
    >>> docs = analysis(["Eight out of ten CRCs were rated inadequate."])
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

PARSE = ("tok2vec", "tagger", "parser", "attribute_ruler")  # what `measure` and `pos_` need
NER = ("ner",)  # en_core_web_sm's NER has its own token-to-vector layer


class SentenceAnalysis:
    """Calls the named components of `nlp` (enabled or disabled, those present) on sentence texts.

    Components listening to a shared `tok2vec` get it, because the components run in pipeline
    order over each batch, as `nlp.pipe` would run them.
    """

    def __init__(self, nlp: Language, names: Sequence[str], *, batch_size: int = 64) -> None:
        present = set(nlp.component_names)
        self.names = tuple(name for name in nlp.component_names if name in names and name in present)
        self._nlp = nlp
        self.batch_size = batch_size

    def __bool__(self) -> bool:
        return bool(self.names)

    def __call__(self, texts: Sequence[str]) -> list[Doc]:
        docs = [self._nlp.make_doc(text) for text in texts]
        if not docs:
            return docs
        for name in self.names:
            docs = list(self._nlp.get_pipe(name).pipe(docs, batch_size=self.batch_size))
        return docs


def analysed_whole(doc: Doc, attribute: str) -> bool:
    """Whether spaCy's own components already ran over the whole Doc (`analysis = "documents"`)."""
    return doc.has_annotation(attribute)
