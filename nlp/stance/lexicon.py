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
_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
NAMES = ("private", "public", "negative", "positive", "qualified", "modal", "negation",
         "private_negative", "private_positive", "public_negative", "public_positive",
         "qualified_public", "qualified_private")


class WordList:
    """Entries matched on tokens: a word by set lookup, a `stem*` by prefix, a phrase word by word."""

    def __init__(self, entries: list[str]):
        self.words, prefixes, self.phrases = set(), [], {}
        for entry in entries:
            parts = entry.split()
            if len(parts) > 1:  # by first word without its `*`: checked where a token starts with it
                self.phrases.setdefault(parts[0].rstrip("*"), []).append(tuple(parts))
            elif parts[0].endswith("*"):
                prefixes.append(parts[0][:-1])
            else:
                self.words.add(parts[0])
        self.prefixes = tuple(prefixes)

    @staticmethod
    def _word(token: str, entry: str) -> bool:
        return token.startswith(entry[:-1]) if entry.endswith("*") else token == entry

    def positions(self, tokens: list[str]) -> list[int]:
        """Indices of the tokens where an entry starts."""
        hits = [i for i, t in enumerate(tokens) if t in self.words or (self.prefixes and t.startswith(self.prefixes))]
        if self.phrases:
            starts = tuple(self.phrases)
            for i, t in enumerate(tokens):
                if t.startswith(starts):
                    hits += [i for first, phrases in self.phrases.items() if t.startswith(first)
                             for phrase in phrases if i + len(phrase) <= len(tokens)
                             and all(self._word(tokens[i + k], w) for k, w in enumerate(phrase))][:1]
        return hits


class LexiconFeatures(BaseEstimator, TransformerMixin):
    """Stateless: `fit` only checks the file reads."""

    def __init__(self, path: str | None = None, column: str = "text"):
        self.path = path
        self.column = column

    @cached_property
    def _lists(self):
        data = tomllib.loads(Path(self.path or DEFAULT_LEXICON).read_text(encoding="utf-8"))
        return {"private": WordList(data["sides"]["private"]), "public": WordList(data["sides"]["public"]),
                "negative": WordList(data["evaluation"]["negative"]),
                "positive": WordList(data["evaluation"]["positive"]),
                "qualified": WordList(data["hedges"]["qualified"]), "modal": WordList(data["modals"]["modal"]),
                "negation": set(data["negation"]["words"]), "scope": int(data["negation"]["scope"])}

    def fit(self, X, y=None):
        self._lists  # noqa: B018 - read the file now, not at the first transform
        return self

    def _row(self, text: str) -> list[float]:
        lists = self._lists
        tokens = _TOKEN.findall(text.lower())
        negation = [t in lists["negation"] or t.endswith("n't") for t in tokens]
        c = {name: len(lists[name].positions(tokens)) for name in ("private", "public", "qualified", "modal")}
        c.update(negative=0, positive=0, negation=sum(negation))
        scope = lists["scope"]
        for polarity, other in (("negative", "positive"), ("positive", "negative")):
            for i in lists[polarity].positions(tokens):
                c[other if any(negation[max(0, i - scope):i]) else polarity] += 1
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
