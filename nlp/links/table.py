"""The claim table linking works on: one row per claim, with everything a pair judgement needs
precomputed once (content words, negation, scope, figures as intervals, periods).

Inputs are the rows of a run's output files (lists of dicts or pandas DataFrames), never Docs.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from .config import LinkConfig
from .numeric import Figure, Period, date_period, figure_interval, parse_period
from .resources import Resources, load_resources
from .text import (content_words, context_window, fold_aliases, has_sample_cue, measure_words, negated_words,
                   negation_count, populations, words)


@dataclass(frozen=True)
class ClaimTable:
    ids: list[str]
    docs: list[str]
    texts: list[str]
    dates: list[str | None]
    doc_codes: np.ndarray  # int per claim: equal codes, same document
    words: list[frozenset]
    negations: list[int]
    negated: list[frozenset]  # the word each negation cue negates (`cannot lose` -> lose)
    scope: list[dict[str, frozenset]]  # 'provider'/'region' -> entity ids named; 'population' -> adult/youth
    sampled: list[bool]  # the sentence counts a sample (`inspected`): its counts are not population totals
    figures: list[tuple[Figure, ...]]
    date_periods: list[Period | None]
    block_keys: list[tuple[str, ...]]  # 'family:measure head' per figure with a measure
    idf: dict[str, float]  # inverse claim frequency of each content word in this table
    word_norms: list[float]  # sqrt of the sum of squared idf of each claim's words

    def __len__(self) -> int:
        return len(self.ids)


def as_rows(table) -> list[dict]:
    """Lists of dicts pass through; a pandas DataFrame becomes its records."""
    if table is None:
        return []
    if hasattr(table, "to_dict"):  # pandas: missing values (NaN) become None
        return table.astype(object).where(table.notna(), None).to_dict("records")
    return list(table)


def _entity_labels(entities: list[dict]) -> dict[str, str]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for ent in entities:
        if ent.get("entity_id"):
            votes[ent["entity_id"]][ent.get("label")] += 1
    return {eid: c.most_common(1)[0][0] for eid, c in votes.items()}


def _scope(entity_ids, labels: dict[str, str], res: Resources, text: str = "") -> dict[str, frozenset]:
    groups: dict[str, set] = defaultdict(set)
    found = populations(text, res)
    if found:
        groups["population"] = set(found)
    for eid in entity_ids or ():
        group = res.scope_labels.get(labels.get(eid, ""))
        if group is None and eid in res.scope_providers:
            group = "provider"
        if group:
            groups[group].add(eid)
    return {g: frozenset(ids) for g, ids in groups.items()}


def _figure(q: dict, claim_text: str, res: Resources, cfg: LinkConfig, anchor: Period | None = None) -> Figure | None:
    read = figure_interval(q, res, cfg)
    if read is None:
        return None
    family, value, interval = read
    measure = (q.get("measure") or "").strip()
    context = context_window(claim_text, q.get("text") or "")
    return Figure(quantity_id=q.get("quantity_id", ""), text=q.get("text") or "", family=family, value=value,
                  interval=interval, measure=measure, measure_words=measure_words(measure, context, res),
                  period=parse_period(q.get("period"), anchor),
                  exact=(q.get("approx") or "exact") == "exact" and not q.get("value_high"))


def _block_key(fig: Figure, res: Resources) -> str | None:
    if not fig.measure:
        return None
    head = words(fold_aliases(fig.measure, res))
    return f"{fig.family}:{head[-1].rstrip('s')}" if head else None


def _idf(word_sets: list[frozenset]) -> tuple[dict[str, float], list[float]]:
    df = Counter(w for ws in word_sets for w in ws)
    n = len(word_sets)
    idf = {w: math.log((n + 1) / (c + 1)) + 1.0 for w, c in df.items()}
    norms = [math.sqrt(sum(idf[w] ** 2 for w in ws)) for ws in word_sets]
    return idf, norms


def claim_table(claims, quantities, entities, documents, *, config: LinkConfig = LinkConfig(),
                resources: Resources | None = None) -> ClaimTable:
    res = resources or load_resources()
    claims, quantities = as_rows(claims), as_rows(quantities)
    entities, documents = as_rows(entities), as_rows(documents)
    doc_dates = {d["doc_id"]: d.get("date") for d in documents}
    qty = {q["quantity_id"]: q for q in quantities if q.get("quantity_id")}
    labels = _entity_labels(entities)
    doc_index: dict[str, int] = {}
    cols = defaultdict(list)
    for claim in claims:
        text = claim.get("text") or ""
        date = claim.get("date") or doc_dates.get(claim["doc_id"])
        anchor = date_period(date)
        figs = tuple(f for f in (_figure(qty[q], text, res, config, anchor) for q in claim.get("quantity_ids") or ()
                                 if q in qty) if f is not None)
        cols["ids"].append(str(claim["claim_id"]))
        cols["docs"].append(str(claim["doc_id"]))
        cols["texts"].append(text)
        cols["dates"].append(date)
        cols["codes"].append(doc_index.setdefault(claim["doc_id"], len(doc_index)))
        cols["words"].append(content_words(text, res))
        cols["negations"].append(negation_count(text, res))
        cols["negated"].append(negated_words(text, res))
        cols["scope"].append(_scope(claim.get("entity_ids"), labels, res, text))
        cols["sampled"].append(has_sample_cue(text, res))
        cols["figures"].append(figs)
        cols["date_periods"].append(anchor)
        cols["block_keys"].append(tuple(k for k in (_block_key(f, res) for f in figs) if k))
    idf, norms = _idf(cols["words"])
    return ClaimTable(idf=idf, word_norms=norms,
                      ids=cols["ids"], docs=cols["docs"], texts=cols["texts"], dates=cols["dates"],
                      doc_codes=np.asarray(cols["codes"], dtype=np.int64), words=cols["words"],
                      negations=cols["negations"], negated=cols["negated"], scope=cols["scope"],
                      sampled=cols["sampled"],
                      figures=cols["figures"], date_periods=cols["date_periods"], block_keys=cols["block_keys"])
