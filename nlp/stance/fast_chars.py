"""A fitted character n-gram TF-IDF, read word by word: the same matrix as scikit-learn's, faster.

scikit-learn's `analyzer="char_wb"` cuts every sentence into the n-grams of its words in Python,
one string at a time, and looks each up in the vocabulary: on the shipped stance model that is
three quarters of the stance component's time. The n-grams of a sentence are the n-grams of its
words, each padded with a space (`_char_wb_ngrams`), so a word's vocabulary columns can be
computed once and reused: words repeat (Zipf), n-grams are the same, the matrix is the same.

    >>> fast = speed_up(load_model("models/stance").estimator)  # in place; returns the count swapped

`CharWordCache.transform` equals the wrapped vectorizer's `transform` (tests/test_stance_fast_chars.py).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer

MAX_WORDS = 200_000  # cached words before the cache starts again (memory stays bounded)


class CharWordCache:
    """Wraps a fitted `TfidfVectorizer(analyzer="char_wb")`; `transform` gives its matrix."""

    def __init__(self, vectorizer: TfidfVectorizer, *, max_words: int = MAX_WORDS) -> None:
        if not can_speed_up(vectorizer):
            raise ValueError(f"not a fitted char_wb TfidfVectorizer without a custom analyzer: {vectorizer!r}")
        self.vectorizer = vectorizer
        self.preprocess = vectorizer.build_preprocessor()
        self.min_n, self.max_n = vectorizer.ngram_range
        self.max_words = max_words
        self._columns: dict[str, np.ndarray] = {}

    def __reduce__(self):  # saved (joblib, pickle), it is the vectorizer it wraps, without the cache
        return copy.copy, (self.vectorizer,)

    def __getattr__(self, name: str):  # vocabulary_, idf_, get_feature_names_out, ...: the wrapped one's
        if name == "vectorizer":
            raise AttributeError(name)
        return getattr(self.vectorizer, name)

    def word_columns(self, word: str) -> np.ndarray:
        """The vocabulary columns of the n-grams of one word (with repeats), as `_char_wb_ngrams` cuts them."""
        columns = self._columns.get(word)
        if columns is None:
            vocabulary, padded = self.vectorizer.vocabulary_, f" {word} "
            found = []
            for n in range(self.min_n, self.max_n + 1):
                last = max(len(padded) - n, 0)
                found += [vocabulary.get(padded[i : i + n]) for i in range(last + 1)]
                if last == 0:  # a short word counts once, at its full length
                    break
            columns = np.array([c for c in found if c is not None], dtype=np.int32)
            if len(self._columns) >= self.max_words:
                self._columns.clear()
            self._columns[word] = columns
        return columns

    def counts(self, documents: Iterable[str]) -> sp.csr_matrix:
        """The n-gram count matrix (CountVectorizer.transform's)."""
        parts, per_document = [], []
        for document in documents:
            if isinstance(document, bytes):
                document = self.vectorizer.decode(document)
            found = [self.word_columns(word) for word in self.preprocess(document).split()]
            parts += found
            per_document.append(sum(len(columns) for columns in found))
        n_docs = len(per_document)
        cols = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)
        rows = np.repeat(np.arange(n_docs, dtype=np.int32), per_document)
        shape = (n_docs, len(self.vectorizer.vocabulary_))
        matrix = sp.coo_matrix((np.ones(len(cols), dtype=self.vectorizer.dtype), (rows, cols)), shape=shape).tocsr()
        matrix.sum_duplicates()
        matrix.sort_indices()
        if self.vectorizer.binary:
            matrix.data.fill(1)
        return matrix

    def transform(self, raw_documents) -> sp.csr_matrix:
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        return self.vectorizer._tfidf.transform(self.counts(raw_documents), copy=False)


def can_speed_up(vectorizer) -> bool:
    """A fitted char_wb TfidfVectorizer whose n-grams come from sklearn's own analyzer."""
    return (isinstance(vectorizer, TfidfVectorizer) and vectorizer.analyzer == "char_wb"
            and hasattr(vectorizer, "vocabulary_") and vectorizer.input == "content"
            and vectorizer.tokenizer is None)


def speed_up(estimator) -> int:
    """Swap every fitted char_wb TfidfVectorizer inside `estimator` (through calibration wrappers,
    pipelines and column transformers) for a CharWordCache; returns how many were swapped."""
    swapped = 0
    for attribute in ("estimator_", "features_"):  # calibration wrapper; ContextStackedClassifier
        inner = getattr(estimator, attribute, None)
        if inner is not None:
            swapped += speed_up(inner)
    for _name, step in getattr(estimator, "steps", ()):
        swapped += speed_up(step)
    fitted = getattr(estimator, "transformers_", None)
    if fitted is not None:
        for k, (name, transformer, columns) in enumerate(fitted):
            if can_speed_up(transformer):
                fitted[k] = (name, CharWordCache(transformer), columns)
                swapped += 1
            elif not isinstance(transformer, str):
                swapped += speed_up(transformer)
    return swapped
