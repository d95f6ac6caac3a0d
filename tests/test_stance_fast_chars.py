"""The word-cached char n-gram TF-IDF (nlp/stance/fast_chars.py) gives scikit-learn's matrix exactly."""

from __future__ import annotations

import pickle
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.stance.fast_chars import CharWordCache, can_speed_up, speed_up
from nlp.stance.model import MODEL_FILE, load_model

SHIPPED = Path(__file__).resolve().parents[1] / "models" / "stance"

# Short words (shorter than, equal to and longer than the n-gram sizes), accents, case, repeated
# white space, a word twice in one sentence, an empty text and one of white space only.
EDGES = ["", "   ", "a", "I am", "Résumé  RÉSUMÉ\tcafé", "CRCs, CRCs and the NPS.", "x" * 40,
         "Transforming Rehabilitation: 21 Community Rehabilitation Companies (2014–2021)"]


def _pool_lines(shared_dir: Path, limit: int = 1600) -> list[str]:
    lines = []
    for path in sorted((shared_dir / "pool").glob("pool-*.txt"))[:120]:
        lines += [line for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    return lines[:limit]


def _same(a, b) -> None:
    assert a.shape == b.shape
    assert (abs(a - b) > 0).nnz == 0
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)


@pytest.mark.parametrize("options", [dict(ngram_range=(2, 5)), dict(ngram_range=(1, 3), strip_accents="unicode"),
                                     dict(ngram_range=(3, 3), lowercase=False, sublinear_tf=True, binary=True)])
def test_equals_sklearn_on_edges_and_pool(shared_dir, options):
    lines = _pool_lines(shared_dir)
    vectorizer = TfidfVectorizer(analyzer="char_wb", min_df=2, **options).fit(lines[:800] + EDGES)
    fast = CharWordCache(vectorizer)
    for texts in (EDGES, lines[800:], lines[800:]):  # twice: the second time from the cache
        _same(vectorizer.transform(texts), fast.transform(texts))


def test_shipped_model_gives_the_same_probabilities(shared_dir):
    lines = _pool_lines(shared_dir, limit=600)
    model = load_model(SHIPPED)  # swapped on load
    plain = joblib.load(SHIPPED / MODEL_FILE)
    assert speed_up(model.estimator) == 0  # nothing left to swap
    from nlp.stance.data import contexts_for
    from nlp.stance.features import build_table

    contexts = contexts_for("0", lines, segments=["body"] * len(lines), speakers=[None] * len(lines), kind="other")
    table = build_table(contexts)
    assert np.array_equal(model.estimator.predict_proba(table), plain.predict_proba(table))


def test_saved_it_is_the_plain_vectorizer():
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit(EDGES)
    fast = CharWordCache(vectorizer)
    fast.transform(EDGES)
    restored = pickle.loads(pickle.dumps(fast))
    assert type(restored) is TfidfVectorizer and restored.vocabulary_ == vectorizer.vocabulary_


def test_refuses_what_it_cannot_reproduce():
    assert not can_speed_up(TfidfVectorizer(analyzer="char_wb"))  # not fitted
    word = TfidfVectorizer().fit(EDGES)
    assert not can_speed_up(word)
    with pytest.raises(ValueError, match="char_wb"):
        CharWordCache(word)
    with pytest.raises(ValueError, match="string object"):
        CharWordCache(TfidfVectorizer(analyzer="char_wb").fit(EDGES)).transform("one text")
