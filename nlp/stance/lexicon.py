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
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

DEFAULT_LEXICON = Path(__file__).resolve().parents[1] / "data" / "stance_lexicon.toml"
_TOKEN = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})  # curly and modifier forms read as '


def tokenize(text: str) -> list[str]:
    """Lower-cased word tokens; a curly apostrophe is read as a straight one, so "isn\u2019t" is "isn't"."""
    return _TOKEN.findall(text.lower().translate(_APOSTROPHES))


NAMES = ("private", "public", "negative", "positive", "qualified", "modal", "negation",
         "private_negative", "private_positive", "public_negative", "public_positive",
         "qualified_public", "qualified_private")


LISTS = ("private", "public", "negative", "positive", "qualified", "modal")


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
        self.starts = tuple(self.phrases)

    def alone(self, token: str) -> bool:
        return token in self.words or bool(self.prefixes and token.startswith(self.prefixes))

    def phrase_at(self, tokens: list[str], i: int) -> bool:
        t = tokens[i]
        return any(i + len(phrase) <= len(tokens) and all(_word(tokens[i + k], w) for k, w in enumerate(phrase))
                   for first, phrases in self.phrases.items() if t.startswith(first) for phrase in phrases)


def _word(token: str, entry: str) -> bool:
    return token.startswith(entry[:-1]) if entry.endswith("*") else token == entry


class Lexicon:
    """The word lists, read once; `counts(text)` gives the cue counts of NAMES. What each token
    can match is worked out once per distinct token (most match nothing) and cached."""

    def __init__(self, data: dict):
        self.lists = {"private": WordList(data["sides"]["private"]), "public": WordList(data["sides"]["public"]),
                      "negative": WordList(data["evaluation"]["negative"]),
                      "positive": WordList(data["evaluation"]["positive"]),
                      "qualified": WordList(data["hedges"]["qualified"]), "modal": WordList(data["modals"]["modal"])}
        self.negation = frozenset(data["negation"]["words"])
        self.scope = int(data["negation"]["scope"])
        self._seen: dict[str, tuple] = {}  # token -> ((list, alone), ...) plus ("not", True) for a negation

    def __getstate__(self):
        return {**self.__dict__, "_seen": {}}  # the per-token cache is rebuilt, not saved

    def _marks(self, token: str) -> tuple:
        found = ((name, wl.alone(token), wl) for name, wl in self.lists.items())
        marks = tuple((name, alone) for name, alone, wl in found
                      if alone or (wl.starts and token.startswith(wl.starts)))
        if token in self.negation or token.endswith("n't"):
            marks += (("not", True),)
        if len(self._seen) < 200_000:
            self._seen[token] = marks
        return marks

    def counts(self, text: str) -> dict[str, int]:
        tokens = tokenize(text)
        seen = self._seen
        hits: dict[str, list[int]] = {name: [] for name in (*LISTS, "not")}
        for i, token in enumerate(tokens):
            marks = seen.get(token)
            if marks is None:
                marks = self._marks(token)
            for name, alone in marks:
                if alone or self.lists[name].phrase_at(tokens, i):
                    hits[name].append(i)
        c = {name: len(hits[name]) for name in ("private", "public", "qualified", "modal")}
        c.update(negative=0, positive=0, negation=len(hits["not"]))
        negated = set(hits["not"])
        for polarity, other in (("negative", "positive"), ("positive", "negative")):
            for i in hits[polarity]:
                flipped = any(j in negated for j in range(max(0, i - self.scope), i))
                c[other if flipped else polarity] += 1
        for side in ("private", "public"):
            for polarity in ("negative", "positive"):
                c[f"{side}_{polarity}"] = min(c[side], c[polarity])
            c[f"qualified_{side}"] = min(c["qualified"], c[side])
        return c


class LexiconFeatures(BaseEstimator, TransformerMixin):
    """The word-list cues as features. `fit` reads the lists; the fitted transformer keeps them
    (a saved model reads the lists it was trained with, whatever the file says later)."""

    def __init__(self, path: str | None = None, column: str = "text"):
        self.path = path
        self.column = column

    def fit(self, X, y=None):
        self.lexicon_ = Lexicon(tomllib.loads(Path(self.path or DEFAULT_LEXICON).read_text(encoding="utf-8")))
        return self

    def _row(self, text: str) -> list[float]:
        c = self.lexicon_.counts(text)
        return [float(np.log1p(c[name])) for name in NAMES]

    def transform(self, X):
        texts = X[self.column] if hasattr(X, "columns") else X
        return np.asarray([self._row(t or "") for t in texts], dtype=np.float64)

    def get_feature_names_out(self, input_features=None):
        return np.asarray([f"lex_{n}" for n in NAMES], dtype=object)
