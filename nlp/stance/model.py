"""A trained stance model on disk: `model.joblib` (the fitted estimator) and `meta.json` (target,
approach, label order, training facts). `load_model` raises E016 when the folder lacks them."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import Errors, InputError
from .data import SentenceContext
from .fast_chars import speed_up
from .features import build_table
from .target import StanceTarget

MODEL_FILE = "model.joblib"
META_FILE = "meta.json"


@dataclass
class StanceModel:
    """A fitted estimator with the target it was trained for."""

    estimator: object
    target: StanceTarget
    approach: str
    needs_embeddings: bool
    meta: dict = field(default_factory=dict)

    @property
    def encoder(self) -> str:
        """The encoder its embedding features come from (nlp/stance/encoder.py); models saved
        before there was a choice used MiniLM."""
        return self.meta.get("encoder", "minilm")

    def predict_proba(self, contexts: Sequence[SentenceContext], lookup=None) -> np.ndarray:
        """(n, len(target.labels)) probabilities in the target's label order, rows summing to 1."""
        n_labels = len(self.target.labels)
        if not contexts:
            return np.zeros((0, n_labels))
        proba = self.estimator.predict_proba(build_table(contexts, lookup if self.needs_embeddings else None))
        return self._in_target_order(proba, len(contexts))

    def predict_proba_in_document(self, document: Sequence[SentenceContext], position: int,
                                  variants: Sequence[SentenceContext], lookup=None) -> np.ndarray:
        """Probabilities of `variants`, each read in the place of `document[position]` (one
        document, as the pipeline gave it to the model). A model that reads its document
        (stack_lex_lr) gets that document; any other reads the variants as `predict_proba` does."""
        place = getattr(self.estimator, "predict_proba_in_place", None)
        if place is None:
            return self.predict_proba(variants, lookup)
        use = lookup if self.needs_embeddings else None
        proba = place(build_table(document, use), position, build_table(variants, use))
        return self._in_target_order(proba, len(variants))

    def _in_target_order(self, proba: np.ndarray, n: int) -> np.ndarray:
        out = np.zeros((n, len(self.target.labels)))
        index = {label: i for i, label in enumerate(self.target.labels)}
        for j, label in enumerate(self.estimator.classes_):
            out[:, index[label]] = proba[:, j]
        return out / out.sum(axis=1, keepdims=True)

    def save(self, out_dir: str | Path) -> list[Path]:
        import joblib

        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        meta = dict(self.meta, approach=self.approach, needs_embeddings=self.needs_embeddings,
                    target=self.target.to_dict())
        joblib.dump(self.estimator, out_dir / MODEL_FILE, compress=3)
        (out_dir / META_FILE).write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
        return [out_dir / MODEL_FILE, out_dir / META_FILE]


def load_estimator(model_dir: Path):
    """The fitted estimator in `model_dir`, its char n-grams read word by word (the same
    probabilities; nlp/stance/fast_chars.py)."""
    import joblib

    estimator = joblib.load(model_dir / MODEL_FILE)
    speed_up(estimator)
    return estimator


def load_model(model_dir: str | Path):
    """The model in a folder: a StanceModel, or the cascade (nlp/stance/cascade.py) when its meta
    says so. Both give `predict_proba(contexts, lookup)` and `target`."""
    model_dir = Path(model_dir)
    for name in (MODEL_FILE, META_FILE):
        if not (model_dir / name).is_file():
            raise InputError(Errors.E016.format(path=model_dir / name, what="stance"), path=str(model_dir))
    meta = json.loads((model_dir / META_FILE).read_text(encoding="utf-8"))
    target = StanceTarget.from_dict(meta["target"], source=str(model_dir / META_FILE))
    if meta.get("approach") == "cascade_minilm":
        from .cascade import load_cascade

        return load_cascade(model_dir, meta, target)
    return StanceModel(estimator=load_estimator(model_dir), target=target, approach=meta["approach"],
                       needs_embeddings=bool(meta["needs_embeddings"]), meta=meta)
