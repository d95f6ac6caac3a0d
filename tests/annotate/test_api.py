"""The web app's HTTP API: every endpoint, bad requests, origin/token/password checks, escaping and
concurrent writers."""

from __future__ import annotations

import base64
import json
import threading

import pytest

from annotate_helpers import Client

A3 = {"doc_id": "doc-a", "sent_id": 3}


def sentence(client: Client, doc_id="doc-a", sent_id=3) -> dict:
    status, view = client.get(f"/api/sentence?doc_id={doc_id}&sent_id={sent_id}")
    assert status == 200, view
    return view


# -- pages and reading endpoints ---------------------------------------------------------------
def test_index_page_has_token_and_strict_headers(client, server):
    status, headers, body = client.request("GET", "/")
    assert status == 200
    html = body.decode()
    assert server.ctx.token in html and "__TOKEN__" not in html
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "window.__pwned" not in html  # document text never goes into the HTML


@pytest.mark.parametrize("path", ["/static/app.js", "/static/app.css"])
def test_static_files(client, path):
    status, headers, body = client.request("GET", path)
    assert status == 200 and body
    assert headers["Content-Type"].startswith("text/")


def test_app_js_never_uses_inner_html(client):
    _status, _headers, body = client.request("GET", "/static/app.js")
    assert b"innerHTML" not in body.replace(b"never innerHTML", b"") and b"insertAdjacentHTML" not in body


def test_session(client):
    status, payload = client.get("/api/session")
    assert status == 200
    assert payload["annotator"] == "alice"
    assert payload["labels"]["stance"] == ["support", "oppose", "qualified", "none"]
    assert {d["doc_id"] for d in payload["documents"]} == {"doc-a", "doc-b"}


def test_queue_least_confident_first(client):
    status, payload = client.get("/api/queue")
    assert status == 200
    assert [(i["doc_id"], i["sent_id"]) for i in payload["items"][:3]] == [("doc-a", 3), ("doc-b", 1), ("doc-a", 1)]
    assert payload["total"] == 9


def test_queue_filters(client):
    _s, by_doc = client.get("/api/queue?doc=doc-b")
    assert {i["doc_id"] for i in by_doc["items"]} == {"doc-b"}
    _s, entities = client.get("/api/queue?layer=entity&label=CRC")
    assert {(i["doc_id"], i["sent_id"]) for i in entities["items"]} == {("doc-a", 2), ("doc-b", 1)}
    _s, links = client.get("/api/queue?layer=link")
    assert {(i["doc_id"], i["sent_id"]) for i in links["items"]} == {("doc-a", 3), ("doc-b", 3)}
    _s, qualified = client.get("/api/queue?label=qualified")
    assert [(i["doc_id"], i["sent_id"]) for i in qualified["items"]] == [("doc-b", 2)]


def test_next_skips_current(client):
    status, payload = client.get("/api/next?doc_id=doc-a&sent_id=3")
    assert status == 200 and (payload["item"]["doc_id"], payload["item"]["sent_id"]) == ("doc-b", 1)


def test_sentence_view(client):
    view = sentence(client)
    assert view["document"]["title"] == "Probation reunified <b>now</b>"
    assert [s["sent_id"] for s in view["before"]] == [1, 2] and [s["sent_id"] for s in view["after"]] == [4]
    assert view["suggestions"]["stance"]["value"] == "none"
    assert view["suggestions"]["quantity"]["value"][0]["text"] == "More than 650"
    assert view["links"][0]["other"]["text"] == "There were 483 vacancies in June 2020."
    assert view["labels"] == {} and view["status"] is None


def test_script_in_document_is_data(client):
    view = sentence(client, "doc-a", 4)
    assert view["sentence"]["text"].startswith("<script>window.__pwned = 1</script>")


# -- writing endpoints ---------------------------------------------------------------------------
def test_label_stance_and_history(client, store):
    status, payload = client.post("/api/label", {**A3, "layer": "stance", "value": "support"})
    assert status == 200 and payload["event"]["after"] == "support" and payload["event"]["before"] is None
    status, payload = client.post("/api/label", {**A3, "layer": "stance", "value": "qualified"})
    assert payload["event"]["before"] == "support"
    assert sentence(client)["labels"]["stance"] == "qualified"
    assert [e["after"] for e in store.events(annotator="alice")] == ["qualified", "support"]  # both kept
    _s, history = client.get("/api/history")
    assert history["items"][0] == {"doc_id": "doc-a", "sent_id": 3}


def test_label_claim_and_segment(client):
    assert client.post("/api/label", {**A3, "layer": "claim", "value": {"claim": False}})[0] == 200
    assert client.post("/api/label", {**A3, "layer": "segment", "value": {"segment": "quote", "speaker": "Napo"}})[0] == 200
    labels = sentence(client)["labels"]
    assert labels["claim"] == {"claim": False, "claim_type": None}
    assert labels["segment"] == {"segment": "quote", "speaker": "Napo"}


def test_span_add_update_remove(client):
    start = sentence(client)["sentence"]["start"]
    span = {"start": start + 14, "end": start + 41, "label": "PROGRAMME"}  # "probation officer vacancies"
    status, payload = client.post("/api/span", {**A3, "layer": "entity", "op": "add", "span": span})
    assert status == 200 and payload["event"]["after"][0]["text"] == "probation officer vacancies"
    client.post("/api/span", {**A3, "layer": "entity", "op": "update", "span": {**span, "label": "ORG"}})
    assert sentence(client)["labels"]["entity"][0]["label"] == "ORG"
    client.post("/api/span", {**A3, "layer": "entity", "op": "remove", "span": span})
    assert sentence(client)["labels"]["entity"] == []


def test_span_whitespace_is_trimmed(client):
    start = sentence(client)["sentence"]["start"]
    _s, payload = client.post("/api/span", {**A3, "layer": "entity", "op": "add",
                                            "span": {"start": start + 13, "end": start + 32, "label": "ORG"}})
    assert payload["event"]["after"][0]["text"] == "probation officer"


def test_quantity_edit(client):
    q = sentence(client)["suggestions"]["quantity"]["value"][0]
    status, payload = client.post("/api/span", {**A3, "layer": "quantity", "op": "update",
                                                "span": {**q, "value": "651", "approx": "about", "period": "2019"}})
    assert status == 200
    saved = sentence(client)["labels"]["quantity"][0]
    assert (saved["value"], saved["approx"], saved["period"], saved["unit"]) == (651.0, "about", "2019", "count")


def test_link_confirm_change_reject(client):
    item = "doc-a:3|doc-b:3"
    for relation in ("update", "contradict", "none"):
        status, _p = client.post("/api/label", {**A3, "layer": "link", "item": item, "value": {"relation": relation}})
        assert status == 200
    assert sentence(client)["links"][0]["label"] == {"relation": "none"}
    # the same link seen from its other sentence
    assert sentence(client, "doc-b", 3)["links"][0]["label"] == {"relation": "none"}


def test_accept_fills_suggestions_and_leaves_queue(client):
    client.post("/api/label", {**A3, "layer": "stance", "value": "support"})
    status, payload = client.post("/api/accept", A3)
    assert status == 200
    layers = [e["layer"] for e in payload["events"]]
    assert layers == ["claim", "segment", "entity", "quantity", "link", "review"]  # stance was already set
    view = sentence(client)
    assert view["status"] == "done" and view["labels"]["stance"] == "support"
    assert view["links"][0]["label"] == {"relation": "update"}
    _s, queue = client.get("/api/queue")
    assert ("doc-a", 3) not in {(i["doc_id"], i["sent_id"]) for i in queue["items"]}


def test_skip_moves_to_end(client):
    assert client.post("/api/skip", A3)[0] == 200
    _s, queue = client.get("/api/queue")
    assert (queue["items"][-1]["doc_id"], queue["items"][-1]["sent_id"]) == ("doc-a", 3)
    assert queue["items"][-1]["status"] == "skipped"


def test_undo(client):
    client.post("/api/label", {**A3, "layer": "stance", "value": "support"})
    client.post("/api/label", {**A3, "layer": "stance", "value": "oppose"})
    status, payload = client.post("/api/undo", {})
    assert status == 200 and payload["event"]["after"] == "support" and payload["event"]["undo_of"]
    client.post("/api/undo", {})
    assert "stance" not in sentence(client)["labels"]  # back to the model's suggestion
    status, payload = client.post("/api/undo", {})
    assert status == 409 and "nothing to undo" in payload["error"]


def test_adjudicate_and_disagreements(server, store, client):
    from nlp.annotate import actions

    actions.set_label(store, "bob", {**A3, "layer": "stance", "value": "none"})
    client.post("/api/label", {**A3, "layer": "stance", "value": "support"})
    _s, payload = client.get("/api/disagreements")
    assert [(d["layer"], d["item"], d["adjudicated"]) for d in payload["items"]] == [("stance", "doc-a:3", None)]
    status, payload = client.post("/api/adjudicate", {**A3, "layer": "stance", "value": "support"})
    assert status == 200 and payload["event"]["adjudication"] is True and payload["event"]["annotator"] == "alice"
    _s, payload = client.get("/api/disagreements?layer=stance")
    assert payload["items"][0]["adjudicated"] == "support"
    assert sentence(client)["labels"]["stance"] == "support"  # the reviewer's own label is separate
    _s, report = client.get("/api/agreement")
    assert report["layers"]["stance"]["pairs"][0]["n"] == 1 and report["n_settled"] == 1


def test_adjudicate_entities(client, store):
    from nlp.annotate import actions

    start = sentence(client, "doc-a", 2)["sentence"]["start"]
    actions.accept(store, "bob", {"doc_id": "doc-a", "sent_id": 2})
    client.post("/api/span", {"doc_id": "doc-a", "sent_id": 2, "layer": "entity", "op": "remove",
                              "span": {"start": start + 14, "end": start + 17}})
    _s, payload = client.get("/api/disagreements?layer=entity")
    chosen = payload["items"][0]["values"]["bob"]
    status, _p = client.post("/api/adjudicate", {"doc_id": "doc-a", "sent_id": 2, "layer": "entity", "value": chosen})
    assert status == 200
    _s, payload = client.get("/api/disagreements?layer=entity")
    assert payload["items"][0]["adjudicated"] == chosen


# -- bad requests ---------------------------------------------------------------------------------
BAD = [
    ("GET", "/api/sentence?doc_id=doc-a&sent_id=99", None, 404, "unknown sentence"),
    ("GET", "/api/sentence?doc_id=nope&sent_id=0", None, 404, "unknown sentence"),
    ("GET", "/api/sentence?doc_id=doc-a&sent_id=x", None, 400, "integer"),
    ("GET", "/api/sentence", None, 400, "doc_id"),
    ("GET", "/api/queue?layer=colour", None, 400, "unknown layer"),
    ("GET", "/api/disagreements?layer=colour", None, 400, "unknown layer"),
    ("GET", "/api/nowhere", None, 404, "no such page"),
    ("POST", "/api/nowhere", {}, 404, "no such endpoint"),
    ("POST", "/api/queue", {}, 405, "no such endpoint"),
    ("POST", "/api/label", {**A3, "layer": "stance", "value": "maybe"}, 400, "invalid stance"),
    ("POST", "/api/label", {"doc_id": "doc-a", "sent_id": 99, "layer": "stance", "value": "none"}, 404,
     "unknown sentence"),
    ("POST", "/api/label", {**A3, "layer": "colour", "value": "red"}, 400, "unknown layer"),
    ("POST", "/api/label", {**A3, "layer": "entity", "value": []}, 400, "unknown layer"),
    ("POST", "/api/label", {"doc_id": "doc-a", "sent_id": "3", "layer": "stance", "value": "none"}, 400, "sent_id"),
    ("POST", "/api/label", {**A3, "layer": "claim", "value": {"claim": "yes"}}, 400, "claim"),
    ("POST", "/api/label", {**A3, "layer": "claim", "value": {"claim": True, "claim_type": "opinion"}}, 400,
     "claim_type"),
    ("POST", "/api/label", {**A3, "layer": "segment", "value": {"segment": "footer"}}, 400, "segment"),
    ("POST", "/api/label", {**A3, "layer": "link", "item": "x|y", "value": {"relation": "repeat"}}, 404,
     "unknown link"),
    ("POST", "/api/label", {"doc_id": "doc-a", "sent_id": 1, "layer": "link", "item": "doc-a:3|doc-b:3",
                            "value": {"relation": "repeat"}}, 404, "unknown link"),
    ("POST", "/api/label", {**A3, "layer": "link", "item": "doc-a:3|doc-b:3", "value": {"relation": "same"}}, 400,
     "relation"),
    ("POST", "/api/span", {**A3, "layer": "entity", "op": "add", "span": {"start": 0, "end": 5, "label": "ORG"}},
     400, "not inside sentence"),
    ("POST", "/api/span", {**A3, "layer": "entity", "op": "add", "span": {"start": 160, "end": 165,
                                                                          "label": "THING"}}, 400, "invalid label"),
    ("POST", "/api/span", {**A3, "layer": "entity", "op": "add", "span": {"start": "a", "end": 165,
                                                                          "label": "ORG"}}, 400, "start/end"),
    ("POST", "/api/span", {**A3, "layer": "entity", "op": "remove", "span": {"start": [1], "end": 2}}, 400,
     "start/end"),
    ("POST", "/api/span", {**A3, "layer": "entity", "op": "remove", "span": {"start": 160, "end": 165}}, 404,
     "no span"),
    ("POST", "/api/span", {**A3, "layer": "entity", "op": "update", "span": {"start": 160, "end": 165,
                                                                             "label": "ORG"}}, 404, "no span"),
    ("POST", "/api/span", {**A3, "layer": "entity", "op": "split", "span": {}}, 400, "invalid op"),
    ("POST", "/api/span", {**A3, "layer": "stance", "op": "add", "span": {}}, 400, "unknown layer"),
    ("POST", "/api/span", {**A3, "layer": "quantity", "op": "update",
                           "span": {"start": 154, "end": 167, "value": "lots"}}, 400, "value"),
    ("POST", "/api/span", {**A3, "layer": "quantity", "op": "update",
                           "span": {"start": 154, "end": 167, "unit": "miles"}}, 400, "invalid unit"),
    ("POST", "/api/accept", {"doc_id": "doc-z", "sent_id": 0}, 404, "unknown sentence"),
    ("POST", "/api/skip", {"doc_id": "doc-a"}, 400, "sent_id"),
    ("POST", "/api/adjudicate", {**A3, "layer": "stance", "value": "perhaps"}, 400, "invalid stance"),
    # found by a hostile run: each gave a 500 (OverflowError in SQLite) before validation
    ("POST", "/api/label", {"doc_id": "doc-a", "sent_id": 10**22, "layer": "stance", "value": "none"}, 400, "sent_id"),
    ("POST", "/api/skip", {"doc_id": "doc-a", "sent_id": -1}, 400, "sent_id"),
    ("GET", "/api/sentence?doc_id=doc-a&sent_id=12345678901234567890123", None, 400, "sent_id"),
    ("GET", "/api/queue?limit=99999999999999999999", None, 400, "limit"),
    ("POST", "/api/span", {**A3, "layer": "entity", "op": "add", "span": {"start": 2**70, "end": 2**71,
                                                                          "label": "ORG"}}, 400, "start/end"),
]


@pytest.mark.parametrize("method,path,body,status,message", BAD, ids=[f"{m} {p} {s}" for m, p, _b, s, _x in BAD])
def test_bad_requests(client, method, path, body, status, message):
    got, payload = client.get(path) if method == "GET" else client.post(path, body)
    assert got == status, payload
    assert message in payload["error"], payload


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b"\xff\xfe", b'"text"'])
def test_malformed_json(client, raw):
    status, payload = client.post("/api/label", raw=raw)
    assert status == 400 and "malformed JSON" in payload["error"]


def test_wrong_content_type(client):
    status, payload = client.post("/api/label", raw=b"layer=stance", headers={"Content-Type": "text/plain"})
    assert status == 415 and "JSON" in payload["error"]


def test_accept_without_stance_suggestion(tmp_path):
    from annotate_helpers import write_run_folder
    from nlp.annotate import actions
    from nlp.annotate.errors import AnnotationError
    from nlp.annotate.loader import load_run
    from nlp.annotate.store import Store

    store = Store(tmp_path / "db.sqlite", durable=False)
    load_run(store, write_run_folder(tmp_path / "run", stance=False, links=False))
    with pytest.raises(AnnotationError, match="choose a label first"):
        actions.accept(store, "alice", A3)
    actions.set_label(store, "alice", {**A3, "layer": "stance", "value": "none"})
    assert actions.accept(store, "alice", A3)[-1]["after"] == "done"


# -- origin, token, password, host ------------------------------------------------------------------
ORIGIN_CASES = [
    ({"Origin": "http://evil.example"}, 403),
    ({"Origin": "null"}, 403),
    ({"Referer": "http://evil.example/page"}, 403),
    ({"Sec-Fetch-Site": "cross-site"}, 403),
]


@pytest.mark.parametrize("headers,status", ORIGIN_CASES)
def test_cross_origin_posts_refused(client, store, headers, status):
    got, payload = client.post("/api/label", {**A3, "layer": "stance", "value": "oppose"}, headers=headers)
    assert got == status and "cross-origin" in payload["error"]
    assert store.events() == []


def test_same_origin_post_accepted(client, server):
    origin = server.url.rstrip("/")
    status, _p = client.post("/api/label", {**A3, "layer": "stance", "value": "oppose"},
                             headers={"Origin": origin, "Referer": origin + "/#/s/doc-a/3",
                                      "Sec-Fetch-Site": "same-origin"})
    assert status == 200


@pytest.mark.parametrize("token", [None, "", "wrong"])
def test_token_required(server, store, token):
    client = Client(server.url, token)
    status, payload = client.post("/api/label", {**A3, "layer": "stance", "value": "oppose"})
    assert status == 403 and "token" in payload["error"]
    assert store.events() == []


def test_foreign_host_header_refused(client):
    status, payload = client.get("/api/session", headers={"Host": "attacker.example:8765"})
    assert status == 400 and "Host" in payload["error"]


def test_password(store):
    from nlp.annotate.server import make_server, serve_in_thread

    srv = make_server(store, "alice", port=0, password="s3cret")
    serve_in_thread(srv)
    try:
        assert Client(srv.url).get("/api/session")[0] == 401
        bad = {"Authorization": "Basic " + base64.b64encode(b"alice:nope").decode()}
        assert Client(srv.url, headers=bad).get("/api/session")[0] == 401
        good = {"Authorization": "Basic " + base64.b64encode(b"anyone:s3cret").decode()}
        status, _p = Client(srv.url, srv.ctx.token, headers=good).post("/api/label",
                                                                        {**A3, "layer": "stance", "value": "none"})
        assert status == 200
    finally:
        srv.shutdown()
        srv.server_close()


# -- concurrency -------------------------------------------------------------------------------------
def test_two_annotators_save_the_same_sentence_at_once(store):
    from nlp.annotate.server import make_server, serve_in_thread

    servers = [make_server(store, name, port=0) for name in ("alice", "bob")]
    for srv in servers:
        serve_in_thread(srv)
    try:
        clients = [Client(s.url, s.ctx.token) for s in servers]
        barrier = threading.Barrier(2)
        results = []

        def save(client, value):
            barrier.wait()
            for n in range(10):
                results.append(client.post("/api/label", {**A3, "layer": "stance", "value": value})[0])
                results.append(client.post("/api/span", {**A3, "layer": "entity", "op": "add",
                                                         "span": {"start": 154 + 14, "end": 154 + 23,
                                                                  "label": "ORG"}})[0])

        threads = [threading.Thread(target=save, args=(c, v)) for c, v in zip(clients, ("support", "oppose"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == [200] * 40
        assert store.sentence_labels("alice", "doc-a", 3)["stance"] == "support"
        assert store.sentence_labels("bob", "doc-a", 3)["stance"] == "oppose"
        assert len(store.events()) == 40
    finally:
        for srv in servers:
            srv.shutdown()
            srv.server_close()


def test_two_tabs_never_lose_a_span(client, server, store):
    """Two tabs of one annotator add different spans at the same moment: both stay."""
    tab2 = Client(server.url, server.ctx.token)
    view = sentence(client, "doc-b", 1)["sentence"]
    at = [view["start"] + view["text"].index(word) for word in ("this year", "lowest rating")]
    words = [(at[0], at[0] + 9, "PROGRAMME"), (at[1], at[1] + 13, "ORG")]
    barrier = threading.Barrier(2)

    def add(tab, span):
        barrier.wait()
        tab.post("/api/span", {"doc_id": "doc-b", "sent_id": 1, "layer": "entity", "op": "add",
                               "span": {"start": span[0], "end": span[1], "label": span[2]}})

    threads = [threading.Thread(target=add, args=(tab, span)) for tab, span in zip((client, tab2), words)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    spans = {(s["start"], s["end"]) for s in store.sentence_labels("alice", "doc-b", 1)["entity"]}
    assert {(w[0], w[1]) for w in words} <= spans
    assert len(store.events()) == 2
    # and the last stance write is current, both kept
    client.post("/api/label", {"doc_id": "doc-b", "sent_id": 1, "layer": "stance", "value": "oppose"})
    tab2.post("/api/label", {"doc_id": "doc-b", "sent_id": 1, "layer": "stance", "value": "qualified"})
    assert store.sentence_labels("alice", "doc-b", 1)["stance"] == "qualified"
    assert [e["after"] for e in store.events()[:2]] == ["qualified", "oppose"]


def test_event_rows_are_append_only(client, store):
    for value in ("support", "oppose", "none"):
        client.post("/api/label", {**A3, "layer": "stance", "value": value})
    client.post("/api/undo", {})
    with store.connect() as conn:
        rows = [dict(r) for r in conn.execute("SELECT id, before, after, undo_of FROM events ORDER BY id")]
    assert [(json.loads(r["before"]) if r["before"] else None, json.loads(r["after"])) for r in rows] == [
        (None, "support"), ("support", "oppose"), ("oppose", "none"), ("none", "oppose")]
    assert rows[-1]["undo_of"] == rows[-2]["id"]


def test_keep_alive_connection_survives_a_refused_post(server):
    """A POST refused before its body is read closes the connection rather than leaving the body
    to be read as the next request."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    body = json.dumps({**A3, "layer": "stance", "value": "oppose"})
    conn.request("POST", "/api/label", body=body, headers={"Content-Type": "application/json",
                                                           "Origin": "http://evil.example"})
    response = conn.getresponse()
    assert response.status == 403 and response.getheader("Connection") == "close"
    response.read()
    conn.close()
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
    conn.request("GET", "/api/session")
    assert conn.getresponse().status == 200
    conn.close()


def test_head_and_favicon(client):
    assert client.request("HEAD", "/api/session")[0] == 200
    assert client.request("GET", "/favicon.ico")[0] == 204


@pytest.mark.parametrize("depth", [17, 100_000])
def test_deeply_nested_body_is_refused_with_an_answer(client, depth):
    raw = ("[" * depth + "]" * depth).encode()  # 100k levels made the parser raise RecursionError: no answer
    status, payload = client.post("/api/label", raw=raw)
    assert status == 400 and "nested" in payload["error"]
