"""The claim table linking works on: one row per claim, with everything a pair judgement needs
precomputed once (content words, negation, scope, figures as intervals, periods).

Inputs are the rows of a run's output files (lists of dicts or pandas DataFrames), never Docs.
"""

from __future__ import annotations

import json
import math
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .config import LinkConfig
from .crowds import TEXT_CACHE, crowd_key
from .frames import Frame, claim_frame, frame_block_keys
from .overlap import WordSets, WordSetsBuilder, word_sets
from .numeric import Figure, Period, date_period, figure_interval, parse_period
from .resources import Resources, load_resources
from .text import (content_words, context_window, fold_aliases, has_sample_cue, measure_words, negated_words,
                   negation_count, populations, words)


@dataclass(frozen=True)
class ClaimTable:
    ids: list[str]
    docs: list[str]
    texts: Sequence[str]  # a list, or FileTexts (read from claims.jsonl when asked)
    dates: list[str | None]
    doc_codes: np.ndarray  # int per claim: equal codes, same document
    words: list[tuple[str, ...]]  # sorted content words (shared strings): frozenset() them to compare
    negations: list[int]
    negated: list[frozenset]  # the word each negation cue negates (`cannot lose` -> lose)
    scope: list[dict[str, frozenset]]  # 'provider'/'region' -> entity ids named; 'population' -> adult/youth
    sampled: list[bool]  # the sentence counts a sample (`inspected`): its counts are not population totals
    figures: list[tuple[Figure, ...]]
    date_periods: list[Period | None]
    block_keys: list[tuple[str, ...]]  # per figure 'family:measure head' and 'value:family:value'; frame blocks
    frames: list  # one frames.Frame per claim (the claims.jsonl `frame`, or built when a row has none)
    block_order: np.ndarray  # int per claim: the month its frame's period starts (orders big blocks)
    entities: list[frozenset]  # the entity ids of each claim
    idf: dict[str, float]  # inverse claim frequency of each content word in this table
    word_norms: array  # of doubles: sqrt of the sum of squared idf of each claim's words
    # quantity ids of background figures: a measure's value stated in many documents (`21 CRCs`)
    background: frozenset = frozenset()

    def __len__(self) -> int:
        return len(self.ids)


def as_rows(table) -> list[dict]:
    """Lists of dicts pass through; a pandas DataFrame becomes its records."""
    if table is None:
        return []
    if hasattr(table, "to_dict"):  # pandas: missing values (NaN) become None
        return table.astype(object).where(table.notna(), None).to_dict("records")
    return list(table)


def _entity_labels(entities) -> dict[str, str]:
    votes: dict[str, Counter] = defaultdict(Counter)
    for ent in entities:
        if ent.get("entity_id"):
            votes[ent["entity_id"]][ent.get("label")] += 1
    return {eid: c.most_common(1)[0][0] for eid, c in votes.items()}


def _scope(entity_ids, labels: dict[str, str], res: Resources, found: frozenset = frozenset()) -> dict[str, frozenset]:
    """Entity ids by scope group, and `found`, the populations the sentence names."""
    groups: dict[str, set] = defaultdict(set)
    if found:
        groups["population"] = set(found)
    for eid in entity_ids or ():
        group = res.scope_labels.get(labels.get(eid, ""))
        if group is None and eid in res.scope_providers:
            group = "provider"
        if group:
            groups[group].add(eid)
    return {g: frozenset(ids) for g, ids in groups.items()}


def _figure(q: dict, claim_text: str, res: Resources, cfg: LinkConfig, anchor: Period | None = None,
            share=lambda x: x) -> Figure | None:
    """The figure of quantity row `q`; `share` maps a value to an equal one already held."""
    read = figure_interval(q, res, cfg)
    if read is None:
        return None
    family, value, interval = read
    measure = (q.get("measure") or "").strip()
    context = context_window(claim_text, q.get("text") or "")
    return Figure(quantity_id=q.get("quantity_id", ""), text=share(q.get("text") or ""), family=share(family),
                  value=value, interval=interval, measure=share(measure),
                  measure_words=share(measure_words(measure, context, res)),
                  period=parse_period(q.get("period"), anchor),
                  exact=(q.get("approx") or "exact") == "exact" and not q.get("value_high"))


def _figure_blocks(family: str, value: float, measure: str, res: Resources, cfg: LinkConfig) -> tuple[str, ...]:
    """The blocks of one figure: its measure head (`count:vacancy`) and its value and unit
    (`value:gbp:3.42e+08`: the same figure quoted across documents whose measures are worded
    apart, `£342 million` as the cost of `stabilising the contracts` and of `all this`); counts
    below config.exact_repeat_min_value give no value block (`two parts`, `two tiers`)."""
    head = _measure_block(family, measure, res)
    keys = (head,) if head else ()
    if family != "count" or value >= cfg.exact_repeat_min_value:
        keys += (f"value:{family}:{value:.6g}",)
    return keys


def _measure_block(family: str, measure: str, res: Resources) -> str | None:
    """'family:measure head' (`count:vacancy`), or None without a named measure."""
    if not measure:
        return None
    head = words(fold_aliases(measure, res))
    return f"{family}:{head[-1].rstrip('s')}" if head else None


def _idf(word_sets: list[tuple]) -> tuple[dict[str, float], array]:
    df = Counter(w for ws in word_sets for w in ws)
    n = len(word_sets)
    idf = {w: math.log((n + 1) / (c + 1)) + 1.0 for w, c in df.items()}
    norms = array("d", (math.sqrt(sum(idf[w] ** 2 for w in ws)) for ws in word_sets))
    return idf, norms


class _Builder:
    """Collects the table column by column, sharing what repeats (words, document ids, dates,
    periods, scopes) so a million claims cost little more than their ids and texts."""

    def __init__(self, doc_dates: dict, qty: dict, labels: dict, res: Resources, config: LinkConfig,
                 keep_texts: bool = True):
        self.doc_dates, self.qty, self.labels, self.res, self.config = doc_dates, qty, labels, res, config
        self.keep_texts = keep_texts
        self.shared: dict = {}
        self.periods: dict = {}
        self.doc_index: dict[str, int] = {}
        self.cols = defaultdict(list)
        # boilerplate (and a benchmark's copies) repeats texts: their word-level work is done once
        self.text_columns = lru_cache(maxsize=TEXT_CACHE)(self._text_columns)

    def _text_columns(self, text: str) -> tuple:
        """(content words, negation count, negated words, populations, sample cue) of a text."""
        res, share = self.res, self._share
        tokens = words(text)
        return (tuple(sorted(share(w) for w in content_words(text, res))), negation_count(text, res, tokens),
                share(negated_words(text, res, tokens)), populations(text, res), has_sample_cue(text, res, tokens))

    def _share(self, value):
        return self.shared.setdefault(value, value)

    def add(self, claim_id, doc_id, text, date, quantity_ids, entity_ids, frame: dict | None = None) -> None:
        res, cols, share = self.res, self.cols, self._share
        text = text or ""
        date = date or self.doc_dates.get(doc_id)
        if date not in self.periods:
            self.periods[date] = date_period(date)
        anchor = self.periods[date]
        figs = tuple(f for f in (_figure(_quantity(self.qty[q]), text, res, self.config, anchor, share)
                                 for q in quantity_ids or () if q in self.qty) if f is not None)
        cols["ids"].append(str(claim_id))
        cols["docs"].append(share(str(doc_id)))
        if self.keep_texts:
            cols["texts"].append(text)
        cols["dates"].append(share(date) if date is not None else None)
        cols["codes"].append(self.doc_index.setdefault(doc_id, len(self.doc_index)))
        content, negations, negated, found, sampled = self.text_columns(text)
        cols["words"].append(content)
        cols["negations"].append(negations)
        cols["negated"].append(negated)
        scope = _scope(entity_ids, self.labels, res, found)
        cols["scope"].append(self.shared.setdefault(("scope",) + tuple(sorted(scope.items())), scope))
        cols["sampled"].append(sampled)
        cols["figures"].append(figs)
        cols["date_periods"].append(anchor)
        frame_keys, month = frame_block_keys(frame, entity_ids or (), res.generic_entities)
        keys = tuple(k for f in figs for k in _figure_blocks(f.family, f.value, f.measure, res, self.config)) + frame_keys
        cols["block_keys"].append(share(tuple(share(k) for k in keys)))
        cols["block_order"].append(month)
        cols["entities"].append(share(frozenset(entity_ids or ())))
        if frame is None:
            found = claim_frame(text, [_quantity(self.qty[q]) for q in quantity_ids or () if q in self.qty],
                                [(e, self.labels.get(e)) for e in entity_ids or ()], date, res=res, config=self.config)
        else:
            found = Frame.from_json(frame)
        cols["frames"].append(self.shared.setdefault(("frame", found), found))

    def _background(self) -> frozenset:
        """Quantity ids of figures whose (measure, value) appears in at least
        config.background_min_share of the documents (and at least three): the corpus's background
        (`21 CRCs`), shared by claims that otherwise say different things."""
        docs_of: dict[tuple, set] = defaultdict(set)
        qids: dict[tuple, list] = defaultdict(list)
        for doc, frame in zip(self.cols["docs"], self.cols["frames"]):
            for v in frame.values():
                key = (v.measure, round(v.value.lo, 3), round(v.value.hi, 3))
                docs_of[key].add(doc)
                qids[key].append(v.quantity_id)
        need = max(3, self.config.background_min_share * len(self.doc_index))
        return frozenset(q for key, docs in docs_of.items() if len(docs) >= need for q in qids[key] if q)

    def finish(self, texts: Sequence[str] | None = None) -> ClaimTable:
        cols = self.cols
        idf, norms = _idf(cols["words"])
        return ClaimTable(idf=idf, word_norms=norms, ids=cols["ids"], docs=cols["docs"],
                          texts=cols["texts"] if texts is None else texts, dates=cols["dates"],
                          doc_codes=np.asarray(cols["codes"], dtype=np.int32), words=cols["words"],
                          negations=cols["negations"], negated=cols["negated"], scope=cols["scope"],
                          sampled=cols["sampled"], figures=cols["figures"], date_periods=cols["date_periods"],
                          block_keys=cols["block_keys"], frames=cols["frames"],
                          block_order=np.asarray(cols["block_order"], dtype=np.int32), entities=cols["entities"],
                          background=self._background())


def claim_table(claims, quantities, entities, documents, *, config: LinkConfig = LinkConfig(),
                resources: Resources | None = None) -> ClaimTable:
    res = resources or load_resources()
    claims, quantities = as_rows(claims), as_rows(quantities)
    entities, documents = as_rows(entities), as_rows(documents)
    doc_dates = {d["doc_id"]: d.get("date") for d in documents}
    qty = {q["quantity_id"]: q for q in quantities if q.get("quantity_id")}
    builder = _Builder(doc_dates, qty, _entity_labels(entities), res, config)
    for claim in claims:
        builder.add(claim["claim_id"], claim["doc_id"], claim.get("text"), claim.get("date"),
                    claim.get("quantity_ids"), claim.get("entity_ids"), claim.get("frame"))
    return builder.finish()


_QUANTITY_FIELDS = ("quantity_id", "text", "value", "value_high", "unit", "approx", "measure", "period")


def _quantity(q) -> dict:
    """A quantity row (a dict, or the tuple of _QUANTITY_FIELDS table_from_files keeps)."""
    return dict(zip(_QUANTITY_FIELDS, q)) if isinstance(q, tuple) else q


class FileTexts(Sequence):
    """The texts of the claims in a claims.jsonl, read from the file when asked for (by the
    byte offset of each row), so a table of a million claims holds no sentences: the encoder
    and MinHash read them a chunk at a time."""

    def __init__(self, path: Path, offsets: np.ndarray):
        self.path, self.offsets = path, offsets

    def __len__(self) -> int:
        return len(self.offsets)

    def __getitem__(self, key):
        if isinstance(key, slice):
            lo, hi, step = key.indices(len(self))
            return self._read(lo, hi) if step == 1 else [self[i] for i in range(lo, hi, step)]
        key = key + len(self) if key < 0 else key
        if not 0 <= key < len(self):
            raise IndexError(key)
        return self._read(key, key + 1)[0]

    def __iter__(self):
        for lo in range(0, len(self), 10_000):
            yield from self._read(lo, min(lo + 10_000, len(self)))

    def _read(self, lo: int, hi: int) -> list[str]:
        out: list[str] = []
        if lo >= hi:
            return out
        wanted = self.offsets[lo:hi].tolist()  # rising, with gaps where a subset skips rows
        with open(self.path, "rb") as handle:
            pos = wanted[0]
            handle.seek(pos)
            while len(out) < hi - lo:
                line = handle.readline()
                if not line:
                    raise ValueError(f"{self.path} is shorter than when its claims were indexed")
                if pos == wanted[len(out)]:
                    out.append(json.loads(line).get("text") or "")
                pos += len(line)
        return out

    def subset(self, rows: np.ndarray) -> FileTexts:
        """The texts of claims `rows` (rising claim indices)."""
        return FileTexts(self.path, self.offsets[rows])


def _claim_rows(path: Path, offsets: list[int]) -> Iterator[dict]:
    """The rows of claims.jsonl, noting where each starts in the file."""
    from ..errors import Errors, InputError

    if not path.exists():
        return
    pos = 0
    with open(path, "rb") as handle:
        for line_no, line in enumerate(handle, 1):
            start, pos = pos, pos + len(line)
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(Errors.E011.format(path=path, line=line_no, reason=exc.msg), path=str(path)) from exc
            offsets.append(start)
            yield row


@dataclass(frozen=True)
class ClaimIndex:
    """What finding candidates needs of a run's claims: ids, documents, measure blocks and the
    texts (left in claims.jsonl), in the order of the file, as table_from_files reads them."""

    ids: list[str]
    doc_codes: np.ndarray
    block_keys: list[tuple[str, ...]]
    texts: Sequence[str]  # FileTexts, or a table's texts
    block_order: np.ndarray
    words: WordSets  # each claim's content words, for the rare-word test of further neighbours
    crowd_keys: np.ndarray | None = None  # int64 crowds.crowd_key of each claim (None: not read)

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, rows: np.ndarray) -> ClaimIndex:
        """The index of claims `rows` (rising claim indices), e.g. those a crowd leaves to link."""
        texts = self.texts.subset(rows) if isinstance(self.texts, FileTexts) else [self.texts[i] for i in rows]
        return ClaimIndex([self.ids[i] for i in rows], self.doc_codes[rows], [self.block_keys[i] for i in rows],
                          texts, self.block_order[rows], self.words.subset(rows),
                          None if self.crowd_keys is None else self.crowd_keys[rows])


def table_index(table: ClaimTable) -> ClaimIndex:
    """The ClaimIndex of a claim table (what the in-memory path finds candidates with)."""
    return ClaimIndex(table.ids, table.doc_codes, table.block_keys, table.texts, table.block_order,
                      word_sets(table.words))


def _quantity_blocks(q: dict, res: Resources, config: LinkConfig) -> tuple[str, ...]:
    """_figure_blocks of the figure a quantity row becomes, without building the figure."""
    read = figure_interval(q, res, config)
    return () if read is None else _figure_blocks(read[0], read[1], (q.get("measure") or "").strip(), res, config)


def claim_index_from_files(folder: Path, *, config: LinkConfig = LinkConfig(),
                           resources: Resources | None = None) -> ClaimIndex:
    """A light first pass over a run's claims: a run finds its candidates (and drops the ANN
    index and the vectors) holding only this, and builds the full table afterwards, so the big
    things of the link step never meet."""
    from ..engine.outputs import iter_rows

    res = resources or load_resources()
    shared: dict = {}
    block_of = {q["quantity_id"]: tuple(shared.setdefault(k, k) for k in keys) for q in iter_rows(folder, "quantities")
                if q.get("quantity_id") and (keys := _quantity_blocks(q, res, config))}
    ids: list[str] = []
    block_keys: list[tuple[str, ...]] = []
    doc_index: dict[str, int] = {}
    codes = array("i")
    offsets: list[int] = []
    months = array("i")
    words = WordSetsBuilder()
    crowd_keys = array("q")
    read_words = lru_cache(maxsize=TEXT_CACHE)(lambda text: content_words(text, res))
    for claim in _claim_rows(Path(folder) / "claims.jsonl", offsets):
        text = claim.get("text") or ""
        words.add(read_words(text))
        crowd_keys.append(crowd_key(text, claim.get("entity_ids") or ()) if config.crowd_min_docs > 0 else 0)
        ids.append(str(claim["claim_id"]))
        codes.append(doc_index.setdefault(claim["doc_id"], len(doc_index)))
        frame_keys, month = frame_block_keys(claim.get("frame"), claim.get("entity_ids") or (), res.generic_entities)
        keys = tuple(k for q in claim.get("quantity_ids") or () if q in block_of for k in block_of[q]) + \
            tuple(shared.setdefault(k, k) for k in frame_keys)
        block_keys.append(shared.setdefault(keys, keys))
        months.append(month)
    return ClaimIndex(ids, np.frombuffer(codes, dtype=np.int32).copy(), block_keys,
                      FileTexts(Path(folder) / "claims.jsonl", np.asarray(offsets, dtype=np.int64)),
                      np.frombuffer(months, dtype=np.int32).copy(), words.finish(),
                      np.frombuffer(crowd_keys, dtype=np.int64).copy())


def table_from_files(folder: Path, *, config: LinkConfig = LinkConfig(),
                     resources: Resources | None = None) -> ClaimTable:
    """claim_table over a run's JSONL files, read a line at a time keeping only the fields
    linking uses (never every row of every table at once); its texts stay in the file."""
    from ..engine.outputs import iter_rows

    res = resources or load_resources()
    doc_dates = {d["doc_id"]: d.get("date") for d in iter_rows(folder, "documents")}
    qty = {q["quantity_id"]: tuple(q.get(f) for f in _QUANTITY_FIELDS)
           for q in iter_rows(folder, "quantities") if q.get("quantity_id")}
    labels = _entity_labels({"entity_id": e.get("entity_id"), "label": e.get("label")}
                            for e in iter_rows(folder, "entities"))
    builder = _Builder(doc_dates, qty, labels, res, config, keep_texts=False)
    offsets: list[int] = []
    for claim in _claim_rows(Path(folder) / "claims.jsonl", offsets):
        builder.add(claim["claim_id"], claim["doc_id"], claim.get("text"), claim.get("date"),
                    claim.get("quantity_ids"), claim.get("entity_ids"), claim.get("frame"))
    del qty
    return builder.finish(FileTexts(Path(folder) / "claims.jsonl", np.asarray(offsets, dtype=np.int64)))
