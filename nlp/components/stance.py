"""claims_stance: each segment's stance toward the configured target, with calibrated scores.

Sets `doc._.stance` to one `Stance(sent_id, label, scores)` per segment in `doc._.segments`;
`scores` covers every label of the target and sums to 1. All segments of a batch of Docs are
embedded in one encoder call.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import doc_kind, doc_text, register_extensions
from .base import Component
from ..records import Stance
from ..stance.data import SentenceContext, contexts_for


@Language.factory("claims_stance", assigns=["doc._.stance"], requires=["doc._.segments"],
                  default_config={"models_dir": "", "model_subdir": "stance", "batch_size": 32, "threads": 1})
# model_subdir: `stance` (character n-grams, no encoder: the grouped-CV winner on the pool) or
# `stance-minilm` (MiniLM features, trained on the earlier 987 sentences; ~7x slower runs);
# Config.stance_model picks it.
def make_stance(nlp: Language, name: str, models_dir: str, model_subdir: str, batch_size: int,
                threads: int) -> "StanceClassifier":
    from ..config import Config

    base = Path(models_dir or Config().models_dir)
    return StanceClassifier(name=name, model_dir=base / model_subdir, batch_size=batch_size, threads=threads)


class StanceClassifier(Component):
    """Loads a trained stance model (nlp/stance/model.py); raises E016 when it is missing.

    batch_size: sentences per encoder forward pass (memory vs speed).
    threads: torch threads for the encoder (0: torch's default); 1 is fastest on a busy 2-core box.
    """

    def __init__(self, *, name: str = "claims_stance", model_dir: str | Path, batch_size: int = 32,
                 threads: int = 1, encoder=None) -> None:
        from ..stance.model import load_model

        self.name = name
        self.batch_size = batch_size
        self.threads = threads
        self.model = load_model(model_dir)
        self.labels = self.model.target.labels
        self._encoder = encoder
        register_extensions()

    @property
    def encoder(self):
        if self._encoder is None and self.model.needs_embeddings:
            from ..stance.encoder import load_encoder

            self._encoder = load_encoder(self.model.encoder)
        return self._encoder

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        return super().pipe(docs, batch_size=batch_size)  # the encoder's batch: smaller than the default

    def _contexts(self, docs: list[Doc]) -> list[list[SentenceContext]]:
        out = []
        for n, doc in enumerate(docs):
            segments = doc._.segments or ()
            # The position in the batch is the document key: the document-mean feature groups by it.
            # nlp/stance/data.py `run_contexts` rebuilds these from a run's outputs: keep the two in step.
            text = doc_text(doc)
            out.append(contexts_for(str(n), [text[s.start : s.end] for s in segments],
                                    segments=[s.segment for s in segments],
                                    speakers=[s.speaker for s in segments], kind=doc_kind(doc)))
        return out

    def predict(self, docs: list[Doc]) -> list[np.ndarray]:
        """One (n_segments, n_labels) probability array per Doc; nothing is written."""
        per_doc = self._contexts(docs)
        flat = [c for contexts in per_doc for c in contexts]
        lookup = None
        if self.model.needs_embeddings and flat:
            from ..stance.encoder import embedding_lookup

            lookup = embedding_lookup(self.encoder, [c.text for c in flat], batch_size=self.batch_size,
                                      threads=self.threads)
        proba = self.model.predict_proba(flat, lookup)
        bounds = np.cumsum([0] + [len(c) for c in per_doc])
        return [proba[a:b] for a, b in zip(bounds[:-1], bounds[1:])]

    def set_annotations(self, docs: list[Doc], preds: list[np.ndarray]) -> None:
        for doc, proba in zip(docs, preds):
            doc._.stance = tuple(
                Stance(sent_id=i, label=self.labels[int(row.argmax())],
                       scores={label: float(p) for label, p in zip(self.labels, row)})
                for i, row in enumerate(proba))

