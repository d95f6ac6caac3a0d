"""claims_claims: which sentences are claims, and of what type (SPEC §6).

A claim asserts something checkable or arguable. Headings, boilerplate and questions never are;
for the rest a learned model (nlp/claimcheck, trained on our annotated sentences) scores
check-worthiness. `numeric` means the sentence has a quantity; otherwise a second model decides
`evaluative` or `factual`.
"""

from __future__ import annotations

import bisect
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from ..claimcheck import featurise, load_model
from ..extensions import doc_text, register_extensions
from .base import Component
from ..records import Claim

NOT_CLAIM_SEGMENTS = frozenset({"heading", "boilerplate"})


@Language.factory("claims_claims", assigns=["doc._.claims"],
                  requires=["doc._.segments", "doc._.quantities"],
                  default_config={"threshold": 0.5, "models_dir": ""})
def make_claims(nlp: Language, name: str, threshold: float, models_dir: str) -> "ClaimDetector":
    from ..config import Config

    return ClaimDetector(name=name, threshold=threshold, model_dir=Path(models_dir or Config().models_dir) / "claims")


class ClaimDetector(Component):
    def __init__(self, *, name: str = "claims_claims", threshold: float = 0.5, model_dir: Path) -> None:
        self.name = name
        self.threshold = threshold
        self.model = load_model(model_dir)
        register_extensions()

    def predict(self, docs: list[Doc]) -> list[tuple[Claim, ...]]:
        """Score every candidate sentence of the batch in one call per model."""
        candidates = []  # (doc index, sent_id, has quantity, model input)
        for n, doc in enumerate(docs):
            segments = doc._.segments or ()
            starts = [s.start for s in segments]
            with_quantity = {bisect.bisect_right(starts, q.start) - 1 for q in (doc._.quantities or ())}
            whole = doc_text(doc)
            for sent_id, seg in enumerate(segments):
                text = whole[seg.start : seg.end]
                if seg.segment in NOT_CLAIM_SEGMENTS or text.rstrip().endswith("?"):
                    continue
                candidates.append((n, sent_id, sent_id in with_quantity, featurise(text, seg.segment)))
        inputs = [c[3] for c in candidates]
        claim_p = self.model.claim_scores(inputs)
        keep = [i for i, p in enumerate(claim_p) if p >= self.threshold]
        eval_p = dict(zip(keep, self.model.evaluative_scores([inputs[i] for i in keep])))
        out: list[list[Claim]] = [[] for _ in docs]
        for i in keep:
            n, sent_id, has_quantity, _ = candidates[i]
            kind = "numeric" if has_quantity else ("evaluative" if eval_p[i] >= 0.5 else "factual")
            out[n].append(Claim(sent_id=sent_id, type=kind, score=claim_p[i]))
        return [tuple(claims) for claims in out]

    def set_annotations(self, docs: list[Doc], claims: list[tuple[Claim, ...]]) -> None:
        for doc, found in zip(docs, claims):
            doc._.claims = found
