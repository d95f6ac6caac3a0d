"""The pair features of pairs.py for a batch of candidate pairs at once, as array operations.

`pairs.pair_evidence` builds the features of one pair in Python: it is the reference, and what
training uses. Here the claim table is first turned into arrays once (`PairColumns`: content
words and entities as sorted int ids, frames as small int codes with their values' intervals and
periods), so a batch of pairs costs numpy operations, not one Python call a pair.

The rules (scoring.judge): their text tests (negation, near-verbatim, paraphrase) are read here
for pairs without figures on both sides, and a row is built only for a pair that becomes a link
(`BatchEvidence.rule`); scoring.judge itself runs, in Python, only on pairs with figures on both
sides at a cosine its numeric tests accept, and on the rare pair within 1e-9 of a text threshold
(an idf sum can differ from Python's in the last bit). No other pair can have a rule row.
`batch_evidence` gives what pair_evidence gives, row for row (tests/test_links_pair_arrays.py).
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np

from .config import LinkConfig
from .frames import ALL
from .overlap import shared_ids as _shared
from .scoring import judge, numeric_evidence, scope_relation
from .table import ClaimTable

SOURCE_LSH, SOURCE_BLOCK = 2, 4  # as in candidates.py
NONE, REPEAT, UPDATE, CONTRADICT = 0, 1, 2, 3  # relation codes
RELATION_CODE = {None: NONE, "repeat": REPEAT, "update": UPDATE, "contradict": CONTRADICT}
RELATION_NAME = (None, "repeat", "update", "contradict")
_STATED = ("sentence", "reporting_year")
_MARGIN = 1e-9  # a pair this close to a text threshold goes to the rules (sums of idf differ in the last bit)


def _codes(values, table: dict) -> np.ndarray:
    return np.fromiter((table.setdefault(v, len(table)) for v in values), dtype=np.int32, count=len(values))


def _csr(sets, vocab: dict) -> tuple[np.ndarray, np.ndarray]:
    """(start offsets (n + 1), sorted unique ids) of a list of word or entity collections."""
    lengths = np.fromiter((len(s) for s in sets), dtype=np.int64, count=len(sets))
    start = np.zeros(len(sets) + 1, dtype=np.int64)
    np.cumsum(lengths, out=start[1:])
    ids = np.fromiter((vocab.setdefault(w, len(vocab)) for s in sets for w in s), dtype=np.int32,
                      count=int(start[-1]))
    return start, ids


@dataclass(frozen=True, slots=True)
class PairColumns:
    """A ClaimTable as arrays, for batch_evidence (built once per table: `columns`)."""

    rank: np.ndarray  # position of each claim id in sorted order
    word_start: np.ndarray
    word_ids: np.ndarray  # each claim's distinct content words
    word_weight: np.ndarray  # idf ** 2 of each word id (then the ids of negated words not among them)
    neg_start: np.ndarray
    neg_ids: np.ndarray  # the words each claim's negation cues negate (ClaimTable.negated), as word ids
    norms: np.ndarray
    negation: np.ndarray  # bool: the sentence has a negation cue
    figures: np.ndarray  # bool: the claim gives figures
    scope: np.ndarray  # code of the claim's scope dict (scoring.scope_relation)
    scopes: list
    ent_start: np.ndarray
    ent_ids: np.ndarray
    date_key: np.ndarray  # the document period's key (nan: none)
    frame: np.ndarray  # code of the claim's frame
    # by frame code: the frame's own fields
    f_measure: np.ndarray  # -1: none
    f_scope: np.ndarray  # code of the scope tuple
    scope_tuples: list
    f_family: np.ndarray
    f_value: np.ndarray  # bool: has a value
    f_lo: np.ndarray
    f_hi: np.ndarray
    f_period: np.ndarray  # bool: has a period
    f_first: np.ndarray
    f_last: np.ndarray
    f_stated: np.ndarray  # bool: the period comes from the sentence
    f_prop: np.ndarray  # -1: none
    f_polarity: np.ndarray  # 0: none or neutral
    f_background: np.ndarray  # bool: one of its values is a background figure
    # by frame code: its values() as a ragged array
    v_start: np.ndarray
    v_measure: np.ndarray
    v_family: np.ndarray
    v_value: np.ndarray
    v_lo: np.ndarray
    v_hi: np.ndarray
    v_period: np.ndarray
    v_first: np.ndarray
    v_last: np.ndarray
    v_stated: np.ndarray


_CACHE: list = []  # [(weak reference to a table, its columns)]: the last table's (a run links one table)


def columns(t: ClaimTable) -> PairColumns:
    """The arrays of table `t`, built on first use and kept while `t` lives and is the last
    table asked for (the link step judges a table chunk by chunk)."""
    if _CACHE and _CACHE[0][0]() is t:
        return _CACHE[0][1]
    _CACHE.clear()
    cols = build_columns(t)
    _CACHE.append((weakref.ref(t, lambda _: _CACHE.clear()), cols))
    return cols


def build_columns(t: ClaimTable) -> PairColumns:
    n = len(t)
    rank = np.empty(n, dtype=np.int32)
    rank[sorted(range(n), key=t.ids.__getitem__)] = np.arange(n, dtype=np.int32)
    vocab: dict = {}
    word_start, word_ids = _csr(t.words, vocab)
    weight = np.zeros(len(vocab), dtype=np.float64)
    for w, k in vocab.items():
        weight[k] = t.idf[w] ** 2
    neg_start, neg_ids = _csr(t.negated, vocab)
    weight = np.concatenate((weight, np.zeros(len(vocab) - len(weight))))
    ent_start, ent_ids = _csr(t.entities, {})
    scope_code: dict = {}
    scope = _codes([id(s) for s in t.scope], scope_code)
    scopes = [None] * len(scope_code)
    for s, k in zip(t.scope, scope.tolist()):
        scopes[k] = s
    date_key = np.array([math.nan if p is None else p.key for p in t.date_periods], dtype=np.float64)
    frame_code: dict = {}
    frame = _codes([id(f) for f in t.frames], frame_code)
    frames = [None] * len(frame_code)
    for f, k in zip(t.frames, frame.tolist()):
        frames[k] = f
    return PairColumns(
        rank=rank, word_start=word_start, word_ids=word_ids, word_weight=weight, neg_start=neg_start, neg_ids=neg_ids,
        norms=np.frombuffer(t.word_norms, dtype=np.float64).copy() if n else np.zeros(0),
        negation=np.array([k > 0 for k in t.negations], dtype=bool), figures=np.array([bool(f) for f in t.figures]),
        scope=scope, scopes=scopes, ent_start=ent_start, ent_ids=ent_ids, date_key=date_key, frame=frame,
        **_frame_arrays(frames, t.background))


def _frame_arrays(frames: list, background: frozenset) -> dict:
    measures: dict = {}
    families: dict = {}
    scopes: dict = {}
    props: dict = {}
    polarities: dict = {None: 0, "neutral": 0}
    out = {"f_measure": [], "f_scope": [], "f_family": [], "f_value": [], "f_lo": [], "f_hi": [], "f_period": [],
           "f_first": [], "f_last": [], "f_stated": [], "f_prop": [], "f_polarity": [], "f_background": []}
    vals = {"v_measure": [], "v_family": [], "v_value": [], "v_lo": [], "v_hi": [], "v_period": [], "v_first": [],
            "v_last": [], "v_stated": []}
    counts = []

    def fields(prefix, into, measure, family, value, period, source):
        into[prefix + "measure"].append(measure)
        into[prefix + "family"].append(families.setdefault(family, len(families)))
        into[prefix + "value"].append(value is not None)
        into[prefix + "lo"].append(value.lo if value is not None else 0.0)
        into[prefix + "hi"].append(value.hi if value is not None else 0.0)
        into[prefix + "period"].append(period is not None)
        into[prefix + "first"].append(period.first if period is not None else 0)
        into[prefix + "last"].append(period.last if period is not None else 0)
        into[prefix + "stated"].append(source in _STATED)

    for f in frames:
        fields("f_", out, measures.setdefault(f.measure, len(measures)) if f.measure else -1, f.family, f.value,
               f.period, f.period_source)
        out["f_scope"].append(scopes.setdefault(f.scope, len(scopes)))
        out["f_prop"].append(props.setdefault(f.proposition, len(props)) if f.proposition else -1)
        out["f_polarity"].append(polarities.setdefault(f.polarity, len(polarities)))
        values = f.values()
        out["f_background"].append(any(v.quantity_id in background for v in values))
        counts.append(len(values))
        for v in values:
            fields("v_", vals, measures.setdefault(v.measure, len(measures)), v.family, v.value, v.period,
                   v.period_source)
    arrays = {k: np.asarray(v, dtype=np.float64 if k[2:] in ("lo", "hi") else
                            bool if k[2:] in ("value", "period", "stated", "background") else np.int64)
              for k, v in {**out, **vals}.items()}
    if not frames:
        arrays = {k: a.reshape(0) for k, a in arrays.items()}
    v_start = np.zeros(len(frames) + 1, dtype=np.int64)
    np.cumsum(np.asarray(counts, dtype=np.int64), out=v_start[1:])
    return {**arrays, "v_start": v_start, "scope_tuples": list(scopes)}


def _jaccard(inter: np.ndarray, la: np.ndarray, lb: np.ndarray) -> np.ndarray:
    union = la + lb - inter
    out = np.zeros(len(inter), dtype=np.float64)
    ok = (la > 0) & (lb > 0)
    np.divide(inter, union, out=out, where=ok)
    return out


def _pair_lookup(cache: dict, a: np.ndarray, b: np.ndarray, fn) -> np.ndarray:
    """fn(code_a, code_b) for every pair, evaluated once per distinct pair of codes."""
    width = np.int64(max(int(a.max(initial=0)), int(b.max(initial=0))) + 1)
    keys = a.astype(np.int64) * width + b
    uniq, inverse = np.unique(keys, return_inverse=True)
    values = np.empty(len(uniq), dtype=np.int8)
    for n, (x, y) in enumerate(zip((uniq // width).tolist(), (uniq % width).tolist())):
        key = (x, y)
        if key not in cache:
            cache[key] = fn(x, y)
        values[n] = cache[key]
    return values[inverse.reshape(-1)]


SCOPE_SAME, SCOPE_NESTED, SCOPE_DISJOINT = 0, 1, 2


@dataclass(frozen=True, slots=True)
class FrameArrays:
    """frames.compare_frames of a batch of pairs, field by field as codes."""

    measure: np.ndarray  # 0 same, 1 different, 2 one, 3 none
    scope: np.ndarray  # SCOPE_*
    period: np.ndarray  # 0 overlap, 1 disjoint, 2 unknown
    stated: np.ndarray
    value: np.ndarray  # 0 intersect, 1 disjoint, 2 unknown
    proposition: np.ndarray  # 0 same, 1 different, 2 none
    polarity: np.ndarray  # 0 same, 1 opposite, 2 unknown
    relation: np.ndarray  # relation codes

    def field_codes(self) -> np.ndarray:
        """One int a pair naming its FrameComparison.fields() (see `frame_fields`)."""
        return ((((self.measure * 3 + self.scope) * 3 + self.period) * 3 + self.value) * 3 + self.proposition) * 3 \
            + self.polarity


_NAMES = (("same", "different", "one", "none"), ("same", "nested", "disjoint"), ("overlap", "disjoint", "unknown"),
          ("intersect", "disjoint", "unknown"), ("same", "different", "none"), ("same", "opposite", "unknown"))
_FIELDS: dict = {}


def frame_fields(code: int) -> tuple[str, ...]:
    """FrameComparison.fields() of a pair from its FrameArrays.field_codes() value."""
    found = _FIELDS.get(code)
    if found is None:
        digits, rest = [], code
        for _ in range(5):
            rest, d = divmod(rest, 3)
            digits.append(d)
        m, s, p, v, pr, po = [rest] + digits[::-1]
        out = [f"measure={_NAMES[0][m]}", f"scope={_NAMES[1][s]}", f"period={_NAMES[2][p]}"]
        if v != 2:
            out.append(f"value={_NAMES[3][v]}")
        if pr != 2:
            out += [f"proposition={_NAMES[4][pr]}", f"polarity={_NAMES[5][po]}"]
        found = _FIELDS[code] = tuple(out)
    return found


def _frame_scope(cols: PairColumns, x: int, y: int) -> int:
    sa, sb = set(cols.scope_tuples[x]), set(cols.scope_tuples[y])
    if sa == sb:
        return SCOPE_SAME
    return SCOPE_NESTED if ALL in sa or ALL in sb or sa & sb else SCOPE_DISJOINT


def compare_frame_arrays(cols: PairColumns, fa: np.ndarray, fb: np.ndarray, cache: dict) -> FrameArrays:
    """compare_frames of frames fa[k] and fb[k] (frame codes)."""
    p = len(fa)
    # the first (x, y) of va x vb, in that order, with the same measure
    na, nb = cols.v_start[fa + 1] - cols.v_start[fa], cols.v_start[fb + 1] - cols.v_start[fb]
    combos = na * nb
    pos = np.repeat(np.arange(p), combos)
    k = np.arange(int(combos.sum())) - np.repeat(np.cumsum(combos) - combos, combos)
    xs = cols.v_start[fa][pos] + k // nb[pos]
    ys = cols.v_start[fb][pos] + k % nb[pos]
    match = cols.v_measure[xs] == cols.v_measure[ys]
    first_pos, first = np.unique(pos[match], return_index=True)
    shared = np.zeros(p, dtype=bool)
    shared[first_pos] = True
    x_of = np.zeros(p, dtype=np.int64)
    y_of = np.zeros(p, dtype=np.int64)
    x_of[first_pos] = xs[match][first]
    y_of[first_pos] = ys[match][first]

    def side(f, v, name):
        own = getattr(cols, "f_" + name)[f]
        return np.where(shared, getattr(cols, "v_" + name)[v], own) if len(cols.v_measure) else own

    ma, mb = cols.f_measure[fa] >= 0, cols.f_measure[fb] >= 0
    measure = np.where(shared, 0, np.where(ma & mb, 1, np.where(ma | mb, 2, 3)))
    scope = _pair_lookup(cache, cols.f_scope[fa], cols.f_scope[fb], lambda x, y: _frame_scope(cols, x, y))
    has_p = side(fa, x_of, "period") & side(fb, y_of, "period")
    compatible = (side(fa, x_of, "first") <= side(fb, y_of, "last")) \
        & (side(fb, y_of, "first") <= side(fa, x_of, "last"))
    period = np.where(has_p, np.where(compatible, 0, 1), 2)
    stated = side(fa, x_of, "stated").astype(np.int64) + side(fb, y_of, "stated")
    lo_a, hi_a, lo_b, hi_b = side(fa, x_of, "lo"), side(fa, x_of, "hi"), side(fb, y_of, "lo"), side(fb, y_of, "hi")
    meets = ((lo_a == hi_a) & (hi_a == lo_b) & (lo_b == hi_b)) | ((lo_a < hi_b) & (lo_b < hi_a))
    comparable = side(fa, x_of, "value") & side(fb, y_of, "value") \
        & (side(fa, x_of, "family") == side(fb, y_of, "family"))
    value = np.where(comparable, np.where(meets, 0, 1), 2)
    pa, pb = np.where(shared, -1, cols.f_prop[fa]), np.where(shared, -1, cols.f_prop[fb])
    proposition = np.where((pa >= 0) & (pb >= 0), np.where(pa == pb, 0, 1), 2)
    la, lb = np.where(shared, 0, cols.f_polarity[fa]), np.where(shared, 0, cols.f_polarity[fb])
    polarity = np.where((la > 0) & (lb > 0), np.where(la == lb, 0, 1), 2)
    # FrameComparison.relation
    relation = np.zeros(p, dtype=np.int8)
    by_measure = (measure == 0) & (scope != SCOPE_DISJOINT)
    relation[by_measure & (value == 0)] = REPEAT
    relation[by_measure & (value == 1) & (period == 1)] = UPDATE
    relation[by_measure & (value == 1) & (period == 0) & (scope == SCOPE_SAME)] = CONTRADICT
    by_finding = (proposition == 0) & (scope != SCOPE_DISJOINT)
    relation[by_finding & (polarity == 1)] = np.where((period == 1) & (stated == 2), UPDATE, CONTRADICT)[
        by_finding & (polarity == 1)]
    relation[by_finding & (polarity == 0)] = REPEAT
    return FrameArrays(measure, scope, period, stated, value, proposition, polarity, relation)


@dataclass(frozen=True, slots=True)
class BatchEvidence:
    """pair_evidence of a batch: the (P, len(FEATURES)) features, the rules' row of each pair
    (None: no rule link), and what the frames say."""

    pairs: np.ndarray  # (P, 2), each pair in claim id order
    features: np.ndarray
    rules: list
    rule_relation: np.ndarray  # relation codes
    frame_relation: np.ndarray  # relation codes
    measure_same: np.ndarray  # bool: the frames share a measure ("measure=same" in the fields)
    fields: np.ndarray  # FrameArrays.field_codes(): frame_fields() gives FrameComparison.fields()
    text_kind: np.ndarray  # the text rule of a pair whose row `rules` leaves to rule()

    def rule(self, t: ClaimTable, k: int) -> dict | None:
        """scoring.judge's row of pair k (None: no rule link)."""
        row = self.rules[k]
        if row is None and self.text_kind[k] > 0:
            i, j = self.pairs[k].tolist()
            cos, jac, share = self.features[k, :3].tolist()
            row = text_rule_row(t, i, j, int(self.text_kind[k]), cos, jac, share, float(self.features[k, 9]),
                                frame_fields(int(self.fields[k])))
        return row


def batch_evidence(t: ClaimTable, pairs: np.ndarray, cosines: np.ndarray, found_by: np.ndarray,
                   config: LinkConfig = LinkConfig(), cols: PairColumns | None = None,
                   cache: dict | None = None) -> BatchEvidence:
    """The features of candidate pairs (P, 2) with their cosines and source bitmasks, as
    pairs.pair_evidence gives them one at a time."""
    cols = cols or columns(t)
    cache = {} if cache is None else cache
    pairs = np.asarray(pairs, dtype=np.int64).reshape(-1, 2)
    swap = cols.rank[pairs[:, 0]] > cols.rank[pairs[:, 1]]
    a, b = np.where(swap, pairs[:, 1], pairs[:, 0]), np.where(swap, pairs[:, 0], pairs[:, 1])
    p = len(a)
    cos = np.asarray(cosines, dtype=np.float64)
    found_by = np.asarray(found_by).astype(np.int64)
    la = cols.word_start[a + 1] - cols.word_start[a]
    lb = cols.word_start[b + 1] - cols.word_start[b]
    inter, weighted = _shared(cols.word_start, cols.word_ids, a, b, cols.word_weight)
    jac = _jaccard(inter, la, lb)
    norm = cols.norms[a] * cols.norms[b]
    share = np.zeros(p, dtype=np.float64)
    np.divide(weighted, norm, out=share, where=(cols.norms[a] != 0) & (cols.norms[b] != 0))
    shorter, longer = np.minimum(la, lb), np.maximum(la, lb)
    ratio = np.zeros(p, dtype=np.float64)
    np.divide(shorter, longer, out=ratio, where=longer > 0)
    negated = cols.negation[a] != cols.negation[b]
    fig_a, fig_b = cols.figures[a], cols.figures[b]
    both = fig_a & fig_b
    # the rules: only pairs that can pass a test are judged (in Python)
    conflict = _pair_lookup(cache.setdefault("rule_scope", {}), cols.scope[a], cols.scope[b],
                            lambda x, y: scope_relation(cols.scopes[x], cols.scopes[y]) == "conflict")
    text = (jac >= config.verbatim_min_overlap - _MARGIN) | (
        negated & (jac >= config.negation_min_overlap - _MARGIN) & (cos >= config.negation_min_sim)) | (
        (cos >= config.paraphrase_min_sim) & (shorter >= config.paraphrase_min_words)
        & (share >= config.paraphrase_min_overlap - _MARGIN)
        & ((cos + share) / 2 >= config.paraphrase_min_score - _MARGIN))
    rules: list = [None] * p
    agree = np.zeros(p, dtype=bool)
    disagree = np.zeros(p, dtype=bool)
    cos_list = cos.tolist()
    evidence: dict = {}
    for k in np.flatnonzero(both).tolist():
        ev = numeric_evidence(t, int(a[k]), int(b[k]), config)
        if ev is not None:
            agree[k], disagree[k] = ev.agree, not ev.agree
            evidence[k] = ev
    # figures lead to a link only at a cosine the numeric tests accept (scoring._numeric_relation)
    numeric = (agree | disagree) & (cos >= min(config.numeric_change_min_sim, config.numeric_repeat_min_sim,
                                               config.numeric_exact_repeat_min_sim))
    conflict = conflict.astype(bool)
    # a pair without figures on both sides can only pass a text test: those are read here
    kind, raw = _text_rules(cols, config, a, b, cos, jac, share, shorter, negated, ~both & ~conflict)
    near = kind < 0  # too close to a threshold to call in numpy: the rules decide
    judged = (numeric | text) & ~conflict & (both | near)
    rule_relation = np.where(kind == _CONTRADICTS, CONTRADICT, np.where(kind > 0, REPEAT, NONE)).astype(np.int8)
    rule_score = np.zeros(p, dtype=np.float64)
    texts = np.flatnonzero(kind > 0)
    for k, x in zip(texts.tolist(), raw[texts].tolist()):
        score = round(min(max(x, 0.0), 1.0), 4)
        if score < config.min_score:
            kind[k], rule_relation[k] = 0, NONE
        else:
            rule_score[k] = score
    kind[near] = 0
    rule_numeric = np.zeros(p, dtype=bool)
    for k in np.flatnonzero(judged).tolist():
        row = judge(t, int(a[k]), int(b[k]), cos_list[k], config, evidence=evidence.get(k) if both[k] else None)
        if row is not None:
            rules[k] = row
            rule_relation[k] = RELATION_CODE[row["relation"]]
            rule_score[k] = row["score"]
            rule_numeric[k] = row.get("method") == "numeric"
    fa, fb = cols.frame[a], cols.frame[b]
    cmp = compare_frame_arrays(cols, fa, fb, cache.setdefault("frame_scope", {}))
    e_inter, _ = _shared(cols.ent_start, cols.ent_ids, a, b)
    ent = _jaccard(e_inter, cols.ent_start[a + 1] - cols.ent_start[a], cols.ent_start[b + 1] - cols.ent_start[b])
    ka, kb = cols.date_key[a], cols.date_key[b]
    years = np.where(np.isnan(ka) | np.isnan(kb), 0.0, np.abs(ka - kb) / 12)
    f = np.column_stack([
        cos, jac, share, _log1p(shorter), ratio, negated,
        rule_relation == REPEAT, rule_relation == UPDATE, rule_relation == CONTRADICT, rule_score, rule_numeric,
        cmp.measure == 0, cmp.measure == 1, cmp.measure == 2,
        cmp.scope == SCOPE_DISJOINT, cmp.scope == SCOPE_NESTED,
        cmp.period == 0, cmp.period == 1, cmp.stated / 2,
        cmp.value == 0, cmp.value == 1,
        cmp.proposition == 0, cmp.proposition == 1, cmp.polarity == 0, cmp.polarity == 1,
        cmp.relation == REPEAT, cmp.relation == UPDATE, cmp.relation == CONTRADICT,
        cols.f_background[fa] | cols.f_background[fb], ent, np.minimum(years, 10.0) / 10,
        (found_by & SOURCE_LSH) > 0, (found_by & SOURCE_BLOCK) > 0,
        both, fig_a != fig_b, agree, disagree,
    ]).astype(np.float64)
    return BatchEvidence(np.stack([a, b], axis=1), f, rules, rule_relation, cmp.relation, cmp.measure == 0,
                         cmp.field_codes(), kind)


_LOG1P: list = []


def _log1p(k: np.ndarray) -> np.ndarray:
    """math.log1p of small non-negative ints (a table: the same bits as the per-pair path)."""
    top = int(k.max(initial=0))
    if len(_LOG1P) <= top:
        _LOG1P.extend(math.log1p(x) for x in range(len(_LOG1P), top + 1))
    return np.asarray(_LOG1P, dtype=np.float64)[k]


def batch_decide(ev: BatchEvidence, proba: np.ndarray, model, config: LinkConfig = LinkConfig()) -> np.ndarray:
    """pairs.decide of every pair of the batch, as relation codes (NONE: not linked)."""
    rule, frame = ev.rule_relation, ev.frame_relation
    change_rule = (rule == UPDATE) | (rule == CONTRADICT)
    change_frame = (frame == UPDATE) | (frame == CONTRADICT)
    frame_ok = ev.measure_same & (ev.features[:, 0] >= config.numeric_change_min_sim) \
        & (proba >= model.change_threshold)
    out = np.where(proba >= model.threshold, REPEAT, NONE).astype(np.int8)
    out[change_frame] = np.where(frame_ok, frame, NONE)[change_frame]
    out[change_rule] = rule[change_rule]
    return out


_CONTRADICTS, _VERBATIM, _PARAPHRASE = 1, 2, 3  # text rule kinds (scoring._text_relation); -1: near a threshold


def _text_rules(cols: PairColumns, config: LinkConfig, a, b, cos, jac, share, shorter, negated, which):
    """scoring._text_relation of the pairs `which` (no figures on both sides, no scope conflict):
    the kind of each pair's text link (0: none) and its score before rounding."""
    p = len(a)
    kind = np.zeros(p, dtype=np.int8)
    neg_ab, _ = _shared(cols.neg_start, cols.neg_ids, a, b, other=(cols.word_start, cols.word_ids))
    neg_ba, _ = _shared(cols.neg_start, cols.neg_ids, b, a, other=(cols.word_start, cols.word_ids))
    contra = which & negated & (jac >= config.negation_min_overlap) & (cos >= config.negation_min_sim)
    rest = which & ~contra & ~(negated & ((neg_ab > 0) | (neg_ba > 0)))
    verbatim = rest & (jac >= config.verbatim_min_overlap)
    rest &= ~verbatim & (cos >= config.paraphrase_min_sim) & (shorter >= config.paraphrase_min_words)
    mean = (cos + share) / 2
    paraphrase = rest & (share >= config.paraphrase_min_overlap) & (mean >= config.paraphrase_min_score)
    near = rest & ((np.abs(share - config.paraphrase_min_overlap) < _MARGIN)
                   | (np.abs(mean - config.paraphrase_min_score) < _MARGIN))
    kind[contra], kind[verbatim], kind[paraphrase] = _CONTRADICTS, _VERBATIM, _PARAPHRASE
    kind[near] = -1
    raw = np.where(contra, 0.5 * cos + 0.5 * jac, np.where(verbatim, 0.5 + 0.5 * jac, mean))
    return kind, raw


def _text_reason(t: ClaimTable, i: int, kind: int, cos: float, jac: float, share: float) -> tuple[str, str]:
    if kind == _CONTRADICTS:
        return "contradict", (f"negation only in {'a' if t.negations[i] else 'b'}; otherwise {jac:.2f} of words "
                              f"shared, similarity {cos:.2f}")
    if kind == _VERBATIM:
        return "repeat", f"near-verbatim: {jac:.2f} of words shared, similarity {cos:.2f}"
    return "repeat", f"paraphrase: similarity {cos:.2f}, rare-word overlap {share:.2f}"


def text_rule_row(t: ClaimTable, i: int, j: int, kind: int, cos: float, jac: float, share: float, score: float,
                  fields: tuple[str, ...]) -> dict:
    """The scoring.judge row of a text link read by _text_rules (i, j in claim id order)."""
    relation, reason = _text_reason(t, i, kind, cos, jac, share)
    return {"a": t.ids[i], "b": t.ids[j], "relation": relation, "score": score, "method": "text", "measure": None,
            "reason": f"{reason}; frames: {' '.join(fields)}: {relation}", "similarity": round(cos, 4),
            "a_doc": t.docs[i], "b_doc": t.docs[j], "a_date": t.dates[i], "b_date": t.dates[j]}


def batch_links(t: ClaimTable, ev: BatchEvidence, proba: np.ndarray, decided: np.ndarray, found_by: np.ndarray,
                names: tuple, min_score: float = 0.0):
    """The SPEC §6 rows of the pairs the model linked (pairs.link_row of each, in batch order);
    `names[mask]`: the source names of a found_by bitmask."""
    from .pairs import PairEvidence, link_row

    linked = np.flatnonzero((decided != NONE) & (proba >= min_score))
    same_as_rule = (decided[linked] == ev.rule_relation[linked]).tolist()
    # whole columns as lists: indexing numpy one element at a time costs more than the rest of a row
    for k, (i, j), p, masks, code, agrees, kind, (cos, jac, share), field_code in zip(
            linked.tolist(), ev.pairs[linked].tolist(), proba[linked].tolist(), found_by[linked].tolist(),
            decided[linked].tolist(), same_as_rule, ev.text_kind[linked].tolist(), ev.features[linked, :3].tolist(),
            ev.fields[linked].tolist()):
        relation = RELATION_NAME[code]
        if agrees and kind > 0:  # the rules' text link, scored by the model: link_row without the rule row
            _, reason = _text_reason(t, i, kind, cos, jac, share)
            frames = " ".join(frame_fields(field_code))
            row = {"a": t.ids[i], "b": t.ids[j], "relation": relation, "score": round(p, 4), "method": "text",
                   "measure": None, "reason": f"{reason}; frames: {frames}: {relation}",
                   "similarity": round(cos, 4), "a_doc": t.docs[i], "b_doc": t.docs[j], "a_date": t.dates[i],
                   "b_date": t.dates[j]}
        else:
            rule = ev.rule(t, k)
            fields = () if rule is not None and rule["relation"] == relation else frame_fields(field_code)
            row = link_row(t, i, j, cos, PairEvidence((), rule, None, fields), relation, p)
        row["found_by"] = list(names[masks])
        yield row
