"""Why a stance model labelled a sentence: occlusion, for any model with `predict_proba`.

Each word of the sentence is dropped in turn, and (one more unit) its neighbouring context is
emptied; a cue's weight is the drop in the probability of the predicted label when that unit is
removed. All of a sentence's variants go to the model in one `predict_proba` call, beside the
unchanged sentence, so the weights compare like with like. Only the model's public interface is
used: `target.labels`, `predict_proba(contexts, lookup)` and `needs_embeddings` (with `encoder`,
the encoder's name, as the claims_stance component reads it).

A model with document-level features (a document-mean embedding, grouped by `doc_id` within one
call) sees the sentence's variants as its document here, unless it offers
`predict_proba_in_document` and is given the sentence's `document`: `stack_lex_lr` then reads each
variant with the sentence's real document context (its other sentences' and neighbours'
first-pass stance), so its labels here are the run's.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .data import SentenceContext, clean

# Words dropped per sentence, from its start: bounds the cost of an unsplit paragraph (a sentence's
# cost is one predict_proba over this many + 2 rows). Our sentences' 99th percentile is ~60 words.
MAX_WORDS = 60
CONTEXT = "context"
MIN_DROP = 0.005  # a drop under half a percentage point is no cue (it shows as .00)
# A word: letters or digits, with inner apostrophes, hyphens, points and commas ("don't",
# "re-unification", "3,550", "2.5"); punctuation around it stays when it is dropped.
_WORD = re.compile(r"\w+(?:[’'.,\-]\w+)*")


@dataclass(frozen=True, slots=True)
class Cue:
    """One unit that drove a label: a word of the sentence (offsets into the context's text) or
    the neighbouring sentences (`text == "context"`, no offsets)."""

    text: str
    weight: float  # drop in the predicted label's probability when the unit is removed
    start: int | None = None
    end: int | None = None

    @property
    def is_context(self) -> bool:
        return self.start is None

    def to_dict(self) -> dict:
        return {"cue": self.text, "weight": round(self.weight, 4), "start": self.start, "end": self.end}


@dataclass(frozen=True, slots=True)
class Explanation:
    """A sentence's predicted label, its probability (from the same call as the variants) and the
    cues, strongest first."""

    label: str
    probability: float
    cues: tuple[Cue, ...]


def word_spans(text: str, *, max_words: int = MAX_WORDS) -> list[tuple[int, int]]:
    """(start, end) of the first `max_words` words of a text. White space does not change the
    sequence, so the k-th word of a sentence and of its cleaned text are the same word."""
    return [m.span() for m, _ in zip(_WORD.finditer(text), range(max_words))]


def _variants(context: SentenceContext, *, max_words: int) -> tuple[list[tuple], list[SentenceContext]]:
    """The units (text, start, end) and the contexts: the sentence unchanged, then with each word
    dropped, then (if it has any) without its neighbours."""
    text = context.text
    units = [(text[a:b], a, b) for a, b in word_spans(text, max_words=max_words)]
    variants = [context] + [dataclasses.replace(context, text=clean(text[:a] + " " + text[b:])) for _, a, b in units]
    if context.prev or context.next:
        units.append((CONTEXT, None, None))
        variants.append(dataclasses.replace(context, prev="", next=""))
    return units, variants


def _lookup(model, variants: Sequence[SentenceContext], encoder):
    """The embedding lookup the model needs (None when it needs none), as claims_stance builds it."""
    if not getattr(model, "needs_embeddings", False):
        return None
    from .encoder import embedding_lookup, load_encoder

    texts = [t for c in variants for t in (c.text, c.prev, c.next)]
    return embedding_lookup(encoder if encoder is not None else load_encoder(model.encoder), texts)


def explain_one(model, context: SentenceContext, *, top: int = 3, max_words: int = MAX_WORDS,
                encoder=None, document: Sequence[SentenceContext] | None = None) -> Explanation:
    """One sentence: one predict_proba call over the sentence and all its occluded variants.
    With `document` (the contexts the pipeline gave the model together, `context` among them), a
    model that reads its document (`predict_proba_in_document`) reads each variant in the
    sentence's place there; without, the sentence is its own document (as in
    `model.predict_proba([context])`)."""
    units, variants = _variants(context, max_words=max_words)
    if hasattr(model, "predict_proba_in_document"):
        document = list(document) if document is not None else [context]
        position = next((i for i, c in enumerate(document) if c.sent_id == context.sent_id), None)
        if position is None:
            raise ValueError(f"sentence {context.sent_id} of {context.doc_id!r} is not in the document given")
        rows = list(document) + variants
        proba = np.asarray(model.predict_proba_in_document(document, position, variants,
                                                           _lookup(model, rows, encoder)))
    else:
        proba = np.asarray(model.predict_proba(variants, _lookup(model, variants, encoder)))
    label = int(proba[0].argmax())
    drops = proba[0, label] - proba[1:, label]
    # Strongest first; ties by position, so the list is the same on every call.
    order = sorted(range(len(units)), key=lambda i: (-round(float(drops[i]), 12), i))
    cues = tuple(Cue(text=units[i][0], weight=float(drops[i]), start=units[i][1], end=units[i][2])
                 for i in order[:top] if drops[i] > MIN_DROP)
    return Explanation(label=model.target.labels[label], probability=float(proba[0, label]), cues=cues)


def explanations(model, contexts: Sequence[SentenceContext], *, top: int = 3, max_words: int = MAX_WORDS,
                 encoder=None) -> list[Explanation]:
    """`explain_one` for each sentence (one predict_proba call per sentence)."""
    return [explain_one(model, c, top=top, max_words=max_words, encoder=encoder) for c in contexts]


def explain(model, contexts: Sequence[SentenceContext], *, top: int = 3, max_words: int = MAX_WORDS,
            encoder=None) -> list[list[Cue]]:
    """Per sentence, at most `top` cues (words, or "context") whose removal lowers the predicted
    label's probability most, strongest first, each weighted by that drop. Units whose removal
    does not lower it are left out. Deterministic."""
    return [list(e.cues) for e in explanations(model, contexts, top=top, max_words=max_words, encoder=encoder)]


def format_cues(cues: Sequence[Cue | dict]) -> str:
    """`"cut" .21, "failed" .12, context .08`: a cue list as one table cell."""
    parts = []
    for cue in cues:
        text, weight = (cue["cue"], cue["weight"]) if isinstance(cue, dict) else (cue.text, cue.weight)
        is_context = cue.get("start") is None if isinstance(cue, dict) else cue.is_context
        shown = f"{weight:.2f}".removeprefix("0")
        parts.append(f"{CONTEXT} {shown}" if is_context else f'"{text}" {shown}')
    return ", ".join(parts)
