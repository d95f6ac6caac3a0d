"""Helpers for the annotation tests: a small SPEC-shaped `claims run` folder written by hand (fast,
with every layer and a `<script>` in a document) and a tiny HTTP client."""

from __future__ import annotations

import json
from pathlib import Path

DOCS = {
    "doc-a": {
        "title": "Probation reunified <b>now</b>", "kind": "blog", "date": "2020-06-11", "url": "https://example.org/a",
        "sentences": [
            ("Probation reunified", "heading"),
            ("The National Probation Service will take over all offender management in June 2021.", "body"),
            ("Napo said the CRC model was irredeemably flawed.", "body"),
            ("More than 650 probation officer vacancies remained in the National Probation Service in September 2019.",
             "body"),
            ("<script>window.__pwned = 1</script> is not a sentence anyone should run.", "body"),
        ],
    },
    "doc-b": {
        "title": "Inspection findings", "kind": "report", "date": "2020-07-01", "url": None,
        "sentences": [
            ("Inspection findings", "heading"),
            ("Eight out of ten CRCs inspected this year received the lowest rating.", "body"),
            ("Reunification is not a magic bullet.", "body"),
            ("There were 483 vacancies in June 2020.", "body"),
        ],
    },
}
STANCE = {("doc-a", 1): ("none", 0.55), ("doc-a", 2): ("support", 0.91), ("doc-a", 3): ("none", 0.35),
          ("doc-a", 4): ("none", 0.97), ("doc-a", 0): ("none", 0.99), ("doc-b", 0): ("none", 0.98),
          ("doc-b", 1): ("support", 0.42), ("doc-b", 2): ("qualified", 0.61), ("doc-b", 3): ("none", 0.88)}
ENTITIES = [("doc-a", 1, "National Probation Service", "ORG", "national_probation_service"),
            ("doc-a", 2, "Napo", "ORG", "napo"), ("doc-a", 2, "CRC", "CRC", "crc"),
            ("doc-b", 1, "CRCs", "CRC", "crc")]
QUANTITIES = [("doc-a", 3, "More than 650", 650.0, "count", "more_than", "probation officer vacancies",
               "September 2019"),
              ("doc-b", 1, "Eight out of ten", 0.8, "fraction", "exact", "CRCs inspected", "this year"),
              ("doc-b", 3, "483", 483.0, "count", "exact", "vacancies", "June 2020")]


def _jsonl(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def write_run_folder(out: Path, *, stance: bool = True, links: bool = True) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    documents, sentences, entities, quantities, claims = [], [], [], [], []
    offsets = {}
    for doc_id, doc in DOCS.items():
        text, pos = "", 0
        for sent_id, (sentence, segment) in enumerate(doc["sentences"]):
            text += ("\n\n" if sent_id == 1 else " " if sent_id else "") + sentence
            start = text.rindex(sentence)
            offsets[(doc_id, sent_id)] = (start, sentence)
            sentences.append({"doc_id": doc_id, "sent_id": sent_id, "start": start, "end": start + len(sentence),
                              "text": sentence, "segment": segment, "speaker": "Napo" if "Napo said" in sentence
                              else None})
        documents.append({"doc_id": doc_id, "schema": 1, "title": doc["title"], "kind": doc["kind"],
                          "date": doc["date"], "url": doc["url"], "sha256": "0" * 64, "text": text})
    for n, (doc_id, sent_id, mention, label, entity_id) in enumerate(ENTITIES):
        start, sentence = offsets[(doc_id, sent_id)]
        s = start + sentence.index(mention)
        entities.append({"doc_id": doc_id, "sent_id": sent_id, "start": s, "end": s + len(mention), "text": mention,
                         "label": label, "entity_id": entity_id})
    for n, (doc_id, sent_id, mention, value, unit, approx, measure, period) in enumerate(QUANTITIES):
        start, sentence = offsets[(doc_id, sent_id)]
        s = start + sentence.index(mention)
        quantities.append({"doc_id": doc_id, "sent_id": sent_id, "start": s, "end": s + len(mention),
                           "text": mention, "value": value, "value_high": None, "unit": unit, "approx": approx,
                           "measure": measure, "period": period, "quantity_id": f"{doc_id}:q{n}"})
    for (doc_id, sent_id), kind in {("doc-a", 1): "factual", ("doc-a", 2): "evaluative", ("doc-a", 3): "numeric",
                                    ("doc-b", 1): "numeric", ("doc-b", 2): "evaluative",
                                    ("doc-b", 3): "numeric"}.items():
        claims.append({"claim_id": f"{doc_id}:{sent_id}", "doc_id": doc_id, "sent_id": sent_id,
                       "text": offsets[(doc_id, sent_id)][1], "type": kind, "quantity_ids": [], "entity_ids": [],
                       "score": 0.9})
    _jsonl(out / "documents.jsonl", documents)
    _jsonl(out / "sentences.jsonl", sentences)
    _jsonl(out / "entities.jsonl", entities)
    _jsonl(out / "quantities.jsonl", quantities)
    _jsonl(out / "claims.jsonl", claims)
    if stance:
        rows = []
        for (doc_id, sent_id), (label, confidence) in sorted(STANCE.items()):
            scores = {lab: (confidence if lab == label else (1 - confidence) / 3)
                      for lab in ("support", "oppose", "qualified", "none")}
            rows.append({"doc_id": doc_id, "sent_id": sent_id, "label": label, "confidence": confidence,
                         "scores": scores})
        _jsonl(out / "stance.jsonl", rows)
    if links:
        _jsonl(out / "links.jsonl", [{"a": "doc-a:3", "b": "doc-b:3", "relation": "update", "score": 0.8,
                                      "reason": "same measure 'PO vacancies'; 650 (2019-09) vs 483 (2020-06)"}])
    return out


class Client:
    """A tiny HTTP client for the app (urllib, no network beyond 127.0.0.1)."""

    def __init__(self, url: str, token: str | None = None, headers: dict | None = None) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.headers = headers or {}

    def request(self, method: str, path: str, body=None, *, raw: bytes | None = None, headers: dict | None = None):
        import urllib.error
        import urllib.request

        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        all_headers = {**self.headers, **(headers or {})}
        if method == "POST":
            all_headers.setdefault("Content-Type", "application/json")
            if self.token is not None:
                all_headers.setdefault("X-Claims-Token", self.token)
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read()

    def get(self, path: str, **kw):
        status, headers, body = self.request("GET", path, **kw)
        return status, _decode(headers, body)

    def post(self, path: str, body=None, **kw):
        status, headers, payload = self.request("POST", path, body, **kw)
        return status, _decode(headers, payload)


def _decode(headers: dict, body: bytes):
    if headers.get("Content-Type", "").startswith("application/json"):
        return json.loads(body)
    return body.decode("utf-8")
