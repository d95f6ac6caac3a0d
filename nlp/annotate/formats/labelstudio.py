"""Label Studio's JSON task list: one task per labelled sentence (`data.text` is the sentence), one
annotation per annotator (`completed_by`; an adjudication is `ground_truth: true`), the model's
suggestions as `predictions`. Results use Label Studio's `choices`, `labels` and `textarea` types
with offsets relative to the sentence; what Label Studio has no field for (entity ids, quantity
values, when each label was given) rides in each result's `meta`."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from ..errors import AnnotateErrors, AnnotationError
from ..labels import SPAN_LAYERS, link_value, sentence_value, span_value
from ..store import Store
from .jsonl import write_atomic

_QUANTITY_META = ("value", "value_high", "approx", "measure", "period")


def _results(layers: dict[str, object], offset: int) -> list[dict]:
    """Label Studio results for one annotator's labels on one sentence (layer -> value; 'link' ->
    {item: value})."""
    out = []
    if "stance" in layers:
        out.append(_choice("stance", layers["stance"]))
    if "claim" in layers:
        claim = layers["claim"]
        out.append(_choice("claim", (claim["claim_type"] or "claim") if claim["claim"] else "no-claim"))
    if "segment" in layers:
        out.append(_choice("segment", layers["segment"]["segment"]))
        if layers["segment"]["speaker"] is not None:
            out.append({"id": "speaker", "from_name": "speaker", "to_name": "text", "type": "textarea",
                        "value": {"text": [layers["segment"]["speaker"]]}})
    for span in layers.get("entity", []):
        out.append(_region("entity", span, offset, span["label"], {"entity_id": span["entity_id"]}))
    for span in layers.get("quantity", []):
        out.append(_region("quantity", span, offset, span["unit"], {k: span[k] for k in _QUANTITY_META}))
    for item, value in sorted(layers.get("link", {}).items()):
        out.append({**_choice("link", value["relation"]), "id": f"link:{item}", "meta": {"item": item}})
    return out


def _choice(name: str, value: str) -> dict:
    return {"id": name, "from_name": name, "to_name": "text", "type": "choices", "value": {"choices": [value]}}


def _region(name: str, span: dict, offset: int, label: str, meta: dict) -> dict:
    return {"id": f"{name}:{span['start']}-{span['end']}", "from_name": name, "to_name": "text", "type": "labels",
            "value": {"start": span["start"] - offset, "end": span["end"] - offset, "text": span["text"],
                      "labels": [label]}, "meta": meta}


def _collect(store: Store, annotator: str | None) -> dict[tuple[str, int], dict[tuple[str, bool], dict]]:
    """(doc_id, sent_id) -> (annotator, adjudication) -> {'layers': {...}, 'created': {layer: time}}."""
    out: dict = defaultdict(lambda: defaultdict(lambda: {"layers": {"link": {}}, "created": {}}))
    for event in store.latest():
        if annotator is not None and event["annotator"] != annotator:
            continue
        entry = out[(event["doc_id"], event["sent_id"])][(event["annotator"], event["adjudication"])]
        if event["layer"] == "link":
            entry["layers"]["link"][event["item"]] = event["after"]
            entry["created"][f"link:{event['item']}"] = event["created"]
        else:
            entry["layers"][event["layer"]] = event["after"]
            entry["created"][event["layer"]] = event["created"]
    return out


def _predictions(store: Store, sentence: dict, conn) -> list[dict]:
    suggestions = store.suggestions(sentence["doc_id"], sentence["sent_id"], conn=conn)
    if not suggestions:
        return []
    layers = {layer: row["value"] for layer, row in suggestions.items()}
    links = [link for link in store.links_for(sentence["doc_id"], sentence["sent_id"], conn=conn)
             if (link["a_doc"], link["a_sent"]) == (sentence["doc_id"], sentence["sent_id"])]
    layers["link"] = {link["item"]: {"relation": link["relation"]} for link in links}
    meta = {"confidence": {layer: row["confidence"] for layer, row in sorted(suggestions.items())},
            "links": [{k: link[k] for k in ("item", "a", "b", "relation", "score", "reason")} for link in links]}
    stance = suggestions.get("stance", {}).get("confidence")
    return [{"model_version": "claims", "score": stance, "result": _results(layers, sentence["start"] or 0),
             "meta": meta}]


def export(store: Store, out: Path, *, annotator: str | None = None, unfinished: bool = True) -> dict[str, int]:
    """Every labelled sentence, finished or not (Label Studio keeps its own review state)."""
    collected = _collect(store, annotator)
    if not collected:
        raise AnnotationError(AnnotateErrors.A014)
    with store.connect() as conn:
        tasks = [_task(store, conn, task_id, key, collected[key]) for task_id, key in enumerate(sorted(collected), 1)]
    write_atomic(out, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")
    return {"tasks": len(tasks), "annotations": sum(len(t["annotations"]) for t in tasks)}


def _task(store: Store, conn, task_id: int, key: tuple[str, int], entries: dict) -> dict:
    sentence, document = store.sentence(*key, conn=conn), store.document(key[0], conn=conn)
    offset = sentence["start"] or 0
    annotations = []
    for (name, adjudication), entry in sorted(entries.items()):
        layers = {k: v for k, v in entry["layers"].items() if k != "review"}
        annotations.append({"completed_by": name, "ground_truth": adjudication,
                            "created_at": max(entry["created"].values()), "result": _results(layers, offset),
                            "meta": {"status": entry["layers"].get("review"),
                                     "created": dict(sorted(entry["created"].items()))}})
    data = {"text": sentence["text"], "doc_id": key[0], "sent_id": key[1], "start": sentence["start"],
            "end": sentence["end"], **{k: document[k] for k in ("title", "kind", "date", "url")}}
    return {"id": task_id, "data": data, "annotations": annotations,
            "predictions": _predictions(store, sentence, conn)}


def _layers_from_results(results: list[dict], offset: int, sentence: dict) -> dict:
    layers: dict = {"link": {}}
    speaker = next((r["value"]["text"][0] for r in results if r.get("from_name") == "speaker"), None)
    for result in results:
        name, value = result.get("from_name"), result.get("value", {})
        if name == "stance":
            layers["stance"] = sentence_value("stance", value["choices"][0])
        elif name == "claim":
            choice = value["choices"][0]
            layers["claim"] = sentence_value("claim", {"claim": choice != "no-claim",
                                                       "claim_type": None if choice in ("claim", "no-claim")
                                                       else choice})
        elif name == "segment":
            layers["segment"] = sentence_value("segment", {"segment": value["choices"][0], "speaker": speaker})
        elif name in SPAN_LAYERS:
            meta = result.get("meta") or {}
            span = {"start": value["start"] + offset, "end": value["end"] + offset, "text": value.get("text"),
                    **meta, ("label" if name == "entity" else "unit"): value["labels"][0]}
            layers.setdefault(name, []).append(span_value(name, span, sentence))
        elif name == "link":
            layers["link"][result["meta"]["item"]] = link_value(value["choices"][0])
    return layers


def load(store: Store, path: Path, *, annotator: str | None = None) -> dict[str, int]:
    try:
        tasks = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(tasks, list):
            raise ValueError("expected a list of tasks")
    except ValueError as exc:
        raise AnnotationError(AnnotateErrors.A012.format(path=path, where="-", reason=exc)) from exc
    from ._labelstudio_import import import_task

    counts = {"tasks": 0, "annotations": 0}
    with store.transaction() as conn:
        for n, task in enumerate(tasks, 1):
            try:
                counts["annotations"] += import_task(conn, store, task, default_annotator=annotator,
                                                     parse=_layers_from_results, source=f"labelstudio:{path.name}")
            except (KeyError, IndexError, TypeError) as exc:
                raise AnnotationError(AnnotateErrors.A012.format(path=path, where=f"task {n}",
                                                                 reason=f"bad task ({exc!r})")) from exc
            counts["tasks"] += 1
    return counts
