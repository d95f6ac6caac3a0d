"""The learned pair judge: features of a candidate pair, and the model that turns them into a
calibrated probability that the two claims are linked (any relation).

Features (FEATURES, in order) are the evidence the rules read, as numbers: cosine, word overlap,
negation, what the rule judge (scoring.judge) says, and the frame comparison field by field
(frames.compare_frames: measure, scope, period, value, finding, polarity) with the background
figure flag. The model is a multinomial logistic regression (none / repeat / change) over standardised
features, stored as JSON in
models/links/ (coefficients, means, scales, thresholds): no pickle, loaded in microseconds.
The relation of a linked pair comes from the rules when they name update or contradict, else
from the frames, else repeat (`decide`).

`pair_evidence` and `decide` work one pair at a time: training and research use them, and they
are the reference for pair_arrays.py, which the link step uses to compute the same features and
decisions a batch of pairs at a time.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .config import LinkConfig
from .frames import compare_frames
from .scoring import judge, numeric_evidence, weighted_overlap
from .table import ClaimTable
from .text import jaccard

MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "links"
RELATIONS = ("repeat", "update", "contradict")
SOURCE_LSH, SOURCE_BLOCK = 2, 4  # as in candidates.py (not imported: no cycle through build)

FEATURES = (
    "cosine", "word_jaccard", "rare_word_overlap", "shorter_words_log", "length_ratio", "negation_in_one",
    "rule_repeat", "rule_update", "rule_contradict", "rule_score", "rule_numeric",
    "measure_same", "measure_different", "measure_one",
    "scope_disjoint", "scope_nested",
    "period_overlap", "period_disjoint", "periods_stated",
    "value_intersect", "value_disjoint",
    "finding_same", "finding_different", "polarity_same", "polarity_opposite",
    "frame_repeat", "frame_update", "frame_contradict",
    "background_figure", "entity_jaccard", "years_apart", "found_by_lsh", "found_by_block",
    "figures_both", "figures_one", "figures_agree", "figures_disagree",
)


@dataclass(frozen=True, slots=True)
class PairEvidence:
    """A pair's features with what the rules and the frames said (for the relation and reason)."""

    features: tuple[float, ...]
    rule: dict | None
    frame_relation: str | None
    frame_fields: tuple[str, ...]


_UNSET = object()


def pair_evidence(t: ClaimTable, i: int, j: int, cos: float, found_by: int = 0,
                  config: LinkConfig = LinkConfig(), rule=_UNSET) -> PairEvidence:
    """The features of claims i and j; `rule`: scoring.judge's row for the pair when the caller
    already has it (judged with the same cosine and config)."""
    if t.ids[j] < t.ids[i]:
        i, j = j, i
    if rule is _UNSET:
        rule = judge(t, i, j, cos, config)
    words_i, words_j = frozenset(t.words[i]), frozenset(t.words[j])
    shorter, longer = sorted((len(words_i), len(words_j)))
    fa, fb = t.frames[i], t.frames[j]
    cmp = compare_frames(fa, fb)
    ev = numeric_evidence(t, i, j, config) if t.figures[i] and t.figures[j] else None
    qids = {v.quantity_id for f in (fa, fb) for v in f.values()}
    ents_i, ents_j = t.entities[i], t.entities[j]
    pa, pb = t.date_periods[i], t.date_periods[j]
    years = abs(pa.key - pb.key) / 12 if pa is not None and pb is not None else 0.0
    relation = rule["relation"] if rule else None
    f = (
        cos, jaccard(words_i, words_j), weighted_overlap(t, i, j, words_i & words_j), math.log1p(shorter),
        shorter / longer if longer else 0.0, float((t.negations[i] > 0) != (t.negations[j] > 0)),
        float(relation == "repeat"), float(relation == "update"), float(relation == "contradict"),
        rule["score"] if rule else 0.0, float(bool(rule) and rule.get("method") == "numeric"),
        float(cmp.measure == "same"), float(cmp.measure == "different"), float(cmp.measure == "one"),
        float(cmp.scope == "disjoint"), float(cmp.scope == "nested"),
        float(cmp.period == "overlap"), float(cmp.period == "disjoint"), cmp.period_stated / 2,
        float(cmp.value == "intersect"), float(cmp.value == "disjoint"),
        float(cmp.proposition == "same"), float(cmp.proposition == "different"),
        float(cmp.polarity == "same"), float(cmp.polarity == "opposite"),
        float(cmp.relation == "repeat"), float(cmp.relation == "update"), float(cmp.relation == "contradict"),
        float(bool(qids & t.background)), jaccard(ents_i, ents_j), min(years, 10.0) / 10,
        float(bool(found_by & SOURCE_LSH)), float(bool(found_by & SOURCE_BLOCK)),
        float(bool(t.figures[i]) and bool(t.figures[j])), float(bool(t.figures[i]) != bool(t.figures[j])),
        float(ev is not None and ev.agree), float(ev is not None and not ev.agree),
    )
    return PairEvidence(f, rule, cmp.relation, tuple(cmp.fields()))


CLASSES = ("none", "repeat", "change")  # change: update or contradict (too few apart to learn)


@dataclass(frozen=True)
class PairModel:
    """Multinomial logistic regression over standardised FEATURES into CLASSES. A pair's score is
    the probability that it is linked at all (1 - P(none)); a repeat needs `threshold`, an update
    or contradiction (named by the rules or the frames) `change_threshold`."""

    coef: np.ndarray  # (len(CLASSES), len(FEATURES))
    intercept: np.ndarray  # (len(CLASSES),)
    mean: np.ndarray
    scale: np.ndarray
    threshold: float
    change_threshold: float
    meta: dict

    def class_proba(self, features: np.ndarray) -> np.ndarray:
        z = ((np.asarray(features, dtype=np.float64) - self.mean) / self.scale) @ self.coef.T + self.intercept
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def proba(self, features: np.ndarray) -> np.ndarray:
        """P(linked) of each row: 1 - P(none)."""
        return 1.0 - self.class_proba(features)[:, 0]

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "classes": list(CLASSES),
                "coef": [[round(float(x), 6) for x in row] for row in self.coef],
                "intercept": [round(float(x), 6) for x in self.intercept], "mean": [round(float(x), 6) for x in self.mean],
                "scale": [round(float(x), 6) for x in self.scale], "threshold": self.threshold,
                "change_threshold": self.change_threshold, "meta": self.meta}

    def save(self, folder: str | Path) -> Path:
        path = Path(folder) / "model.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=1) + "\n", encoding="utf-8")
        return path


@lru_cache(maxsize=4)
def load_pair_model(folder: str | None = None) -> PairModel | None:
    """The model in `folder` (default models/links), or None when there is none; a model written
    for other features is an error naming the file."""
    path = Path(folder or MODEL_DIR) / "model.json"
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data.get("features", ())) != FEATURES or tuple(data.get("classes", ())) != CLASSES:
        raise ValueError(f"{path}: written for other pair features; retrain with `claims train links --run OUT`")
    return PairModel(np.asarray(data["coef"]), np.asarray(data["intercept"]), np.asarray(data["mean"]),
                     np.asarray(data["scale"]), float(data["threshold"]), float(data["change_threshold"]),
                     data.get("meta", {}))


def decide(evidence: PairEvidence, p: float, model: PairModel, config: LinkConfig = LinkConfig()) -> str | None:
    """The relation of a pair the model gives probability p (of being linked), or None.

    An update or contradiction the rules find (scoring.judge, with its own thresholds) stands:
    the model, trained on some fifty judged changes, gives them a low p. One that only the frames
    name needs the same measure in both frames (a finding's polarity is too loose a reading to
    link on), the rules' sentence cosine for a change and change_threshold. Every other pair is
    a repeat at threshold."""
    rule = evidence.rule["relation"] if evidence.rule else None
    if rule in ("update", "contradict"):
        return rule
    if evidence.frame_relation in ("update", "contradict"):
        if "measure=same" in evidence.frame_fields and evidence.features[0] >= config.numeric_change_min_sim \
                and p >= model.change_threshold:
            return evidence.frame_relation
        return None
    return "repeat" if p >= model.threshold else None


def link_row(t: ClaimTable, i: int, j: int, cos: float, evidence: PairEvidence, relation: str, p: float) -> dict:
    """A SPEC §6 link row for a pair the model linked: the rule's reason when the rule agrees,
    and the frame fields the relation rests on."""
    if t.ids[j] < t.ids[i]:
        i, j = j, i
    rule = evidence.rule
    frames = " ".join(evidence.frame_fields)
    if rule is not None and rule["relation"] == relation:
        row = {k: v for k, v in rule.items() if k not in ("a", "b", "score", "similarity", "a_doc", "b_doc",
                                                           "a_date", "b_date")}
        row["reason"] = rule["reason"]
    else:
        fa = t.frames[i]
        measure = fa.measure if fa.measure and "measure=same" in evidence.frame_fields else None
        row = {"method": "model", "measure": measure,
               "reason": f"pair model p={p:.2f} (similarity {cos:.2f}); frames: {frames}: {relation}"}
    return {"a": t.ids[i], "b": t.ids[j], "relation": relation, "score": round(float(p), 4), **row,
            "similarity": round(float(cos), 4), "a_doc": t.docs[i], "b_doc": t.docs[j], "a_date": t.dates[i],
            "b_date": t.dates[j]}
