"""Claim frames (SPEC §6): what a claim is about, for whom, when, and what it says.

A frame has a `measure` (a canonical id from nlp/data/measures.toml, found from its surface
forms), a `scope` (the CRCs, NPS divisions and regions the sentence names, else all of England
and Wales), a `period` with its source (the sentence, the reporting year a relative phrase points
to, or the document date), a `value` interval read from the figure and its approximation cue
(`more than a quarter of a million` -> (250000, inf)) and, for claims without a measure, the
`proposition` (a finding id) and its `polarity`. Links compare frames (`compare_frames`): same
measure and scope, overlapping periods and intersecting values -> repeat; disjoint values in the
same period -> contradict; different periods -> update.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import LinkConfig
from .numeric import Interval, Period, date_period, figure_interval, parse_period, relative_period
from .resources import Resources, load_resources

VOCABULARY = Path(__file__).resolve().parents[1] / "data" / "measures.toml"
ALL = "england_and_wales"  # the scope of a claim that names no provider, division or region
_COUNTED_DISTANCE = 40  # characters: a measure form further from the figure loses to what the figure counts
_NUMBER_WORDS = ("one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
                 "sixteen|seventeen|eighteen|nineteen|twenty(?:[- ]\\w+)?|thirty|forty|fifty|hundred")
_PARTITIVE = re.compile(rf"\b(\d[\d,]*|{_NUMBER_WORDS})\s+(?:out\s+)?of\s+(?:the\s+|its\s+|all\s+|these\s+|those\s+)?"
                        rf"(\d[\d,]*|{_NUMBER_WORDS})\b", re.I)


@dataclass(frozen=True)
class MeasureDef:
    id: str
    label: str
    families: frozenset[str]
    forms: re.Pattern | None
    quantity_measures: re.Pattern | None


@dataclass(frozen=True)
class Vocabulary:
    measures: tuple[MeasureDef, ...]
    findings: tuple[tuple[str, re.Pattern], ...]
    negative: re.Pattern
    positive: re.Pattern

    def label(self, measure_id: str | None) -> str | None:
        return next((m.label for m in self.measures if m.id == measure_id), measure_id)


def _any(forms, *, whole: bool = False) -> re.Pattern | None:
    if not forms:
        return None
    body = "|".join(f"(?:{f})" for f in forms)
    return re.compile(rf"^(?:{body})$" if whole else rf"\b(?:{body})(?!\w)", re.I)


@lru_cache(maxsize=4)
def load_vocabulary(path: str | None = None) -> Vocabulary:
    """The measures and findings of `path` (default nlp/data/measures.toml); a bad file is one
    clear error naming it."""
    source = Path(path or VOCABULARY)
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
        measures = tuple(MeasureDef(m["id"], m.get("label", m["id"]), frozenset(m["families"]), _any(m.get("forms")),
                                    _any(m.get("quantity_measures"), whole=True)) for m in data["measure"])
        findings = tuple((f["id"], _any(f["forms"])) for f in data.get("finding", ()))
        polarity = data["polarity"]
        return Vocabulary(measures, findings, _any(polarity["negative"]), _any(polarity["positive"]))
    except (OSError, KeyError, TypeError, re.error, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{source}: not a measure vocabulary ({type(exc).__name__}: {exc})") from exc


@dataclass(frozen=True, slots=True)
class MeasureValue:
    """One figure of a claim as the value of a measure, with the period it holds for."""

    measure: str
    family: str
    value: Interval
    text: str
    quantity_id: str | None
    period: Period | None
    period_source: str | None

    def to_json(self) -> dict:
        return {"measure": self.measure, "value": _value_json(self.value, self.family, self.text, self.quantity_id),
                "period": _period_json(self.period, self.period_source)}

    @classmethod
    def from_json(cls, row: dict) -> "MeasureValue":
        value = row["value"]
        period, source = _period_from(row.get("period"))
        return cls(row["measure"], value.get("unit"), _interval_from(value), value.get("text"),
                   value.get("quantity_id"), period, source)


def _value_json(interval: Interval | None, family, text, quantity_id) -> dict | None:
    if interval is None:
        return None
    return {"lo": None if interval.lo == -math.inf else _num(interval.lo),
            "hi": None if interval.hi == math.inf else _num(interval.hi),
            "unit": family, "text": text, "quantity_id": quantity_id}


def _period_json(period: Period | None, source: str | None) -> dict | None:
    if period is None:
        return None
    return {"label": period.label, "first": _month(period.first), "last": _month(period.last), "source": source}


def _interval_from(value: dict | None) -> Interval | None:
    if value is None:
        return None
    return Interval(-math.inf if value.get("lo") is None else value["lo"],
                    math.inf if value.get("hi") is None else value["hi"])


def _period_from(period: dict | None) -> tuple[Period | None, str | None]:
    if period is None:
        return None, None
    return Period(period["label"], _month_index(period["first"]), _month_index(period["last"])), period.get("source")


@dataclass(frozen=True, slots=True)
class Frame:
    measure: str | None = None
    scope: tuple[str, ...] = (ALL,)
    scope_source: str = "default"  # sentence | default
    period: Period | None = None
    period_source: str | None = None  # sentence | reporting_year | document
    family: str | None = None
    value: Interval | None = None
    value_text: str | None = None
    quantity_id: str | None = None
    proposition: str | None = None
    polarity: str | None = None  # positive | negative | neutral
    others: tuple[MeasureValue, ...] = ()  # the claim's figures of other measures (`others` in JSON)

    def values(self) -> tuple[MeasureValue, ...]:
        """Every (measure, value, period) the claim gives, its own measure first."""
        if self.measure is None or self.value is None:
            return self.others
        return (MeasureValue(self.measure, self.family, self.value, self.value_text, self.quantity_id, self.period,
                             self.period_source),) + self.others

    def to_json(self) -> dict:
        """The `frame` field of a claims.jsonl row (SPEC §6); an open end of a value is null."""
        row = {"measure": self.measure, "scope": list(self.scope), "scope_source": self.scope_source,
               "period": _period_json(self.period, self.period_source),
               "value": _value_json(self.value, self.family, self.value_text, self.quantity_id),
               "proposition": self.proposition, "polarity": self.polarity}
        if self.others:
            row["others"] = [v.to_json() for v in self.others]
        return row

    @classmethod
    def from_json(cls, row: dict | None) -> "Frame":
        if not row:
            return cls()
        value = row.get("value")
        period, source = _period_from(row.get("period"))
        return cls(row.get("measure"), tuple(row.get("scope") or (ALL,)), row.get("scope_source", "default"), period,
                   source, value and value.get("unit"), _interval_from(value), value and value.get("text"),
                   value and value.get("quantity_id"), row.get("proposition"), row.get("polarity"),
                   tuple(MeasureValue.from_json(v) for v in row.get("others") or ()))


def _num(x: float):
    return int(x) if float(x).is_integer() else round(x, 6)


def _month(index: int) -> str:
    return f"{index // 12}-{index % 12 + 1:02d}"


def _month_index(text: str) -> int:
    year, month = text.split("-")
    return int(year) * 12 + int(month) - 1


# --- building a frame -------------------------------------------------------------------------

def scope_of(entities, res: Resources | None = None) -> tuple[str, ...]:
    """The scope ids among a sentence's entities ((entity_id, label) pairs): named CRCs, NPS
    divisions and regions; CRCs in general, companies and other organisations are not a scope."""
    found = set()
    for entity_id, label in entities:
        if not entity_id or entity_id == "crc":
            continue
        if label in ("CRC", "REGION") or entity_id.startswith("nps_"):
            found.add(entity_id)
    return tuple(sorted(found))


def _partitive_spans(text: str) -> list[tuple[int, int, int, int]]:
    return [(m.start(1), m.end(1), m.start(2), m.end(2)) for m in _PARTITIVE.finditer(text)]


def _measure_candidates(vocab: Vocabulary, text: str, q: dict, family: str, pos: int, partitive: bool):
    """(distance, order, measure id) for each measure the figure of `q` at `pos` can be a value of."""
    if partitive:  # `two of the 21 CRCs`: neither the part nor the whole is a value of a measure
        return
    measure_field = " ".join((q.get("measure") or "").lower().split())
    for order, m in enumerate(vocab.measures):
        if family not in m.families:
            continue
        if m.quantity_measures is not None and measure_field and m.quantity_measures.match(measure_field):
            # what is counted names the measure only weakly: a form near the figure (`five CRCs
            # were rated inadequate`) wins over it
            yield _COUNTED_DISTANCE, order, m.id
            continue
        if m.forms is None:
            continue
        best = None
        for match in m.forms.finditer(text):
            distance = max(match.start() - pos, pos - match.end(), 0) + 1
            best = distance if best is None else min(best, distance)
        if best is not None:
            yield best, order, m.id


def _period(q: dict | None, text: str, anchor: Period | None) -> tuple[Period | None, str | None]:
    if q is not None:
        found = parse_period(q.get("period"), anchor)
        if found is not None:
            return found, "sentence"
    found = parse_period(text, None)
    if found is not None:
        return found, "sentence"
    found = relative_period(text, anchor)
    if found is not None:
        return found, "reporting_year"
    return (anchor, "document") if anchor is not None else (None, None)


def polarity(text: str, vocab: Vocabulary, res: Resources) -> str:
    negative = len(vocab.negative.findall(text))
    positive = 0
    for match in vocab.positive.finditer(text):
        before = text[max(0, match.start() - 12):match.start()].lower().split()
        if before and (before[-1] in res.negation_cues or before[-1].endswith("n't")):
            negative += 1
        else:
            positive += 1
    return "negative" if negative > positive else "positive" if positive > negative else "neutral"


def claim_frame(text: str, quantities, entities, doc_date: str | None, *, vocab: Vocabulary | None = None,
                res: Resources | None = None, config: LinkConfig = LinkConfig()) -> Frame:
    """The frame of one claim: `quantities` are its quantities.jsonl rows (dicts), `entities`
    its (entity_id, label) pairs, `doc_date` the document date (`2019-06`)."""
    vocab = vocab or load_vocabulary()
    res = res or load_resources()
    text = text or ""
    anchor = date_period(doc_date)
    scope = scope_of(entities)
    partitives = _partitive_spans(text)
    found: dict[str, tuple] = {}  # measure -> (key, MeasureValue): each measure's nearest figure
    for q in quantities:
        read = figure_interval(q, res, config)
        if read is None:
            continue
        family, _, interval = read
        pos = max(text.find(q.get("text") or "\0"), 0)
        end = pos + len(q.get("text") or "")
        # a count inside `N of the M` (not a fraction figure spanning both numbers)
        partitive = family == "count" and any(
            (a0 <= pos < a1 or b0 <= pos < b1) and not (pos <= a0 and end >= b1) for a0, a1, b0, b1 in partitives)
        candidates = list(_measure_candidates(vocab, text, q, family, pos, partitive))
        if not candidates:
            continue
        distance, order, measure = min(candidates)  # a figure is the value of one measure
        key = (distance, order)
        if measure not in found or key < found[measure][0]:
            period, source = _period(q, text, anchor)
            found[measure] = (key, MeasureValue(measure, family, interval, " ".join((q.get("text") or "").split()),
                                                q.get("quantity_id"), period, source))
    if found:
        values = tuple(v for _, v in sorted(found.values(), key=lambda kv: kv[0]))
        return Frame(values[0].measure, scope or (ALL,), "sentence" if scope else "default", values[0].period,
                     values[0].period_source, values[0].family, values[0].value, values[0].text,
                     values[0].quantity_id, others=values[1:])
    # no figure of a measure: the claim states a finding (`CRCs have failed to innovate`)
    period, source = _period(None, text, anchor)
    hits = [(m.start(), n, fid) for n, (fid, pattern) in enumerate(vocab.findings) if (m := pattern.search(text))]
    return Frame(None, scope or (ALL,), "sentence" if scope else "default", period, source,
                 proposition=min(hits)[2] if hits else None, polarity=polarity(text, vocab, res))


# --- comparing two frames ---------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class FrameComparison:
    measure: str  # same | different | one | none
    scope: str  # same | nested | disjoint
    period: str  # overlap | disjoint | unknown
    period_stated: int  # how many of the two periods the sentences state (0-2)
    value: str  # intersect | disjoint | unknown
    proposition: str  # same | different | none
    polarity: str  # same | opposite | unknown

    @property
    def relation(self) -> str | None:
        """What the frames alone say: repeat, update, contradict, or None. Values that meet repeat
        whatever the periods (a document date is weak evidence of when a figure holds); values
        that do not meet are an update when the periods differ and a contradiction when they
        overlap in the same scope; opposite findings contradict unless both sentences state
        periods that differ."""
        if self.measure == "same" and self.scope != "disjoint":
            if self.value == "intersect":
                return "repeat"
            if self.value == "disjoint" and self.period == "disjoint":
                return "update"
            if self.value == "disjoint" and self.period == "overlap" and self.scope == "same":
                return "contradict"
        if self.proposition == "same" and self.scope != "disjoint":
            if self.polarity == "opposite":
                return "update" if self.period == "disjoint" and self.period_stated == 2 else "contradict"
            if self.polarity == "same":
                return "repeat"
        return None

    def fields(self) -> list[str]:
        """The fields the reason names, as `field=relation` (measure=same, period=disjoint, ...)."""
        out = [f"measure={self.measure}", f"scope={self.scope}", f"period={self.period}"]
        if self.value != "unknown":
            out.append(f"value={self.value}")
        if self.proposition != "none":
            out += [f"proposition={self.proposition}", f"polarity={self.polarity}"]
        return out


def compare_frames(a: Frame, b: Frame) -> FrameComparison:
    """Field by field; when the claims give figures of several measures, the pair of values of a
    measure both give is compared (their own measures first)."""
    va, vb = a.values(), b.values()
    shared = next(((x, y) for x in va for y in vb if x.measure == y.measure), None)
    if shared is not None:
        x, y = shared
        measure = "same"
        a = Frame(x.measure, a.scope, a.scope_source, x.period, x.period_source, x.family, x.value)
        b = Frame(y.measure, b.scope, b.scope_source, y.period, y.period_source, y.family, y.value)
    elif a.measure and b.measure:
        measure = "different"
    else:
        measure = "one" if (a.measure or b.measure) else "none"
    sa, sb = set(a.scope), set(b.scope)
    if sa == sb:
        scope = "same"
    elif ALL in sa or ALL in sb or sa & sb:
        scope = "nested"
    else:
        scope = "disjoint"
    if a.period is None or b.period is None:
        period = "unknown"
    else:
        period = "overlap" if a.period.compatible(b.period) else "disjoint"
    stated = sum(f.period_source in ("sentence", "reporting_year") for f in (a, b))
    if a.value is None or b.value is None or a.family != b.family:
        value = "unknown"
    else:
        value = "intersect" if a.value.meets(b.value) else "disjoint"
    if a.proposition and b.proposition:
        proposition = "same" if a.proposition == b.proposition else "different"
    else:
        proposition = "none"
    if a.polarity in (None, "neutral") or b.polarity in (None, "neutral"):
        pol = "unknown"
    else:
        pol = "same" if a.polarity == b.polarity else "opposite"
    return FrameComparison(measure, scope, period, stated, value, proposition, pol)


def describe(frame: Frame, vocab: Vocabulary | None = None) -> str:
    """`probation officer vacancies, england_and_wales, 2019-09 (sentence), >650` for reasons."""
    vocab = vocab or load_vocabulary()
    parts = [vocab.label(frame.measure) or (f"finding {frame.proposition} ({frame.polarity})"
                                            if frame.proposition else "no measure")]
    parts.append("/".join(frame.scope))
    if frame.period is not None:
        parts.append(f"{frame.period.label} ({frame.period_source})")
    if frame.value is not None:
        parts.append(frame.value.describe(frame.family or "count"))
    return ", ".join(parts)


def frame_block_keys(row: dict | None, entity_ids=(), generic: frozenset = frozenset()) -> tuple[tuple[str, ...], int]:
    """Candidate blocks of a claim from its claims.jsonl `frame` row and entity ids: the measure of
    each figure (`measure:probation_officer_vacancies`), the finding (`finding:innovation`), and
    each specific entity with the year (`entity:south_yorkshire_crc:2015`); and the month its
    period starts, which orders the windows inside big blocks. No frame row, no frame blocks."""
    if not row:
        return (), 0
    keys = [f"measure:{v['measure']}" for v in [row] + list(row.get("others") or ()) if v.get("measure")]
    if row.get("proposition"):
        keys.append(f"finding:{row['proposition']}")
    period = row.get("period") or {}
    month = _month_index(period["first"]) if period.get("first") else 0
    if month:
        year = month // 12
        named = set(entity_ids) | set(row.get("scope") or ())
        keys += [f"entity:{e}:{year}" for e in sorted(named) if e not in generic]
    return tuple(dict.fromkeys(keys)), month
