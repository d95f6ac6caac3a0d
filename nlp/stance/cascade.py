"""The shipped stance model: a cheap first pass that settles clear `none` sentences, and the
fine-tuned MiniLM (nlp/stance/transformer.py) on the rest.

A sentence whose first-pass probability of `none` reaches `tau` keeps the first pass's
probabilities; every other sentence gets the transformer's, temperature-scaled. Both `tau` and the
temperature come from grouped cross-validation by site (the model card). The folder holds the
first pass (`model.joblib`), the trained top layers (`top_layers.pt`, fp16) and `meta.json`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .data import SentenceContext
from .model import META_FILE, StanceModel, load_estimator
from .target import StanceTarget
from . import transformer

APPROACH = "cascade_minilm"


@dataclass
class CascadeModel:
    first: StanceModel
    top: object  # transformer top layers + head (torch.nn.Module)
    frozen: int
    tau: float
    temperature: float
    target: StanceTarget
    max_tokens: int = transformer.MAX_TOKENS
    meta: dict = field(default_factory=dict)
    threads: int = 1
    approach: str = APPROACH
    needs_embeddings: bool = False
    routed: int = 0  # sentences sent to the transformer since loading
    seen: int = 0

    @property
    def encoder(self) -> str:
        return "minilm"

    def route(self, first_proba: np.ndarray) -> np.ndarray:
        """Which rows go to the transformer: those the first pass does not settle as `none`."""
        none = list(self.target.labels).index(self.target.default_label)
        return first_proba[:, none] < self.tau

    def predict_proba(self, contexts: Sequence[SentenceContext], lookup=None) -> np.ndarray:
        proba = self.first.predict_proba(contexts)
        routed = np.flatnonzero(self.route(proba))
        self.seen += len(contexts)
        self.routed += len(routed)
        if len(routed):
            proba[routed] = self.transformer_proba([contexts[i] for i in routed])
        return proba

    def transformer_proba(self, contexts: Sequence[SentenceContext]) -> np.ndarray:
        """The transformer's temperature-scaled probabilities, whatever the first pass says."""
        import torch

        before = torch.get_num_threads()
        if self.threads:
            torch.set_num_threads(self.threads)
        try:
            z = transformer.logits(self.top, self.frozen, contexts, max_tokens=self.max_tokens) / self.temperature
        finally:
            torch.set_num_threads(before)
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def save(self, out_dir: str | Path) -> list[Path]:
        out_dir = Path(out_dir)
        files = self.first.save(out_dir)  # model.joblib and a meta.json we overwrite below
        files.append(transformer.save_top(self.top, out_dir / transformer.WEIGHTS_FILE))
        meta = dict(self.meta, approach=self.approach, needs_embeddings=False, target=self.target.to_dict(),
                    first_pass={"approach": self.first.approach, "temperature": self.first.meta.get("temperature")},
                    frozen=self.frozen, tau=self.tau, transformer_temperature=self.temperature,
                    max_tokens=self.max_tokens)
        (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        return files


def load_cascade(model_dir: Path, meta: dict, target: StanceTarget) -> CascadeModel:
    from ..errors import Errors, InputError

    weights = model_dir / transformer.WEIGHTS_FILE
    if not weights.is_file():
        raise InputError(Errors.E016.format(path=weights, what="stance"), path=str(model_dir))
    first_meta = dict(meta.get("first_pass") or {})
    first = StanceModel(estimator=load_estimator(model_dir), target=target,
                        approach=first_meta.get("approach", "tfidf_char_lr"), needs_embeddings=False,
                        meta=first_meta)
    top = transformer.load_top(weights, int(meta["frozen"]), len(target.labels))
    return CascadeModel(first=first, top=top, frozen=int(meta["frozen"]), tau=float(meta["tau"]),
                        temperature=float(meta["transformer_temperature"]), target=target, meta=meta,
                        max_tokens=int(meta.get("max_tokens", transformer.MAX_TOKENS)))
