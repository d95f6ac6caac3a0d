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

PARSE = ("tok2vec", "tagger", "parser")  # what `measure` needs; `pos_` comes from PosFromTags
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


class PosFromTags:
    """Coarse `pos_` from the tagger's fine `tag_`, as en_core_web_sm's attribute_ruler sets it.

    The ruler is a Matcher over 179 patterns and costs as much as the parser; the part of it that
    decides `pos_` is a table (TAG -> POS, and (word, TAG) -> POS for a few words such as `is`),
    read here from the ruler's own patterns and applied by lookup; its few rules that also look at
    the dependency label are left out (`this` stays DET where the ruler would say PRON). Lemmas and
    morphology, which nothing of ours reads, are left unset.
    """

    def __init__(self, nlp: Language) -> None:
        self.by_tag: dict[str, str] = {}
        self.by_word: dict[tuple[str, str], str] = {}
        if "attribute_ruler" not in nlp.component_names:
            return
        for rule in nlp.get_pipe("attribute_ruler").patterns:
            pos = rule["attrs"].get("POS")
            if pos is None:
                continue
            for pattern in rule["patterns"]:
                if len(pattern) != 1 or not set(pattern[0]) <= {"TAG", "LOWER"} or "TAG" not in pattern[0]:
                    continue
                tags, words = _values(pattern[0]["TAG"]), _values(pattern[0].get("LOWER"))
                for tag in tags:
                    if words is None:
                        self.by_tag[tag] = pos
                    else:
                        self.by_word.update(((word, tag), pos) for word in words)

    def __call__(self, docs: Sequence[Doc]) -> None:
        if not self.by_tag:
            return
        for doc in docs:
            for token in doc:
                pos = self.by_word.get((token.lower_, token.tag_)) or self.by_tag.get(token.tag_)
                if pos:
                    token.pos_ = pos


def _values(spec) -> list[str] | None:
    """A Matcher attribute's values: `"NN"` or `{"IN": ["NN", "NNS"]}`; None when absent."""
    if spec is None:
        return None
    return [spec] if isinstance(spec, str) else list(spec.get("IN", ()))
