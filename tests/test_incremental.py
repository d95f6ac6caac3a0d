"""Incremental runs: the work folder caches each document's results by content (sha256 of the
text, kind and date + PIPELINE_VERSION + a hash of the config and pipeline), so a re-run processes only what
changed and its output equals a fresh run's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.config import Config
from nlp.engine.store import cache_key, config_hash
from nlp.engine.outputs import load_rows
from nlp.engine.run import run_corpus

from .test_resume import TABLES, small_documents

LIGHT = Config(exclude=("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"), use_ner=False)


@pytest.fixture(scope="module")
def light_pipeline():
    import nlp

    return nlp.load(LIGHT, components=("claims_segmenter", "claims_quantities"))


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """100 documents from our real pages, as a JSONL corpus (so each has metadata too)."""
    docs = small_documents(words_per_doc=30)[:100]
    assert len(docs) == 100
    path = tmp_path / "corpus.jsonl"
    path.write_text("".join(json.dumps({"doc_id": name, "text": text, "kind": "blog"}) + "\n" for name, text in docs))
    return path


def rewrite(path: Path, change) -> None:
    records = [json.loads(line) for line in path.read_text().splitlines()]
    path.write_text("".join(json.dumps(change(n, r)) + "\n" for n, r in enumerate(records)))


def tables(out: Path) -> dict[str, str]:
    return {name: (out / f"{name}.jsonl").read_text() for name in TABLES}


def test_one_changed_document_in_a_hundred_is_the_only_one_processed(corpus, tmp_path, light_pipeline):
    out = tmp_path / "out"
    first = run_corpus([corpus], out, config=LIGHT, nlp=light_pipeline, shard_size=16)
    assert (first.processed, first.reused) == (100, 0)

    def change(n, record):
        if n == 37:
            record["text"] += "\n\nSince then 1,200 more cases were transferred to the NPS."
        return record

    rewrite(corpus, change)
    processed = []
    second = run_corpus([corpus], out, config=LIGHT, nlp=light_pipeline, shard_size=16,
                        on_document=processed.append)
    assert (second.reused, second.processed, second.documents) == (99, 1, 100)
    assert len(processed) == 100  # every document is still written
    assert json.loads((out / "run.json").read_text())["reused"] == 99

    fresh = run_corpus([corpus], tmp_path / "fresh", config=LIGHT, nlp=light_pipeline, fresh=True)
    assert fresh.processed == 100
    assert tables(out) == tables(tmp_path / "fresh")
    assert any(q["text"] == "1,200" for q in load_rows(out, "quantities"))


def test_metadata_change_reuses_the_analysis_and_writes_the_new_metadata(corpus, tmp_path, light_pipeline):
    out = tmp_path / "out"
    run_corpus([corpus], out, config=LIGHT, nlp=light_pipeline)
    rewrite(corpus, lambda n, r: {**r, "doc_id": f"renamed-{n}", "title": f"Page {n}"})
    again = run_corpus([corpus], out, config=LIGHT, nlp=light_pipeline)
    assert (again.reused, again.processed) == (100, 0)
    docs = load_rows(out, "documents")
    assert docs[0]["doc_id"] == "renamed-0" and docs[0]["title"] == "Page 0"
    assert all(s["doc_id"].startswith("renamed-") for s in load_rows(out, "sentences"))
    fresh = tmp_path / "fresh"
    run_corpus([corpus], fresh, config=LIGHT, nlp=light_pipeline)
    assert tables(out) == tables(fresh)


def test_a_new_kind_or_date_is_processed_again(corpus, tmp_path, light_pipeline):
    """Stance reads the kind and entities the date (a name can mean one thing only from a date on),
    so a result cached under another kind or date is not reused."""
    out = tmp_path / "out"
    run_corpus([corpus], out, config=LIGHT, nlp=light_pipeline)
    rewrite(corpus, lambda n, r: {**r, "kind": "news"} if n < 10 else {**r, "date": "2022-01-01"} if n < 30 else r)
    again = run_corpus([corpus], out, config=LIGHT, nlp=light_pipeline)
    assert (again.reused, again.processed) == (70, 30)
    assert {d["kind"] for d in load_rows(out, "documents")} == {"news", "blog"}


def test_a_config_change_invalidates_the_cache(corpus, tmp_path, light_pipeline):
    out = tmp_path / "out"
    run_corpus([corpus], out, config=LIGHT, nlp=light_pipeline)
    again = run_corpus([corpus], out, config=LIGHT.replace(claim_threshold=0.9), nlp=light_pipeline)
    assert (again.reused, again.processed) == (0, 100)
    speed_only = run_corpus([corpus], out, config=LIGHT.replace(claim_threshold=0.9, batch_size=7),
                            nlp=light_pipeline)
    assert (speed_only.reused, speed_only.processed) == (100, 0)


def test_fresh_ignores_the_cache(corpus, tmp_path, light_pipeline):
    out = tmp_path / "out"
    run_corpus([corpus], out, config=LIGHT, nlp=light_pipeline)
    assert run_corpus([corpus], out, config=LIGHT, nlp=light_pipeline, fresh=True).processed == 100


def test_cache_key_depends_on_text_version_and_config():
    base = config_hash(LIGHT, ["claims_segmenter"])
    assert base == config_hash(LIGHT.replace(batch_size=1, n_process=4), ["claims_segmenter"])
    assert base != config_hash(LIGHT.replace(max_chars=5000), ["claims_segmenter"])
    assert base != config_hash(LIGHT, ["claims_segmenter", "claims_stance"])
    assert cache_key("a text", base) != cache_key("a text.", base)
    assert cache_key("a text", base, "blog", None) != cache_key("a text", base, "news", None)
    assert cache_key("a text", base, "blog", None) != cache_key("a text", base, "blog", "2021-06-01")
    assert cache_key("a text", base).split(":")[1] == __import__("nlp").PIPELINE_VERSION


def test_a_complete_run_prunes_results_no_document_has_any_more(corpus, tmp_path, light_pipeline):
    import sqlite3

    out = tmp_path / "out"
    run_corpus([corpus], out, config=LIGHT, nlp=light_pipeline)
    rewrite(corpus, lambda n, r: {**r, "text": r["text"] + " Changed."} if n < 10 else r)
    run_corpus([corpus], out, config=LIGHT, nlp=light_pipeline)
    with sqlite3.connect(out / ".work" / "results.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 100
