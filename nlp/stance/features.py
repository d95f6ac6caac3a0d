"""Feature tables and the column transformers that read them.

`build_table` turns SentenceContexts (plus an embedding lookup) into one pandas DataFrame:
text columns for TF-IDF, categorical context columns, and four embedding blocks (the sentence,
its neighbours' mean, its document's mean). Pipelines pick the columns they want, so every
approach is a plain scikit-learn estimator over the same table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer, make_column_selector
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from .data import SentenceContext

CATEGORICAL = ("segment", "has_speaker", "kind")
BLOCKS = ("e", "c", "d")  # sentence, context (mean of neighbours), document mean


def _vectors(texts: Sequence[str], lookup: Mapping[str, np.ndarray], dim: int) -> np.ndarray:
    zero = np.zeros(dim, dtype=np.float32)
    return np.vstack([lookup.get(t, zero) for t in texts]) if texts else np.zeros((0, dim), np.float32)


def _doc_means(doc_ids: Sequence[str], sent: np.ndarray) -> np.ndarray:
    codes, inverse = np.unique(np.asarray(doc_ids), return_inverse=True)
    sums = np.zeros((len(codes), sent.shape[1]), dtype=np.float64)
    np.add.at(sums, inverse, sent)
    counts = np.bincount(inverse, minlength=len(codes))[:, None]
    return (sums / np.maximum(counts, 1))[inverse].astype(np.float32)


def build_table(examples: Sequence[SentenceContext], lookup: Mapping[str, np.ndarray] | None = None,
                *, dim: int | None = None) -> pd.DataFrame:
    """One row per sentence. Without a lookup the embedding blocks are left out; `dim` is the
    lookup's vector size (read from it when not given)."""
    table = pd.DataFrame({
        "doc_id": [e.doc_id for e in examples],
        "text": [e.text for e in examples],
        "context": [f"{e.prev} {e.next}".strip() for e in examples],
        "segment": [e.segment for e in examples],
        "has_speaker": ["yes" if e.speaker else "no" for e in examples],
        "kind": [e.kind for e in examples],
    })
    if lookup is None:
        return table
    if dim is None:
        if not lookup:
            raise ValueError("an empty embedding lookup gives no vector size: pass dim= (the encoder's)")
        dim = len(next(iter(lookup.values())))
    sent = _vectors([e.text for e in examples], lookup, dim)
    prev, nxt = _vectors([e.prev for e in examples], lookup, dim), _vectors([e.next for e in examples], lookup, dim)
    blocks = {"e": sent, "c": (prev + nxt) / 2, "d": _doc_means([e.doc_id for e in examples], sent)}
    frames = [pd.DataFrame(m, columns=[f"{b}{i}" for i in range(dim)]) for b, m in blocks.items()]
    return pd.concat([table, *frames], axis=1)


def block(name: str) -> make_column_selector:
    return make_column_selector(pattern=rf"^{name}\d+$")


def word_tfidf(column: str = "text", *, min_df: int = 2) -> TfidfVectorizer:
    return TfidfVectorizer(ngram_range=(1, 2), min_df=min_df, sublinear_tf=True, strip_accents="unicode")


def char_tfidf(*, min_df: int = 2) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=min_df, sublinear_tf=True,
                           max_features=30_000)


def columns(*, text: bool = False, chars: bool = False, lexicon: bool = False, context_text: bool = False,
            embeddings: Sequence[str] = (), categorical: Sequence[str] = ()) -> ColumnTransformer:
    """A ColumnTransformer over build_table's columns with the parts asked for; `lexicon` adds the
    word-list cues of nlp/data/stance_lexicon.toml (nlp/stance/lexicon.py)."""
    parts = []
    if text:
        parts.append(("text", word_tfidf(), "text"))
    if chars:
        parts.append(("chars", char_tfidf(), "text"))
    if lexicon:
        from .lexicon import LexiconFeatures

        parts.append(("lexicon", LexiconFeatures(), ["text"]))
    if context_text:
        parts.append(("context", word_tfidf(), "context"))
    for name in embeddings:
        parts.append((f"emb_{name}", StandardScaler(), block(name)))
    if categorical:
        parts.append(("cats", OneHotEncoder(handle_unknown="ignore"), list(categorical)))
    return ColumnTransformer(parts, sparse_threshold=0.3)
