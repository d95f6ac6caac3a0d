"""Word-list cues for stance, from a data file (nlp/data/stance_lexicon.toml).

`LexiconFeatures` is a scikit-learn transformer over `build_table`'s `text` column: per sentence,
how often it names each side of the target (the privatised TR/CRC model, the public service),
evaluates positively or negatively (a negation within `scope` tokens before an evaluation word
flips it), hedges, and uses modal verbs, plus the side × evaluation interactions the guideline
reads (criticism of the privatised model is `support`). Values are log1p counts.
"""

from __future__ import annotations

import re
import tomllib
from functools import cached_property
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

DEFAULT_LEXICON = Path(__file__).resolve().parents[1] / "data" / "stance_lexicon.toml"
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|n't|[^\sa-z]")
NAMES = ("private", "public", "negative", "positive", "qualified", "modal", "negation",
         "private_negative", "private_positive", "public_negative", "public_positive",
         "qualified_public", "qualified_private")


def _pattern(entries: list[str]) -> re.Pattern:
    parts = []
    for entry in entries:
        prefix = entry.endswith("*")
        words = entry.rstrip("*").strip().split()
        body = r"\s+".join(re.escape(w) for w in words)
        parts.append(rf"\b{body}" + (r"[a-z'-]*" if prefix else r"\b"))
    return re.compile("|".join(parts))


def _tokens_before(text: str, index: int, n: int) -> list[str]:
    return _TOKEN.findall(text[:index])[-n:]


class LexiconFeatures(BaseEstimator, TransformerMixin):
    """Stateless: `fit` only checks the file reads."""

    def __init__(self, path: str | None = None, column: str = "text"):
        self.path = path
        self.column = column

    @cached_property
    def _lists(self):
        data = tomllib.loads(Path(self.path or DEFAULT_LEXICON).read_text(encoding="utf-8"))
        return {"private": _pattern(data["sides"]["private"]), "public": _pattern(data["sides"]["public"]),
                "negative": _pattern(data["evaluation"]["negative"]),
                "positive": _pattern(data["evaluation"]["positive"]),
                "qualified": _pattern(data["hedges"]["qualified"]), "modal": _pattern(data["modals"]["modal"]),
                "negation": set(data["negation"]["words"]), "scope": int(data["negation"]["scope"])}

    def fit(self, X, y=None):
        self._lists  # noqa: B018 - read the file now, not at the first transform
        return self

    def _row(self, text: str) -> list[float]:
        text = text.lower()
        lists = self._lists
        counts = {name: len(lists[name].findall(text)) for name in ("private", "public", "qualified", "modal")}
        evaluation = {"negative": 0, "positive": 0}
        negations = sum(t in lists["negation"] for t in _TOKEN.findall(text))
        for polarity, other in (("negative", "positive"), ("positive", "negative")):
            for m in lists[polarity].finditer(text):
                negated = any(t in lists["negation"] for t in _tokens_before(text, m.start(), lists["scope"]))
                evaluation[other if negated else polarity] += 1
        c = {**counts, **evaluation, "negation": negations}
        for side in ("private", "public"):
            for polarity in ("negative", "positive"):
                c[f"{side}_{polarity}"] = min(c[side], c[polarity])
            c[f"qualified_{side}"] = min(c["qualified"], c[side])
        return [float(np.log1p(c[name])) for name in NAMES]

    def transform(self, X):
        texts = X[self.column] if hasattr(X, "columns") else X
        return np.asarray([self._row(t or "") for t in texts], dtype=np.float64)

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"lex_{n}" for n in NAMES], dtype=object)
