"""The approaches compared by grouped cross-validation, each a scikit-learn estimator over
`build_table`'s DataFrame. `make_approach(name, seed=…)` builds one unfitted; `APPROACHES` says
what each is and whether it needs sentence embeddings."""

from __future__ import annotations

from dataclasses import dataclass

from sklearn.dummy import DummyClassifier
from sklearn.ensemble import VotingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from .calibration import TemperatureScaledClassifier
from .features import columns


@dataclass(frozen=True, slots=True)
class Approach:
    name: str
    description: str
    needs_embeddings: bool
    # no temperature wrapper in make_approach: nothing to calibrate (majority), or the estimator
    # fits its own temperature on its out-of-fold probabilities (stack_lex_lr)
    own_calibration: bool = False


APPROACHES = {a.name: a for a in (
    Approach("majority", "majority class", False, own_calibration=True),
    Approach("tfidf_lr", "TF-IDF (word 1-2 grams) + logistic regression", False),
    Approach("tfidf_char_lr", "TF-IDF (words + char 2-5 grams) + logistic regression", False),
    Approach("tfidf_char_lex_lr", "tfidf_char_lr + word-list cues (sides, evaluation, negation, hedges, modals)",
             False),
    Approach("stack_lex_lr", "tfidf_char_lex_lr, then a second LR that also reads the first pass's probabilities "
             "for the document's other sentences and the neighbours (stacked, out-of-fold)", False,
             own_calibration=True),
    Approach("emb_lr", "MiniLM sentence embedding + logistic regression", True),
    Approach("context_lr", "embeddings of sentence, neighbours and document + segment/speaker + LR", True),
    Approach("context_kind_lr", "context_lr + document kind", True),
    Approach("ensemble", "soft vote: TF-IDF LR + embedding LR", True),
    Approach("ensemble_context", "soft vote: TF-IDF LR + embedding LR + sentence-and-document embedding LR", True),
)}


def _lr(c: float, seed: int, *, balanced: bool = True) -> LogisticRegression:
    # class_weight="balanced": `oppose` and `qualified` are rare, and macro-F1 weighs them as `none`.
    return LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=3000,
                              random_state=seed)


def _pipe(seed: int, c: float, **parts) -> Pipeline:
    return Pipeline([("features", columns(**parts)), ("lr", _lr(c, seed))])


def _tfidf(seed: int) -> Pipeline:
    return _pipe(seed, 10.0, text=True)


def _emb(seed: int) -> Pipeline:
    return _pipe(seed, 0.05, embeddings=("e",))


def _doc_emb(seed: int) -> Pipeline:
    return _pipe(seed, 0.05, embeddings=("e", "d"))


def make_base(name: str, *, seed: int = 0):
    """The uncalibrated estimator for an approach."""
    if name == "majority":
        return DummyClassifier(strategy="prior")
    if name == "tfidf_lr":
        return _tfidf(seed)
    if name == "tfidf_char_lr":
        return _pipe(seed, 10.0, text=True, chars=True)
    if name == "tfidf_char_lex_lr":
        return _pipe(seed, 10.0, text=True, chars=True, lexicon=True)
    if name == "stack_lex_lr":
        from .stacking import ContextStackedClassifier

        return ContextStackedClassifier(10.0, random_state=seed)
    if name == "emb_lr":
        return _emb(seed)
    if name == "context_lr":
        return _pipe(seed, 0.05, embeddings=("e", "c", "d"), categorical=("segment", "has_speaker"))
    if name == "context_kind_lr":
        return _pipe(seed, 0.05, embeddings=("e", "c", "d"), categorical=("segment", "has_speaker", "kind"))
    if name == "ensemble":
        return VotingClassifier([("tfidf", _tfidf(seed)), ("emb", _emb(seed))], voting="soft")
    if name == "ensemble_context":
        return VotingClassifier([("tfidf", _tfidf(seed)), ("emb", _emb(seed)), ("doc", _doc_emb(seed))],
                                voting="soft")
    raise KeyError(name)


def make_approach(name: str, *, seed: int = 0, calibrate: bool = True):
    """An approach's estimator, temperature-calibrated unless asked not to be."""
    base = make_base(name, seed=seed)
    if not calibrate or APPROACHES[name].own_calibration:
        return base
    return TemperatureScaledClassifier(base, cv=5, random_state=seed)
