"""The annotation store: SQLite in WAL mode, every change an event row, nothing updated in place.

Tables: `documents`, `sentences`, `suggestions` (the model's output per layer and sentence), `links`
(the model's cross-document links) and `events` (one row per change: who, when, layer, item, before,
after). An annotator's current label for an item is the value of their latest event on it; an
adjudication is an event with `adjudication = 1` and keeps its own history beside the reviewer's labels.
Every write is one transaction committed before the web app answers, so killing the server loses
nothing that was acknowledged.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from .errors import AnnotateErrors, AnnotationError

SCHEMA_VERSION = "1"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, title TEXT, kind TEXT, date TEXT, url TEXT, text TEXT);
CREATE TABLE IF NOT EXISTS sentences (
    doc_id TEXT NOT NULL, sent_id INTEGER NOT NULL, start INTEGER, "end" INTEGER, text TEXT,
    PRIMARY KEY (doc_id, sent_id));
CREATE TABLE IF NOT EXISTS suggestions (
    layer TEXT NOT NULL, doc_id TEXT NOT NULL, sent_id INTEGER NOT NULL, value TEXT, confidence REAL,
    PRIMARY KEY (layer, doc_id, sent_id));
CREATE TABLE IF NOT EXISTS links (
    item TEXT PRIMARY KEY, a TEXT NOT NULL, b TEXT NOT NULL, a_doc TEXT, a_sent INTEGER, b_doc TEXT,
    b_sent INTEGER, relation TEXT, score REAL, reason TEXT);
CREATE INDEX IF NOT EXISTS links_a ON links (a_doc, a_sent);
CREATE INDEX IF NOT EXISTS links_b ON links (b_doc, b_sent);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, created TEXT NOT NULL, annotator TEXT NOT NULL,
    layer TEXT NOT NULL, doc_id TEXT NOT NULL, sent_id INTEGER NOT NULL, item TEXT NOT NULL,
    before TEXT, after TEXT, adjudication INTEGER NOT NULL DEFAULT 0, undo_of INTEGER, source TEXT);
CREATE INDEX IF NOT EXISTS events_item ON events (annotator, adjudication, layer, item);
CREATE INDEX IF NOT EXISTS events_sentence ON events (doc_id, sent_id);
"""
_LATEST = """SELECT e.* FROM events e JOIN (SELECT MAX(id) AS id FROM events {where}
             GROUP BY annotator, adjudication, layer, item) m ON e.id = m.id ORDER BY e.id"""


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


def sentence_item(doc_id: str, sent_id: int) -> str:
    return f"{doc_id}:{sent_id}"


def _dump(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _load(text: str | None):
    return None if text is None else json.loads(text)


def event_dict(row: sqlite3.Row) -> dict:
    out = dict(row)
    out["before"], out["after"] = _load(out["before"]), _load(out["after"])
    out["adjudication"] = bool(out["adjudication"])
    return out


class Store:
    """One SQLite file. Opens a short-lived connection per operation, so it is safe to share across
    the web server's threads and across processes (WAL lets readers and one writer work at once)."""

    def __init__(self, path: str | Path, *, durable: bool = True) -> None:
        # durable: fsync every commit (synchronous=FULL), so even a power cut loses no saved label;
        # False (NORMAL) still survives a killed process, at a fraction of the cost (tests, bulk imports).
        self.path = Path(path)
        self._sync = "FULL" if durable else "NORMAL"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self.connect() as conn:
                conn.execute("PRAGMA journal_mode=WAL")
                conn.executescript(_SCHEMA)
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        except sqlite3.DatabaseError as exc:
            raise AnnotationError(AnnotateErrors.A010.format(path=self.path, reason=exc)) from exc
        # Held open, never queried: while it lives, closing a working connection is not closing the
        # last one, so SQLite does not checkpoint and fsync the WAL after every short operation.
        self._anchor: sqlite3.Connection | None = sqlite3.connect(self.path, check_same_thread=False)
        self._anchor.execute("SELECT count(*) FROM meta").close()  # attaches it to the WAL, no read left open

    def close(self) -> None:
        if self._anchor is not None:
            self._anchor.close()
            self._anchor = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA synchronous={self._sync}")
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT: read-modify-write steps see no other writer in between."""
        with self.connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # -- documents and sentences -------------------------------------------------------------
    def sentence(self, doc_id: str, sent_id: int, conn: sqlite3.Connection | None = None) -> dict:
        with self._maybe(conn) as c:
            row = c.execute("SELECT * FROM sentences WHERE doc_id = ? AND sent_id = ?", (doc_id, sent_id)).fetchone()
        if row is None:
            raise AnnotationError(AnnotateErrors.A001.format(doc_id=doc_id, sent_id=sent_id), status=404)
        return dict(row)

    def document(self, doc_id: str, conn: sqlite3.Connection | None = None) -> dict:
        with self._maybe(conn) as c:
            row = c.execute("SELECT doc_id, title, kind, date, url FROM documents WHERE doc_id = ?",
                               (doc_id,)).fetchone()
        return dict(row) if row else {"doc_id": doc_id, "title": None, "kind": None, "date": None, "url": None}

    def sentences(self, doc_id: str | None = None) -> list[dict]:
        with self.connect() as conn:
            if doc_id is None:
                rows = conn.execute("SELECT * FROM sentences ORDER BY doc_id, sent_id").fetchall()
            else:
                rows = conn.execute("SELECT * FROM sentences WHERE doc_id = ? ORDER BY sent_id", (doc_id,)).fetchall()
        return [dict(r) for r in rows]

    def neighbours(self, doc_id: str, sent_id: int, *, width: int = 2) -> tuple[list[dict], list[dict]]:
        with self.connect() as conn:
            before = conn.execute("SELECT * FROM sentences WHERE doc_id = ? AND sent_id < ? ORDER BY sent_id DESC "
                                  "LIMIT ?", (doc_id, sent_id, width)).fetchall()
            after = conn.execute("SELECT * FROM sentences WHERE doc_id = ? AND sent_id > ? ORDER BY sent_id "
                                 "LIMIT ?", (doc_id, sent_id, width)).fetchall()
        return [dict(r) for r in reversed(before)], [dict(r) for r in after]

    # -- model suggestions ------------------------------------------------------------------
    def suggestions(self, doc_id: str, sent_id: int, conn: sqlite3.Connection | None = None) -> dict[str, dict]:
        """layer -> {'value': …, 'confidence': …} for one sentence."""
        with self._maybe(conn) as c:
            rows = c.execute("SELECT layer, value, confidence FROM suggestions WHERE doc_id = ? AND sent_id = ?",
                             (doc_id, sent_id)).fetchall()
        return {r["layer"]: {"value": _load(r["value"]), "confidence": r["confidence"]} for r in rows}

    def all_suggestions(self, layer: str | None = None) -> list[dict]:
        with self.connect() as conn:
            sql, args = "SELECT * FROM suggestions", ()
            if layer:
                sql, args = sql + " WHERE layer = ?", (layer,)
            return [dict(r, value=_load(r["value"])) for r in conn.execute(sql, args)]

    def links_for(self, doc_id: str, sent_id: int, conn: sqlite3.Connection | None = None) -> list[dict]:
        with self._maybe(conn) as c:
            rows = c.execute("SELECT * FROM links WHERE (a_doc = ? AND a_sent = ?) OR (b_doc = ? AND b_sent = ?) "
                             "ORDER BY score DESC, item", (doc_id, sent_id, doc_id, sent_id)).fetchall()
        return [dict(r) for r in rows]

    def link(self, item: str, conn: sqlite3.Connection | None = None) -> dict:
        with self._maybe(conn) as c:
            row = c.execute("SELECT * FROM links WHERE item = ?", (item,)).fetchone()
        if row is None:
            raise AnnotationError(AnnotateErrors.A008.format(item=item), status=404)
        return dict(row)

    # -- events -----------------------------------------------------------------------------
    def current(self, conn: sqlite3.Connection, annotator: str, layer: str, item: str, *,
                adjudication: bool = False) -> dict | None:
        """The annotator's latest event on an item, or None."""
        row = conn.execute("SELECT * FROM events WHERE annotator = ? AND adjudication = ? AND layer = ? AND item = ? "
                           "ORDER BY id DESC LIMIT 1", (annotator, int(adjudication), layer, item)).fetchone()
        return event_dict(row) if row else None

    def record(self, conn: sqlite3.Connection, *, annotator: str, layer: str, doc_id: str, sent_id: int, item: str,
               after, adjudication: bool = False, created: str | None = None, source: str = "app",
               undo_of: int | None = None) -> dict:
        """Append one event; `before` is the annotator's previous value on the item (None if none)."""
        previous = self.current(conn, annotator, layer, item, adjudication=adjudication)
        before = previous["after"] if previous else None
        cursor = conn.execute(
            "INSERT INTO events (created, annotator, layer, doc_id, sent_id, item, before, after, adjudication, "
            "undo_of, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (created or now_iso(), annotator, layer, doc_id, sent_id, item, _dump(before), _dump(after),
             int(adjudication), undo_of, source))
        row = conn.execute("SELECT * FROM events WHERE id = ?", (cursor.lastrowid,)).fetchone()
        return event_dict(row)

    def sentence_labels(self, annotator: str, doc_id: str, sent_id: int, *, adjudication: bool = False,
                        conn: sqlite3.Connection | None = None) -> dict:
        """The annotator's current labels on one sentence: layer -> value, and 'link' -> {item: value}."""
        with self._maybe(conn) as c:
            rows = c.execute(_LATEST.format(where="WHERE annotator = ? AND adjudication = ? AND doc_id = ? "
                                                  "AND sent_id = ?"),
                             (annotator, int(adjudication), doc_id, sent_id)).fetchall()
            link_rows = c.execute(_LATEST.format(where="WHERE annotator = ? AND adjudication = ? AND layer = 'link' "
                                                       "AND item IN (SELECT item FROM links WHERE (a_doc = ? AND "
                                                       "a_sent = ?) OR (b_doc = ? AND b_sent = ?))"),
                                  (annotator, int(adjudication), doc_id, sent_id, doc_id, sent_id)).fetchall()
        labels: dict = {"link": {}}
        for row in list(rows) + list(link_rows):
            event = event_dict(row)
            if event["after"] is None:
                continue
            if event["layer"] == "link":
                labels["link"][event["item"]] = event["after"]
            else:
                labels[event["layer"]] = event["after"]
        return labels

    def latest(self, *, layer: str | None = None) -> list[dict]:
        """Every current label: the latest event per (annotator, adjudication, layer, item), without
        the ones withdrawn (after = None)."""
        with self.connect() as conn:
            where, args = ("WHERE layer = ?", (layer,)) if layer else ("", ())
            rows = conn.execute(_LATEST.format(where=where), args).fetchall()
        return [e for e in map(event_dict, rows) if e["after"] is not None]

    def events(self, *, annotator: str | None = None, limit: int | None = None) -> list[dict]:
        sql, args = "SELECT * FROM events", []
        if annotator:
            sql += " WHERE annotator = ?"
            args.append(annotator)
        sql += " ORDER BY id DESC" + (" LIMIT ?" if limit else "")
        if limit:
            args.append(limit)
        with self.connect() as conn:
            return [event_dict(r) for r in conn.execute(sql, args)]

    def undo(self, annotator: str) -> dict:
        """Undo the annotator's latest change not yet undone, by a new event restoring its `before`."""
        with self.transaction() as conn:
            row = conn.execute(
                "SELECT * FROM events WHERE annotator = ? AND undo_of IS NULL AND id NOT IN "
                "(SELECT undo_of FROM events WHERE undo_of IS NOT NULL) ORDER BY id DESC LIMIT 1",
                (annotator,)).fetchone()
            if row is None:
                raise AnnotationError(AnnotateErrors.A009.format(annotator=annotator), status=409)
            target = event_dict(row)
            return self.record(conn, annotator=annotator, layer=target["layer"], doc_id=target["doc_id"],
                               sent_id=target["sent_id"], item=target["item"], after=target["before"],
                               adjudication=target["adjudication"], undo_of=target["id"])

    def annotators(self) -> list[str]:
        with self.connect() as conn:
            return [r[0] for r in conn.execute("SELECT DISTINCT annotator FROM events WHERE adjudication = 0 "
                                               "ORDER BY annotator")]

    @contextmanager
    def _maybe(self, conn: sqlite3.Connection | None) -> Iterator[sqlite3.Connection]:
        if conn is not None:
            yield conn
        else:
            with self.connect() as c:
                yield c
