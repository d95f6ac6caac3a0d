"""The run's work folder: committed shards of per-document results, keyed by content.

Layout: ``DIR/.work/results.sqlite`` holds two tables, ``shards`` (the manifest: one row per
committed shard, with the doc ids it holds) and ``results`` (one row per processed document:
the cache key, the shard it came in and the pickled, compressed ``DocResult``).

Why SQLite rather than one JSONL file per shard plus a manifest file: a shard is committed in one
transaction, so a ``kill -9`` at any moment leaves either the whole shard or none of it (no
fsync/rename choreography, no half-written file to detect), lookups by key are indexed on disk so
memory stays flat at any corpus size, and it is in the standard library.

The cache key is sha256(text) + PIPELINE_VERSION + a hash of everything that changes what the
pipeline writes (the Config, less the knobs that only change speed, and the pipe names). A result
depends only on the text, so a document that is renamed or re-dated keeps its cached analysis and
its rows are rebuilt from the new metadata.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
import sqlite3
import time
import zlib
from collections.abc import Iterable
from pathlib import Path

from .. import PIPELINE_VERSION
from ..config import Config
from ..errors import Errors, InputError
from .rows import DocResult

WORK_DIR = ".work"
# Config fields that change only speed or memory, never what is written.
# Config fields that do not change a document's own results (links are corpus-level, never cached).
_SPEED_ONLY = frozenset({"batch_size", "n_process", "links"})

_SCHEMA = """
CREATE TABLE IF NOT EXISTS shards (id INTEGER PRIMARY KEY, n_docs INTEGER NOT NULL, doc_ids TEXT NOT NULL,
                                   config_hash TEXT NOT NULL, committed REAL NOT NULL);
CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, shard INTEGER NOT NULL, result BLOB NOT NULL);
"""


# Cached results are pickled DocResults: where the class lives is part of the key, so moving it
# makes old entries misses to recompute rather than entries that no longer unpickle.
RESULT_CLASS = f"{DocResult.__module__}.{DocResult.__qualname__}"


def config_hash(config: Config, pipe_names: Iterable[str]) -> str:
    """A short hash of everything in a run's set-up that changes its output."""
    fields = {f.name: getattr(config, f.name) for f in dataclasses.fields(config) if f.name not in _SPEED_ONLY}
    blob = json.dumps({"config": fields, "pipes": list(pipe_names), "version": PIPELINE_VERSION,
                       "models": models_fingerprint(config.models_dir), "result": RESULT_CLASS},
                      sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:16]


def models_fingerprint(models_dir: str | Path) -> str:
    """A hash of the trained model files: retraining a model invalidates cached results."""
    digest = hashlib.sha256()
    root = Path(models_dir)
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.suffix != ".md"):
        digest.update(str(path.relative_to(root)).encode("utf-8"))
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:16]


def _lock_folder(work_dir: Path):
    """Hold an exclusive lock on the work folder for the run's lifetime (released by the OS when
    the process dies, kill -9 included): two runs into one output folder would mix their files."""
    import fcntl

    handle = open(work_dir / "lock", "w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise InputError(Errors.E018.format(path=work_dir.parent), path=str(work_dir.parent)) from None
    return handle


def cache_key(text: str, chash: str, *context: str | None) -> str:
    """The key of a document's result: its text, the pipeline version, the config and the header
    fields the components read besides the text (`context`: the kind for stance, the date for
    entities), so a document whose header changes is processed again."""
    content = "\x1f".join((text, *(c or "" for c in context)))
    return f"{hashlib.sha256(content.encode('utf-8')).hexdigest()}:{PIPELINE_VERSION}:{chash}"


class ShardStore:
    """Committed results of earlier (or interrupted) runs into one output folder."""

    def __init__(self, out_dir: str | Path, chash: str) -> None:
        self.path = Path(out_dir) / WORK_DIR / "results.sqlite"
        self.chash = chash
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = _lock_folder(self.path.parent)
        # isolation_level=None: transactions are explicit (BEGIN ... COMMIT) in commit_shard.
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")  # a committed shard survives kill -9
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        # Keys this run's corpus has: whatever else is in the store is pruned after a complete run.
        self._db.execute("CREATE TEMP TABLE used (key TEXT PRIMARY KEY)")

    def key(self, document) -> str:
        """A document's key: its text with the kind and date the pipeline reads (runner.Runner._doc)."""
        return cache_key(document.text, self.chash, document.kind or "other", document.date)

    def get(self, key: str):
        """The cached DocResult for a key, or None."""
        row = self._db.execute("SELECT result FROM results WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            return pickle.loads(zlib.decompress(row[0]))
        except Exception:  # noqa: BLE001 - an unreadable entry is a cache miss, never a failure
            return None

    def has(self, key: str) -> bool:
        return self._db.execute("SELECT 1 FROM results WHERE key = ?", (key,)).fetchone() is not None

    def commit_shard(self, items: list[tuple[str, str, object]]) -> int | None:
        """Commit (doc_id, key, DocResult) triples as one shard, atomically; returns its id."""
        if not items:
            return None
        blobs = [(key, zlib.compress(pickle.dumps(result, protocol=5), 1)) for _, key, result in items]
        doc_ids = json.dumps([doc_id for doc_id, _, _ in items], ensure_ascii=False)
        self._db.execute("BEGIN IMMEDIATE")
        try:
            cur = self._db.execute("INSERT INTO shards (n_docs, doc_ids, config_hash, committed) VALUES (?, ?, ?, ?)",
                                   (len(items), doc_ids, self.chash, time.time()))
            shard = cur.lastrowid
            self._db.executemany("INSERT OR REPLACE INTO results (key, shard, result) VALUES (?, ?, ?)",
                                 [(key, shard, blob) for key, blob in blobs])
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return shard

    def mark_used(self, keys: Iterable[str]) -> None:
        self._db.executemany("INSERT OR IGNORE INTO used (key) VALUES (?)", ((key,) for key in keys))

    def prune(self) -> int:
        """After a complete run: drop results no document of this run's corpus has (changed or
        removed documents, an older config), so the store stays the size of the corpus."""
        self._db.execute("BEGIN IMMEDIATE")
        dropped = self._db.execute("DELETE FROM results WHERE key NOT IN (SELECT key FROM used)").rowcount
        self._db.execute("DELETE FROM shards WHERE id NOT IN (SELECT DISTINCT shard FROM results)")
        self._db.execute("COMMIT")
        return dropped

    def shard_count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM shards").fetchone()[0]

    def clear(self) -> None:
        self._db.executescript("DELETE FROM results; DELETE FROM shards;")

    def close(self) -> None:
        self._db.close()
        self._lock.close()  # releases the folder lock

    def __enter__(self) -> "ShardStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
