"""The web app's JSON API as plain functions: (context, query or body) -> payload. The HTTP layer
(server.py) does transport, origin, token and password checks; everything here is testable without
a socket. Bad requests raise AnnotationError, which the server answers with its 4xx status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import actions
from .agreement import agreement_report, disagreements
from .errors import AnnotateErrors, AnnotationError
from .labels import AGREEMENT_LAYERS, LABEL_SETS, SPAN_LAYERS, whole
from .queue import QueueFilter, build_queue
from .store import Store


@dataclass(frozen=True)
class AppContext:
    store: Store
    annotator: str
    token: str


def _int(query: dict, name: str, *, default: int | None = None) -> int:
    value = query.get(name)
    if value is None or value == "":
        if default is None:
            raise AnnotationError(AnnotateErrors.A004.format(field=name, reason="required"))
        return default
    try:
        number = int(value) if isinstance(value, str) and len(value) <= 12 else None
    except ValueError:
        number = None
    return whole(name, number)


def _str(query: dict, name: str) -> str:
    value = query.get(name)
    if not value:
        raise AnnotationError(AnnotateErrors.A004.format(field=name, reason="required"))
    return value


def _filters(query: dict) -> QueueFilter:
    return QueueFilter(doc=query.get("doc") or None, layer=query.get("layer") or None,
                       label=query.get("label") or None, include_done=query.get("include_done") in ("1", "true"))


def get_session(ctx: AppContext, query: dict) -> dict:
    with ctx.store.connect() as conn:
        docs = [dict(r) for r in conn.execute("SELECT doc_id, title, kind, date FROM documents ORDER BY doc_id")]
    return {"annotator": ctx.annotator, "token": ctx.token, "labels": LABEL_SETS, "documents": docs,
            "layers": ["stance", "claim", "segment", "entity", "quantity", "link"]}


def get_queue(ctx: AppContext, query: dict) -> dict:
    items = build_queue(ctx.store, ctx.annotator, _filters(query))
    limit = _int(query, "limit", default=50)
    return {"total": len(items), "remaining": sum(i["status"] != "done" for i in items), "items": items[:limit]}


def get_next(ctx: AppContext, query: dict) -> dict:
    """The first queue item other than the current one (`doc_id`/`sent_id` in the query)."""
    items = build_queue(ctx.store, ctx.annotator, _filters(query))
    current = (query.get("doc_id"), query.get("sent_id"))
    rest = [i for i in items if (i["doc_id"], str(i["sent_id"])) != current]
    return {"item": rest[0] if rest else None, "remaining": sum(i["status"] != "done" for i in rest)}


def get_sentence(ctx: AppContext, query: dict) -> dict:
    return actions.sentence_view(ctx.store, ctx.annotator, _str(query, "doc_id"), _int(query, "sent_id"))


def get_history(ctx: AppContext, query: dict) -> dict:
    """The sentences this annotator last worked on, most recent first (for 'back' after a reload)."""
    seen, out = set(), []
    for event in ctx.store.events(annotator=ctx.annotator, limit=500):
        key = (event["doc_id"], event["sent_id"])
        if key not in seen and event["layer"] != "link":
            seen.add(key)
            out.append({"doc_id": key[0], "sent_id": key[1]})
    return {"items": out[:_int(query, "limit", default=20)]}


def get_disagreements(ctx: AppContext, query: dict) -> dict:
    layer = query.get("layer") or None
    allowed = AGREEMENT_LAYERS + SPAN_LAYERS
    if layer is not None and layer not in allowed:
        raise AnnotationError(AnnotateErrors.A005.format(layer=layer, allowed=", ".join(allowed)))
    return {"items": disagreements(ctx.store, layer=layer), "reviewer": ctx.annotator}


def get_agreement(ctx: AppContext, query: dict) -> dict:
    return agreement_report(ctx.store, max_disagreements=0)


def post_label(ctx: AppContext, body: dict) -> dict:
    return {"event": actions.set_label(ctx.store, ctx.annotator, body)}


def post_span(ctx: AppContext, body: dict) -> dict:
    return {"event": actions.edit_span(ctx.store, ctx.annotator, body)}


def post_accept(ctx: AppContext, body: dict) -> dict:
    return {"events": actions.accept(ctx.store, ctx.annotator, body)}


def post_skip(ctx: AppContext, body: dict) -> dict:
    return {"event": actions.skip(ctx.store, ctx.annotator, body)}


def post_undo(ctx: AppContext, body: dict) -> dict:
    return {"event": ctx.store.undo(ctx.annotator)}


def post_adjudicate(ctx: AppContext, body: dict) -> dict:
    """Settle a disagreement: an event by the reviewer with the adjudication flag."""
    return {"event": actions.set_label(ctx.store, ctx.annotator, body, adjudication=True)}


GET_ROUTES: dict[str, Callable[[AppContext, dict], dict]] = {
    "/api/session": get_session, "/api/queue": get_queue, "/api/next": get_next, "/api/sentence": get_sentence,
    "/api/history": get_history, "/api/disagreements": get_disagreements, "/api/agreement": get_agreement,
}
POST_ROUTES: dict[str, Callable[[AppContext, dict], dict]] = {
    "/api/label": post_label, "/api/span": post_span, "/api/accept": post_accept, "/api/skip": post_skip,
    "/api/undo": post_undo, "/api/adjudicate": post_adjudicate,
}
