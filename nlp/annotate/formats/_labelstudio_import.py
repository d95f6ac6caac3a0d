"""One Label Studio task into the store: document, sentence, model predictions, then every
annotation as events carrying their original annotator and times."""

from __future__ import annotations

import json

from ..gold import ensure_sentence, record_once
from ..labels import SPAN_LAYERS
from ..store import Store, now_iso, sentence_item


def _store_predictions(conn, key: tuple[str, int], prediction: dict, layers: dict) -> None:
    meta = prediction.get("meta") or {}
    confidence = meta.get("confidence") or {}
    for layer, value in layers.items():
        if layer == "link":
            continue
        conn.execute("INSERT OR REPLACE INTO suggestions VALUES (?, ?, ?, ?, ?)",
                     (layer, *key, json.dumps(value, ensure_ascii=False, sort_keys=True), confidence.get(layer)))
    for layer in SPAN_LAYERS:  # a layer the model predicted nothing in is an empty list
        if layer in confidence and layer not in layers:
            conn.execute("INSERT OR REPLACE INTO suggestions VALUES (?, ?, ?, ?, ?)",
                         (layer, *key, "[]", confidence.get(layer)))
    for link in meta.get("links", []):
        a_doc, _, a_sent = link["a"].rpartition(":")
        b_doc, _, b_sent = link["b"].rpartition(":")
        conn.execute("INSERT OR IGNORE INTO links VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     (link["item"], link["a"], link["b"], a_doc, int(a_sent), b_doc, int(b_sent), link["relation"],
                      link["score"], link["reason"]))


def import_task(conn, store: Store, task: dict, *, default_annotator: str | None, parse, source: str) -> int:
    data = task["data"]
    key = (data["doc_id"], int(data["sent_id"]))
    conn.execute("INSERT OR IGNORE INTO documents (doc_id, title, kind, date, url) VALUES (?, ?, ?, ?, ?)",
                 (key[0], data.get("title"), data.get("kind"), data.get("date"), data.get("url")))
    sentence = ensure_sentence(conn, store, key, {"start": data.get("start"), "end": data.get("end"),
                                                   "text": data.get("text")}, {})
    offset = sentence["start"] or 0
    for prediction in task.get("predictions") or []:
        layers = parse(prediction.get("result", []), offset, sentence)
        _store_predictions(conn, key, prediction, layers)
    item = sentence_item(*key)
    for annotation in task.get("annotations") or []:
        who = annotation.get("completed_by")
        annotator = who if isinstance(who, str) and who else (default_annotator or f"labelstudio-{who}")
        adjudication = bool(annotation.get("ground_truth"))
        layers = parse(annotation.get("result", []), offset, sentence)
        meta = annotation.get("meta") or {}
        created = meta.get("created") or {}
        fallback = annotation.get("created_at") or now_iso()
        names = set(created) or {f"link:{i}" for i in layers["link"]} | (set(layers) - {"link"})
        for name in sorted(names):
            if name == "review":
                continue
            if name.startswith("link:"):
                link_item = name[len("link:"):]
                link = store.link(link_item, conn=conn)
                record_once(store, conn, annotator=annotator, layer="link", doc_id=link["a_doc"], sent_id=link["a_sent"],
                             item=link_item, after=layers["link"].get(link_item), adjudication=adjudication,
                             created=created.get(name, fallback), source=source)
                continue
            value = layers.get(name, [] if name in SPAN_LAYERS else None)
            record_once(store, conn, annotator=annotator, layer=name, doc_id=key[0], sent_id=key[1], item=item,
                         after=value, adjudication=adjudication, created=created.get(name, fallback), source=source)
        if meta.get("status"):
            record_once(store, conn, annotator=annotator, layer="review", doc_id=key[0], sent_id=key[1], item=item,
                         after=meta["status"], adjudication=adjudication, created=created.get("review", fallback),
                         source=source)
    return len(task.get("annotations") or [])
