"""The label sets an annotator may choose from (SPEC §2–§6) and the checks on a submitted value."""

from __future__ import annotations

import math

from ..labels import APPROX, CLAIM_TYPES, ENTITY_LABELS, SEGMENTS, STANCE, UNITS  # noqa: F401 (re-exported)
from .errors import AnnotateErrors, AnnotationError

RELATIONS = ("repeat", "contradict", "update", "none")  # `none`: the annotator rejects the link
REVIEW = ("done", "skipped")

SENTENCE_LAYERS = ("stance", "claim", "segment")  # one value per sentence
SPAN_LAYERS = ("entity", "quantity")  # one list of spans per sentence
LAYERS = SENTENCE_LAYERS + SPAN_LAYERS + ("link", "review")
AGREEMENT_LAYERS = ("stance", "claim", "segment", "link")

LABEL_SETS = {"stance": STANCE, "entity": ENTITY_LABELS, "unit": UNITS, "approx": APPROX, "segment": SEGMENTS,
              "claim_type": CLAIM_TYPES, "relation": RELATIONS}


def _choice(field: str, value, allowed: tuple[str, ...], *, nullable: bool = False):
    if value is None and nullable:
        return None
    if value not in allowed:
        raise AnnotationError(AnnotateErrors.A002.format(field=field, value=value, allowed=", ".join(allowed)))
    return value


MAX_INT = 2**31 - 1  # ids and offsets are stored as SQLite integers; a 23-digit one is no id


def whole(field: str, value) -> int:
    """A non-negative integer that fits the store (sent_id, offsets, limits)."""
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_INT:
        raise AnnotationError(AnnotateErrors.A004.format(field=field, reason=f"an integer from 0 to {MAX_INT}"))
    return value


def _text(field: str, value, *, nullable: bool = True, max_len: int = 500) -> str | None:
    if value is None or (nullable and value == ""):
        if nullable:
            return None
        raise AnnotationError(AnnotateErrors.A004.format(field=field, reason="required"))
    if not isinstance(value, str) or len(value) > max_len:
        reason = f"a string of at most {max_len} characters"
        raise AnnotationError(AnnotateErrors.A004.format(field=field, reason=reason))
    return value.strip() or None


def _number(field: str, value, *, nullable: bool) -> float | None:
    if value is None or value == "":
        if nullable:
            return None
        raise AnnotationError(AnnotateErrors.A004.format(field=field, reason="required"))
    if isinstance(value, bool):
        raise AnnotationError(AnnotateErrors.A004.format(field=field, reason="a number"))
    try:
        number = float(value)
    except (TypeError, ValueError) as exc:
        raise AnnotationError(AnnotateErrors.A004.format(field=field, reason="a number")) from exc
    if not math.isfinite(number):
        raise AnnotationError(AnnotateErrors.A004.format(field=field, reason="a finite number"))
    return number


def check_layer(layer) -> str:
    if layer not in LAYERS:
        raise AnnotationError(AnnotateErrors.A005.format(layer=layer, allowed=", ".join(LAYERS)))
    return layer


def sentence_value(layer: str, value):
    """Normalise the value of a sentence-level layer (stance, claim, segment, review)."""
    if layer == "stance":
        return _choice("stance", value, STANCE)
    if layer == "review":
        return _choice("review", value, REVIEW)
    if not isinstance(value, dict):
        raise AnnotationError(AnnotateErrors.A004.format(field="value", reason=f"an object for layer {layer}"))
    if layer == "claim":
        flag = value.get("claim")
        if not isinstance(flag, bool):
            raise AnnotationError(AnnotateErrors.A004.format(field="claim", reason="true or false"))
        claim_type = _choice("claim_type", value.get("claim_type"), CLAIM_TYPES, nullable=True) if flag else None
        return {"claim": flag, "claim_type": claim_type}
    if layer == "segment":
        return {"segment": _choice("segment", value.get("segment"), SEGMENTS),
                "speaker": _text("speaker", value.get("speaker"))}
    raise AnnotationError(AnnotateErrors.A005.format(layer=layer, allowed=", ".join(SENTENCE_LAYERS)))


def link_value(value) -> dict:
    relation = value.get("relation") if isinstance(value, dict) else value
    return {"relation": _choice("relation", relation, RELATIONS)}


def span_value(layer: str, span, sentence: dict) -> dict:
    """Normalise one entity or quantity span; offsets (into the document) must lie inside the sentence."""
    if not isinstance(span, dict):
        raise AnnotationError(AnnotateErrors.A004.format(field="span", reason="an object"))
    start, end = span.get("start"), span.get("end")
    start, end = whole("start/end", start), whole("start/end", end)
    s_start, s_end, s_text = sentence.get("start"), sentence.get("end"), sentence.get("text")
    if s_start is not None and not (s_start <= start < end <= s_end):
        raise AnnotationError(AnnotateErrors.A006.format(start=start, end=end, sent_start=s_start, sent_end=s_end,
                                                         doc_id=sentence["doc_id"], sent_id=sentence["sent_id"]))
    if start >= end:
        raise AnnotationError(AnnotateErrors.A004.format(field="start/end", reason="start before end"))
    if s_start is not None and s_text is not None:
        text = s_text[start - s_start:end - s_start]
        lead, trail = len(text) - len(text.lstrip()), len(text) - len(text.rstrip())
        if lead + trail >= len(text):
            raise AnnotationError(AnnotateErrors.A004.format(field="start/end", reason="a span of white space"))
        start, end, text = start + lead, end - trail, text.strip()
    else:
        text = _text("text", span.get("text"), nullable=False)
    if layer == "entity":
        return {"start": start, "end": end, "text": text, "label": _choice("label", span.get("label"), ENTITY_LABELS),
                "entity_id": _text("entity_id", span.get("entity_id"), max_len=200)}
    return {"start": start, "end": end, "text": text,
            "value": _number("value", span.get("value"), nullable=True),
            "value_high": _number("value_high", span.get("value_high"), nullable=True),
            "unit": _choice("unit", span.get("unit") or "other", UNITS),
            "approx": _choice("approx", span.get("approx") or "exact", APPROX),
            "measure": _text("measure", span.get("measure")), "period": _text("period", span.get("period"))}
