"""Temperature scaling: one scalar that makes a classifier's probabilities honest.

The wrapped classifier is fitted on all the data; the temperature is fitted on out-of-fold
probabilities (grouped by document when groups are given), so it sees predictions made on text the
classifier did not train on. Dividing log-probabilities by one temperature keeps the argmax, so
calibration never changes a label, only how sure the model says it is.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.base import BaseEstimator, ClassifierMixin, MetaEstimatorMixin, clone
from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_predict
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, column_or_1d

_EPS = 1e-9


def softmax_temperature(proba: np.ndarray, temperature: float) -> np.ndarray:
    logits = np.log(np.clip(proba, _EPS, 1.0)) / temperature
    logits -= logits.max(axis=1, keepdims=True)
    out = np.exp(logits)
    return out / out.sum(axis=1, keepdims=True)


def fit_temperature(proba: np.ndarray, y_index: np.ndarray) -> float:
    """The temperature in [0.05, 20] minimising the negative log-likelihood of y."""
    def nll(log_t: float) -> float:
        p = softmax_temperature(proba, float(np.exp(log_t)))
        return float(-np.log(np.clip(p[np.arange(len(y_index)), y_index], _EPS, 1.0)).mean())

    result = minimize_scalar(nll, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(result.x))


class TemperatureScaledClassifier(ClassifierMixin, MetaEstimatorMixin, BaseEstimator):
    """Wraps a probabilistic classifier; `predict_proba` is temperature-calibrated.

    Parameters
    ----------
    estimator : classifier with predict_proba (default LogisticRegression)
    cv : folds for the out-of-fold probabilities the temperature is fitted on
    random_state : seeds the fold shuffling
    """

    def __init__(self, estimator=None, *, cv: int = 5, random_state: int | None = 0) -> None:
        self.estimator = estimator
        self.cv = cv
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True  # whatever the wrapped estimator accepts
        return tags

    def _base(self):
        if self.estimator is not None:
            return clone(self.estimator)
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(max_iter=1000)

    def _splitter(self, y: np.ndarray, groups):
        if groups is not None:
            n = min(self.cv, len(np.unique(groups)))
            return GroupKFold(n_splits=n, shuffle=True, random_state=self.random_state) if n >= 2 else None
        n = min(self.cv, int(np.bincount(np.unique(y, return_inverse=True)[1]).min()))
        return StratifiedKFold(n_splits=n, shuffle=True, random_state=self.random_state) if n >= 2 else None

    def fit(self, X, y, groups=None):
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None")
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        self.estimator_ = self._base().fit(X, y)
        self.classes_ = self.estimator_.classes_
        if hasattr(self.estimator_, "n_features_in_"):
            self.n_features_in_ = self.estimator_.n_features_in_
        splitter = self._splitter(y, groups)
        self.temperature_ = 1.0
        if splitter is not None and len(self.classes_) > 1:
            with warnings.catch_warnings():
                # A rare class missing from a training fold gets probability 0 there: expected.
                warnings.filterwarnings("ignore", message="Number of classes in training fold")
                oof = cross_val_predict(self._base(), X, y, groups=groups, cv=splitter, method="predict_proba")
            self.temperature_ = fit_temperature(oof, np.searchsorted(self.classes_, y))
        return self

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        return softmax_temperature(self.estimator_.predict_proba(X), self.temperature_)

    def predict(self, X) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
