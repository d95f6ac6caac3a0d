"""Grouped cross-validation by document, and scoring with the project's one metric function."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import GroupKFold

from ..eval.metrics import expected_calibration_error, macro_f1
from .calibration import TemperatureScaledClassifier


@dataclass
class CVResult:
    name: str
    macro_f1: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    oof_labels: list[str] = field(default_factory=list)
    oof_confidence: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self, gold: Sequence[str], labels: Sequence[str]) -> dict:
        pooled = score(gold, self.oof_labels, self.oof_confidence, labels)
        return {"approach": self.name, "macro_f1_mean": round(float(np.mean(self.macro_f1)), 4),
                "macro_f1_sd": round(float(np.std(self.macro_f1)), 4),
                "accuracy_mean": round(float(np.mean(self.accuracy)), 4),
                "pooled_macro_f1": pooled["macro_f1"], "pooled_ece": pooled["ece"],
                "seconds": round(self.seconds, 1)}


def score(gold: Sequence[str], pred: Sequence[str], confidence: Sequence[float] | None,
          labels: Sequence[str]) -> dict:
    """macro-F1, accuracy (nlp.eval.metrics.macro_f1) and ECE of the predicted labels' confidence."""
    out = macro_f1(list(gold), list(pred), list(labels))
    if confidence is not None:
        out["ece"] = float(expected_calibration_error([float(c) for c in confidence],
                                                     [g == p for g, p in zip(gold, pred)]))
    return out


def fit_estimator(estimator, X, y, groups=None):
    from .stacking import ContextStackedClassifier

    if isinstance(estimator, TemperatureScaledClassifier | ContextStackedClassifier):
        return estimator.fit(X, y, groups=groups)
    return estimator.fit(X, y)


def predict_with_confidence(estimator, X) -> tuple[np.ndarray, np.ndarray]:
    proba = estimator.predict_proba(X)
    best = proba.argmax(axis=1)
    return estimator.classes_[best], proba[np.arange(len(best)), best]


def grouped_cv(name: str, estimator, X, y: Sequence[str], groups: Sequence[str], *,
               labels: Sequence[str], n_splits: int = 5, seed: int = 0) -> CVResult:
    """Grouped (by document) K-fold: per-fold macro-F1/accuracy and pooled out-of-fold predictions."""
    import time

    started = time.perf_counter()
    y, groups = np.asarray(y), np.asarray(groups)
    result = CVResult(name)
    oof_labels = np.empty(len(y), dtype=object)
    oof_conf = np.zeros(len(y))
    splitter = GroupKFold(n_splits=n_splits, shuffle=True, random_state=seed)
    for train, test in splitter.split(X, y, groups):
        model = fit_estimator(clone(estimator), X.iloc[train], y[train], groups[train])
        pred, conf = predict_with_confidence(model, X.iloc[test])
        oof_labels[test], oof_conf[test] = pred, conf
        fold = score(y[test], pred, None, labels)
        result.macro_f1.append(fold["macro_f1"])
        result.accuracy.append(fold["accuracy"])
    result.oof_labels, result.oof_confidence = list(oof_labels), list(oof_conf)
    result.seconds = time.perf_counter() - started
    return result
