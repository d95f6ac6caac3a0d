"""Stance read with its document: a first pass over each sentence, then a second that also sees
what the first pass made of the sentence's document and neighbours.

`ContextStackedClassifier` is one scikit-learn classifier over `build_table`'s DataFrame (which
carries `doc_id`; rows of a document contiguous and in reading order, as `contexts_for` gives them):

1. features: TF-IDF words + char n-grams + the word-list cues (nlp/stance/lexicon.py);
2. first pass: class-balanced logistic regression on them;
3. context: per sentence, the first pass's mean probabilities over the other sentences of its
   document (leave-self-out) and the previous and next sentences' probabilities;
4. second pass: logistic regression on the features plus the context.

The second pass trains on context built from out-of-fold first-pass probabilities (grouped folds,
by site when `groups` are given), so it learns from first-pass readings of unseen text, as it gets
at run time. A temperature fitted on the second pass's out-of-fold probabilities calibrates it
(the argmax is kept). Grouped-CV macro-F1 0.478 against 0.460 without the second pass
(research/stance_cheap_cv.py, MODEL_CARD.md). `predict_proba_in_place` reads occluded variants of a
sentence with its document context (nlp/stance/explain.py).
"""

from __future__ import annotations

import warnings

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sklearn.utils.validation import check_is_fitted

from .calibration import fit_temperature, softmax_temperature
from .features import columns


def document_context(doc_ids, proba: np.ndarray) -> np.ndarray:
    """(n, 3k): the mean of the other sentences' rows of the same document, the previous row's and
    the next row's (zeros where there is none), rows of a document taken in order."""
    doc_ids = np.asarray(doc_ids)
    n, k = proba.shape
    out = np.zeros((n, 3 * k))
    order = np.argsort(doc_ids, kind="stable")  # each document's rows, in reading order
    starts = np.flatnonzero(np.r_[True, doc_ids[order][1:] != doc_ids[order][:-1]])
    for idx in np.split(order, starts[1:]):
        rows = proba[idx]
        out[idx, :k] = (rows.sum(axis=0) - rows) / max(len(idx) - 1, 1)
        out[idx[1:], k:2 * k] = rows[:-1]
        out[idx[:-1], 2 * k:] = rows[1:]
    return out


class ContextStackedClassifier(ClassifierMixin, BaseEstimator):
    """Parameters: `c` (inverse regularisation of both passes), `inner_cv` (folds for the
    out-of-fold first pass and the temperature), `lexicon` (add the word-list cues), `random_state`."""

    def __init__(self, c: float = 10.0, *, inner_cv: int = 5, lexicon: bool = True, random_state: int | None = 0):
        self.c = c
        self.inner_cv = inner_cv
        self.lexicon = lexicon
        self.random_state = random_state

    def _lr(self) -> LogisticRegression:
        # class_weight="balanced": `oppose` and `qualified` are rare, and macro-F1 weighs them as `none`.
        return LogisticRegression(C=self.c, class_weight="balanced", max_iter=3000, random_state=self.random_state)

    def _proba(self, model, X) -> np.ndarray:
        """Probabilities in self.classes_ order (a class missing from a fold's training part gets 0)."""
        out = np.zeros((X.shape[0], len(self.classes_)))
        out[:, np.searchsorted(self.classes_, model.classes_)] = model.predict_proba(X)
        return out

    def _out_of_fold(self, X, y, folds) -> np.ndarray:
        oof = np.zeros((X.shape[0], len(self.classes_)))
        for train, test in folds:
            oof[test] = self._proba(self._lr().fit(X[train], y[train]), X[test])
        return oof

    def fit(self, X, y, groups=None):
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        doc_ids = X["doc_id"].to_numpy()
        self.features_ = columns(text=True, chars=True, lexicon=self.lexicon)
        F = sp.csr_matrix(self.features_.fit_transform(X))
        groups = np.asarray(groups) if groups is not None else doc_ids
        n = min(self.inner_cv, len(np.unique(groups)))
        folds = (list(GroupKFold(n_splits=n, shuffle=True, random_state=self.random_state).split(F, y, groups))
                 if n >= 2 else [])
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Number of classes in training fold")
            first_oof = self._out_of_fold(F, y, folds) if folds else None
            self.first_ = self._lr().fit(F, y)
            if first_oof is None:
                first_oof = self._proba(self.first_, F)
            S = sp.hstack([F, sp.csr_matrix(document_context(doc_ids, first_oof))]).tocsr()
            self.temperature_ = 1.0
            if folds:
                self.temperature_ = fit_temperature(self._out_of_fold(S, y, folds), np.searchsorted(self.classes_, y))
            self.second_ = self._lr().fit(S, y)
        return self

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self, "second_")
        F = sp.csr_matrix(self.features_.transform(X))
        context = document_context(X["doc_id"].to_numpy(), self._proba(self.first_, F))
        S = sp.hstack([F, sp.csr_matrix(context)]).tocsr()
        return softmax_temperature(self._proba(self.second_, S), self.temperature_)

    def predict_proba_in_place(self, document, position: int, variants) -> np.ndarray:
        """Probabilities of `variants` (rows like `document`'s) each read in the place of row
        `position` of one document: with the document context that row has there (the other rows'
        and the neighbours' first-pass stance), as occlusion needs (nlp/stance/explain.py)."""
        check_is_fitted(self, "second_")
        context = document_context(document["doc_id"].to_numpy(),
                                   self._proba(self.first_, sp.csr_matrix(self.features_.transform(document))))
        F = sp.csr_matrix(self.features_.transform(variants))
        S = sp.hstack([F, sp.csr_matrix(np.repeat(context[position:position + 1], F.shape[0], axis=0))]).tocsr()
        return softmax_temperature(self._proba(self.second_, S), self.temperature_)

    def predict(self, X) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
