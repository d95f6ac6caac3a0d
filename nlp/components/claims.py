"""claims_claims: which sentences are claims, and of what type (SPEC §6).

PLACEHOLDER rules until the learned check-worthiness model lands.
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc

from ..extensions import register_extensions
from ..records import Claim

_NOT_CLAIM_SEGMENTS = {"heading", "boilerplate"}
_EVALUATIVE = re.compile(
    r"\b(should|must|need(s|ed)? to|fail\w*|flawed|better|worse|poor\w*|good|best|worst|concern\w*|"
    r"success\w*|problem\w*|risk\w*|welcome\w*|disappoint\w*|shocking|chaos|crisis|unacceptable|"
    r"improv\w*|deteriorat\w*|inadequate|positive|negative|will|would)\b", re.I)


@Language.factory("claims_claims", assigns=["doc._.claims"],
                  requires=["doc._.segments", "doc._.quantities"],
                  default_config={"threshold": 0.5, "models_dir": ""})
def make_claims(nlp: Language, name: str, threshold: float, models_dir: str) -> "ClaimDetector":
    return ClaimDetector(name=name, threshold=threshold)


class ClaimDetector:
    def __init__(self, *, name: str = "claims_claims", threshold: float = 0.5) -> None:
        self.name = name
        self.threshold = threshold
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        doc._.claims = self.predict([doc])[0]
        return doc

    def predict(self, docs: list[Doc]) -> list[tuple[Claim, ...]]:
        return [self._claims(doc) for doc in docs]

    def _claims(self, doc: Doc) -> tuple[Claim, ...]:
        segments = doc._.segments or ()
        starts = [s.start for s in segments]
        with_quantity = {bisect.bisect_right(starts, q.start) - 1 for q in (doc._.quantities or ())}
        out = []
        for sent_id, seg in enumerate(segments):
            text = doc.text[seg.start : seg.end]
            if seg.segment in _NOT_CLAIM_SEGMENTS or text.rstrip().endswith("?") or len(text.split()) < 5:
                continue
            if sent_id in with_quantity:
                kind = "numeric"
            elif _EVALUATIVE.search(text):
                kind = "evaluative"
            else:
                kind = "factual"
            out.append(Claim(sent_id=sent_id, type=kind, score=1.0))
        return tuple(out)
