"""What an annotator can do to a sentence, as functions over the store (the web API calls these).

Each action is one transaction: it reads the annotator's current labels and appends events, so two
annotators (or one annotator's two tabs) writing at the same moment are serialised, and a span added
in one tab is never dropped by a span added in the other.
"""

from __future__ import annotations

from .errors import AnnotateErrors, AnnotationError
from .labels import SENTENCE_LAYERS, SPAN_LAYERS, check_layer, link_value, sentence_value, span_value, whole
from .store import Store, sentence_item

_SPAN_OPS = ("add", "update", "remove")


def _effective(store: Store, conn, annotator: str, layer: str, sentence: dict, *, adjudication: bool = False):
    item = sentence_item(sentence["doc_id"], sentence["sent_id"])
    event = store.current(conn, annotator, layer, item, adjudication=adjudication)
    if event is not None and event["after"] is not None:
        return event["after"]
    suggestion = store.suggestions(sentence["doc_id"], sentence["sent_id"], conn=conn).get(layer)
    return suggestion["value"] if suggestion else ([] if layer in SPAN_LAYERS else None)


def _sentence_key(body: dict) -> tuple[str, int]:
    doc_id, sent_id = body.get("doc_id"), body.get("sent_id")
    if not isinstance(doc_id, str) or not doc_id:
        raise AnnotationError(AnnotateErrors.A004.format(field="doc_id", reason="a non-empty string"))
    return doc_id, whole("sent_id", sent_id)


def set_label(store: Store, annotator: str, body: dict, *, adjudication: bool = False) -> dict:
    """Set a sentence-level label (stance, claim, segment, review) or a link verdict."""
    layer = check_layer(body.get("layer"))
    doc_id, sent_id = _sentence_key(body)
    with store.transaction() as conn:
        store.sentence(doc_id, sent_id, conn=conn)
        if layer == "link":
            item = body.get("item")
            link = store.link(item if isinstance(item, str) else "", conn=conn)
            if (doc_id, sent_id) not in {(link["a_doc"], link["a_sent"]), (link["b_doc"], link["b_sent"])}:
                raise AnnotationError(AnnotateErrors.A008.format(item=item), status=404)
            return store.record(conn, annotator=annotator, layer="link", doc_id=link["a_doc"],
                                sent_id=link["a_sent"], item=item, after=link_value(body.get("value")),
                                adjudication=adjudication)
        if layer in SPAN_LAYERS and adjudication:
            value = _span_list(layer, body.get("value"), store.sentence(doc_id, sent_id, conn=conn))
        elif layer in SPAN_LAYERS:
            raise AnnotationError(AnnotateErrors.A005.format(layer=layer, allowed=", ".join(SENTENCE_LAYERS)))
        else:
            value = sentence_value(layer, body.get("value"))
        return store.record(conn, annotator=annotator, layer=layer, doc_id=doc_id, sent_id=sent_id,
                            item=sentence_item(doc_id, sent_id), after=value, adjudication=adjudication)


def _span_list(layer: str, spans, sentence: dict) -> list[dict]:
    if not isinstance(spans, list):
        raise AnnotationError(AnnotateErrors.A004.format(field="value", reason="a list of spans"))
    out = {}
    for span in spans:
        checked = span_value(layer, span, sentence)
        out[(checked["start"], checked["end"])] = checked
    return [out[k] for k in sorted(out)]


def edit_span(store: Store, annotator: str, body: dict) -> dict:
    """Add, update (same offsets) or remove one entity or quantity span of a sentence."""
    layer = body.get("layer")
    if layer not in SPAN_LAYERS:
        raise AnnotationError(AnnotateErrors.A005.format(layer=layer, allowed=", ".join(SPAN_LAYERS)))
    op = body.get("op")
    if op not in _SPAN_OPS:
        raise AnnotationError(AnnotateErrors.A002.format(field="op", value=op, allowed=", ".join(_SPAN_OPS)))
    doc_id, sent_id = _sentence_key(body)
    with store.transaction() as conn:
        sentence = store.sentence(doc_id, sent_id, conn=conn)
        span = body.get("span")
        spans = {(s["start"], s["end"]): s for s in _effective(store, conn, annotator, layer, sentence)}
        if op == "remove":
            key = (span.get("start"), span.get("end")) if isinstance(span, dict) else (None, None)
            key = (whole("start/end", key[0]), whole("start/end", key[1]))
            if key not in spans:
                raise AnnotationError(AnnotateErrors.A007.format(start=key and key[0], end=key and key[1],
                                                                 layer=layer, doc_id=doc_id, sent_id=sent_id),
                                      status=404)
            del spans[key]
        else:
            checked = span_value(layer, span, sentence)
            key = (checked["start"], checked["end"])
            if op == "update" and key not in spans:
                raise AnnotationError(AnnotateErrors.A007.format(start=key[0], end=key[1], layer=layer,
                                                                 doc_id=doc_id, sent_id=sent_id), status=404)
            if op == "add" and layer == "entity":
                spans = {k: s for k, s in spans.items() if k[1] <= key[0] or k[0] >= key[1]}  # no overlaps
            spans[key] = checked
        return store.record(conn, annotator=annotator, layer=layer, doc_id=doc_id, sent_id=sent_id,
                            item=sentence_item(doc_id, sent_id), after=[spans[k] for k in sorted(spans)])


def accept(store: Store, annotator: str, body: dict) -> list[dict]:
    """Enter: every layer the annotator has not labelled takes the model's suggestion, links shown
    with the sentence are confirmed, and the sentence is marked done."""
    doc_id, sent_id = _sentence_key(body)
    item = sentence_item(doc_id, sent_id)
    events = []
    with store.transaction() as conn:
        sentence = store.sentence(doc_id, sent_id, conn=conn)
        for layer in SENTENCE_LAYERS + SPAN_LAYERS:
            current = store.current(conn, annotator, layer, item)
            if current is not None and current["after"] is not None:
                continue
            value = _effective(store, conn, annotator, layer, sentence)
            if value is None:
                raise AnnotationError(AnnotateErrors.A004.format(field=layer, reason="choose a label first "
                                                                 "(the model made no suggestion)"), status=409)
            events.append(store.record(conn, annotator=annotator, layer=layer, doc_id=doc_id, sent_id=sent_id,
                                       item=item, after=value))
        for link in store.links_for(doc_id, sent_id, conn=conn):
            current = store.current(conn, annotator, "link", link["item"])
            if current is None or current["after"] is None:
                events.append(store.record(conn, annotator=annotator, layer="link", doc_id=link["a_doc"],
                                           sent_id=link["a_sent"], item=link["item"],
                                           after={"relation": link["relation"] or "none"}))
        events.append(store.record(conn, annotator=annotator, layer="review", doc_id=doc_id, sent_id=sent_id,
                                   item=item, after="done"))
    return events


def skip(store: Store, annotator: str, body: dict) -> dict:
    doc_id, sent_id = _sentence_key(body)
    with store.transaction() as conn:
        store.sentence(doc_id, sent_id, conn=conn)
        current = store.current(conn, annotator, "review", sentence_item(doc_id, sent_id))
        if current is not None and current["after"] == "done":
            return current  # skipping a finished sentence keeps it finished
        return store.record(conn, annotator=annotator, layer="review", doc_id=doc_id, sent_id=sent_id,
                            item=sentence_item(doc_id, sent_id), after="skipped")


def sentence_view(store: Store, annotator: str, doc_id: str, sent_id: int) -> dict:
    """Everything the app shows for one sentence: context, suggestions, this annotator's labels."""
    sentence = store.sentence(doc_id, sent_id)
    before, after = store.neighbours(doc_id, sent_id)
    suggestions = store.suggestions(doc_id, sent_id)
    labels = store.sentence_labels(annotator, doc_id, sent_id)
    links = []
    for link in store.links_for(doc_id, sent_id):
        mine = (link["a_doc"], link["a_sent"]) == (doc_id, sent_id)
        other_doc, other_sent = (link["b_doc"], link["b_sent"]) if mine else (link["a_doc"], link["a_sent"])
        try:
            other = store.sentence(other_doc, other_sent)
        except AnnotationError:
            other = {"doc_id": other_doc, "sent_id": other_sent, "text": None}
        links.append({"item": link["item"], "relation": link["relation"], "score": link["score"],
                      "reason": link["reason"], "other": other, "other_document": store.document(other_doc),
                      "label": labels["link"].get(link["item"])})
    return {"sentence": sentence, "document": store.document(doc_id), "before": before, "after": after,
            "suggestions": suggestions, "labels": {k: v for k, v in labels.items() if k != "link"},
            "links": links, "status": labels.get("review")}
