"""The store <-> the project's gold records (annotations/GUIDELINES.md): one `layer: sentence` record
per finished sentence and one `layer: entity` / `layer: quantity` record per span. Records name
their span by offsets and a hash of its text, never a copy of it (the pages are other people's).

Which label becomes gold when several annotators labelled a sentence: an adjudication if there is
one, else the value most annotators gave, ties going to the most recent. A record's `annotator` and
`created` are those of the event it comes from (for a sentence record, of its stance), and an
adjudicated record says `"adjudicated": true`, so importing the records rebuilds the same choice.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable

from ..gold.sources import is_page, span_hash
from ..records import doc_id_problem
from .errors import AnnotateErrors, AnnotationError
from .labels import SENTENCE_LAYERS, SPAN_LAYERS, sentence_value, span_value
from .store import Store, now_iso, sentence_item

GUIDELINE = "1.0"
SENTENCE_FIELDS = ("segment", "speaker", "claim", "claim_type", "stance")
ENTITY_FIELDS = ("label", "entity_id")
QUANTITY_FIELDS = ("value", "value_high", "unit", "approx", "measure", "period")


def _choose(candidates: list[dict], ties: list | None = None) -> dict:
    """The winning event among annotators' current events on one item (no adjudication): the
    majority value, the most recent among tied values (each tie is noted in `ties`)."""
    votes = Counter(json.dumps(e["after"], sort_keys=True) for e in candidates)
    best = max(votes.values())
    tied = [e for e in candidates if votes[json.dumps(e["after"], sort_keys=True)] == best]
    if ties is not None and sum(n == best for n in votes.values()) > 1:
        ties.append((tied[0]["layer"], tied[0]["item"]))
    return max(tied, key=lambda e: e["id"])


def resolve(store: Store, *, annotator: str | None = None, ties: list | None = None,
            unfinished: bool = False, left_out: list | None = None) -> dict[tuple[str, int], dict[str, dict]]:
    """(doc_id, sent_id) -> layer -> winning event, for every sentence marked done or adjudicated
    (by `annotator` only, and from their labels only, when one is given); `unfinished` adds the
    labelled sentences nobody marked done, which are otherwise listed in `left_out`."""
    done: set[tuple[str, int]] = set()
    labelled: set[tuple[str, int]] = set()
    candidates: dict[tuple[str, str], list[dict]] = defaultdict(list)
    adjudicated: dict[tuple[str, str], dict] = {}
    for event in store.latest():
        if annotator is not None and (event["annotator"] != annotator or event["adjudication"]):
            continue
        sentence = (event["doc_id"], event["sent_id"])
        if event["layer"] == "review":
            if event["after"] == "done" and not event["adjudication"]:
                done.add(sentence)
        elif event["adjudication"]:
            done.add(sentence)  # an adjudication settles the sentence: it is finished
            key = (event["layer"], event["item"])
            if key not in adjudicated or event["id"] > adjudicated[key]["id"]:
                adjudicated[key] = event
        elif event["layer"] != "link":
            labelled.add(sentence)
            candidates[(event["layer"], event["item"])].append(event)
    if unfinished:
        done |= labelled
    elif left_out is not None:
        left_out.extend(sorted(labelled - done))
    out: dict[tuple[str, int], dict[str, dict]] = {}
    for doc_id, sent_id in sorted(done):
        item = sentence_item(doc_id, sent_id)
        layers = {}
        for layer in SENTENCE_LAYERS + SPAN_LAYERS:
            key = (layer, item)
            if key in adjudicated:
                layers[layer] = adjudicated[key]
            elif candidates.get(key):
                layers[layer] = _choose(candidates[key], ties)
        out[(doc_id, sent_id)] = layers
    return out


def gold_records(store: Store, *, annotator: str | None = None, ties: list | None = None,
                 text: bool = False, unfinished: bool = False, left_out: list | None = None) -> dict[str, list[dict]]:
    """doc_id -> gold records in document order, ready to be written one JSON object a line.
    Items where annotators tie and no adjudication settles it are appended to `ties`."""
    out: dict[str, list[dict]] = defaultdict(list)
    resolved = resolve(store, annotator=annotator, ties=ties, unfinished=unfinished, left_out=left_out)
    with store.connect() as conn:
        for (doc_id, sent_id), layers in resolved.items():
            sentence = store.sentence(doc_id, sent_id, conn=conn)
            suggestions = store.suggestions(doc_id, sent_id, conn=conn)
            _append_records(out[doc_id], sentence, layers, suggestions, text=text)
    return dict(out)


def _append_records(out: list[dict], sentence: dict, layers: dict[str, dict], suggestions: dict, *,
                    text: bool) -> None:
    doc_id, sent_id = sentence["doc_id"], sentence["sent_id"]
    out.append(_sentence_record(sentence, layers, suggestions, text=text))
    for layer, fields in (("entity", ENTITY_FIELDS), ("quantity", QUANTITY_FIELDS)):
        event = layers.get(layer)
        for span in (event["after"] if event else []):
            record = {"layer": layer, "doc_id": doc_id, "sent_id": sent_id, "start": span["start"],
                      "end": span["end"], **_span_text(doc_id, span["text"], text), **{f: span.get(f) for f in fields}}
            out.append(_provenance(record, event))


def _sentence_record(sentence: dict, layers: dict[str, dict], suggestions: dict, *, text: bool) -> dict:
    def value(layer):
        if layer in layers:
            return layers[layer]["after"]
        return suggestions[layer]["value"] if layer in suggestions else None

    segment, claim = value("segment") or {}, value("claim") or {}
    record = {"layer": "sentence", "doc_id": sentence["doc_id"], "sent_id": sentence["sent_id"],
              "start": sentence["start"], "end": sentence["end"],
              **_span_text(sentence["doc_id"], sentence["text"], text), "segment": segment.get("segment"), "speaker": segment.get("speaker"),
              "claim": claim.get("claim"), "claim_type": claim.get("claim_type"), "stance": value("stance")}
    source = next((layers[name] for name in ("stance", "claim", "segment") if name in layers), None)
    created = max((e["created"] for name, e in layers.items() if name in SENTENCE_LAYERS), default=None)
    return _provenance(record, source, created=created)


def _span_text(doc_id: str, text: str | None, always: bool) -> dict:
    """How a record names its span's text: a hash, and the text itself when asked (formats that need
    it) or for documents that are not pages the project reads from corpus/ or ../shared/ (so the
    file imports anywhere)."""
    if text is None:
        return {"hash": None}
    return {"hash": span_hash(text)} if is_page(doc_id) and not always else {"hash": span_hash(text), "text": text}


def _provenance(record: dict, event: dict | None, *, created: str | None = None) -> dict:
    record["annotator"] = event["annotator"] if event else None
    record["created"] = created or (event["created"] if event else None)
    record["guideline"] = GUIDELINE
    if event and event["adjudication"]:
        record["adjudicated"] = True
    return record


def import_records(store: Store, records: Iterable[dict], *, source: str = "import",
                   default_annotator: str | None = None) -> dict[str, int]:
    """Write gold records into the store as events (the inverse of gold_records). Sentences the db
    does not know are added from the records' offsets and text."""
    sentences: dict[tuple[str, int], dict] = {}
    spans: dict[tuple[str, int], dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for n, record in enumerate(records, 1):
        try:
            key = (record["doc_id"], int(record["sent_id"]))
            layer = record.get("layer", "sentence")  # a stance-only pass may leave it out
        except (KeyError, TypeError, ValueError) as exc:
            reason = f"bad record ({exc})"
            raise AnnotationError(AnnotateErrors.A012.format(path=source, where=n, reason=reason)) from exc
        problem = doc_id_problem(key[0])
        if problem:
            reason = f"doc_id {key[0]!r} cannot be used: {problem}"
            raise AnnotationError(AnnotateErrors.A012.format(path=source, where=n, reason=reason))
        if layer == "sentence":
            sentences[key] = record
        elif layer in SPAN_LAYERS:
            spans[key][layer].append(record)
        else:
            raise AnnotationError(AnnotateErrors.A012.format(path=source, where=n, reason=f"unknown layer {layer!r}"))
    counts = Counter()
    with store.transaction() as conn:
        for key in sorted(set(sentences) | set(spans)):
            sentence = ensure_sentence(conn, store, key, sentences.get(key), spans.get(key, {}))
            counts += _import_sentence(conn, store, sentence, sentences.get(key), spans.get(key, {}),
                                       source=source, default_annotator=default_annotator)
    return dict(counts)


def ensure_sentence(conn, store: Store, key: tuple[str, int], record: dict | None, spans: dict) -> dict:
    row = conn.execute("SELECT * FROM sentences WHERE doc_id = ? AND sent_id = ?", key).fetchone()
    if row is not None:
        row = dict(row)
        if record and record.get("start") is not None and row["start"] is not None and \
                (record["start"], record["end"]) != (row["start"], row["end"]):
            raise AnnotationError(AnnotateErrors.A011.format(doc_id=key[0]))
        return row
    if record is None:
        raise AnnotationError(AnnotateErrors.A001.format(doc_id=key[0], sent_id=key[1]), status=404)
    conn.execute('INSERT INTO sentences (doc_id, sent_id, start, "end", text) VALUES (?, ?, ?, ?, ?)',
                 (*key, record.get("start"), record.get("end"), record.get("text")))
    conn.execute("INSERT OR IGNORE INTO documents (doc_id) VALUES (?)", (key[0],))
    return {"doc_id": key[0], "sent_id": key[1], "start": record.get("start"), "end": record.get("end"),
            "text": record.get("text")}


def record_once(store: Store, conn, *, annotator: str, layer: str, item: str, after, adjudication: bool = False,
                 created: str | None = None, **fields) -> bool:
    """Record an imported event unless the annotator's current event on the item is the same one
    (same value and time): importing a file twice adds nothing the second time."""
    current = store.current(conn, annotator, layer, item, adjudication=adjudication)
    if current is not None and current["after"] == after and (created is None or current["created"] == created):
        return False
    store.record(conn, annotator=annotator, layer=layer, item=item, after=after, adjudication=adjudication,
                 created=created, **fields)
    return True


def _who(record: dict, default: str | None) -> tuple[str, bool, str]:
    annotator = record.get("annotator") or default
    if not annotator:
        raise AnnotationError(AnnotateErrors.A012.format(path="record", where=record.get("doc_id"),
                                                         reason="no annotator (give --annotator)"))
    return annotator, bool(record.get("adjudicated")), record.get("created") or now_iso()


def _import_sentence(conn, store: Store, sentence: dict, record: dict | None, spans: dict, *, source: str,
                     default_annotator: str | None) -> Counter:
    counts: Counter = Counter()
    key = dict(doc_id=sentence["doc_id"], sent_id=sentence["sent_id"],
               item=sentence_item(sentence["doc_id"], sentence["sent_id"]))
    finished: set[str] = set()
    if record is not None:
        annotator, adjudication, created = _who(record, default_annotator)
        values = {"segment": {"segment": record.get("segment"), "speaker": record.get("speaker")}
                  if record.get("segment") else None,
                  "claim": {"claim": record["claim"], "claim_type": record.get("claim_type")}
                  if isinstance(record.get("claim"), bool) else None,
                  "stance": record.get("stance")}
        for layer, value in values.items():
            if value is not None:
                counts[layer] += record_once(store, conn, annotator=annotator, layer=layer,
                                              after=sentence_value(layer, value), adjudication=adjudication,
                                              created=created, source=source, **key)
        full = "segment" in record  # a full gold record, not a stance-only pass
        for layer in SPAN_LAYERS:  # no span records in a layer: the sentence's annotator found none
            if full and layer not in spans:
                record_once(store, conn, annotator=annotator, layer=layer, after=[], adjudication=adjudication,
                             created=created, source=source, **key)
        if not adjudication:
            finished.add(annotator)
    for layer, rows in spans.items():
        groups: dict[tuple[str, bool], list[dict]] = defaultdict(list)
        for row in rows:
            annotator, adjudication, _ = _who(row, default_annotator)
            groups[(annotator, adjudication)].append(row)
        for (annotator, adjudication), group in groups.items():
            checked = sorted((span_value(layer, row, sentence) for row in group), key=lambda s: (s["start"], s["end"]))
            if record_once(store, conn, annotator=annotator, layer=layer, after=checked, adjudication=adjudication,
                            created=max(_who(r, default_annotator)[2] for r in group), source=source, **key):
                counts[layer] += len(checked)
            if not adjudication:
                finished.add(annotator)
    for annotator in sorted(finished):
        record_once(store, conn, annotator=annotator, layer="review", after="done", source=source, **key)
    counts["sentences"] += 1
    return counts
