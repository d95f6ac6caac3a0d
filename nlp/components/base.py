"""What every claims component shares: `predict` computes for a batch without mutating,
`set_annotations` writes; calling and piping are the same for all of them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.tokens import Doc
from spacy.util import minibatch


class Component:
    """Subclasses define `predict(docs) -> list` and `set_annotations(docs, predictions)`."""

    name: str

    def predict(self, docs: list[Doc]) -> list:
        raise NotImplementedError

    def set_annotations(self, docs: list[Doc], predictions: list) -> None:
        raise NotImplementedError

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations([doc], self.predict([doc]))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """One predict call per batch, so a model scores a whole batch at once."""
        for batch in minibatch(docs, size=batch_size):
            self.set_annotations(batch, self.predict(batch))
            yield from batch
