"""`claims run` end to end: the files of SPEC §1, offsets that slice, bad input isolated."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from nlp.cli.main import app
from nlp.engine.outputs import load_rows
from nlp.engine.run import run_corpus, split_text

from .conftest import CORPUS, SEED_IDS, page_path

REQUIRED = {
    "documents": {"doc_id", "schema", "title", "kind", "date", "url", "sha256", "text"},
    "sentences": {"doc_id", "sent_id", "start", "end", "text", "segment", "speaker"},
    "entities": {"doc_id", "sent_id", "start", "end", "text", "label", "entity_id"},
    "quantities": {"doc_id", "sent_id", "start", "end", "text", "value", "value_high", "unit", "approx", "measure",
                   "period"},
    "stance": {"doc_id", "sent_id", "label", "confidence", "scores"},
    "claims": {"claim_id", "doc_id", "sent_id", "text", "type", "quantity_ids", "entity_ids"},
    "links": {"a", "b", "relation", "score", "reason"},
}


@pytest.mark.slow
def test_seed_run_writes_every_file_with_required_fields(seed_run, pipeline):
    expected = set(REQUIRED) - ({"stance"} if "claims_stance" not in pipeline.pipe_names else set())
    assert {p.stem for p in seed_run.glob("*.jsonl")} == expected
    for name in expected:
        rows = load_rows(seed_run, name)
        assert rows, name
        assert all(REQUIRED[name] <= row.keys() for row in rows), name
    docs = load_rows(seed_run, "documents")
    assert [d["doc_id"] for d in docs] == list(SEED_IDS)
    assert all(d["schema"] == 1 and len(d["sha256"]) == 64 for d in docs)
    assert not list(seed_run.glob(".partial-*"))


@pytest.mark.slow
def test_links_pair_claims_of_different_documents(seed_run):
    claims = {c["claim_id"]: c for c in load_rows(seed_run, "claims")}
    links = load_rows(seed_run, "links")
    assert links  # the seeds repeat each other (the inspectorate's findings travel)
    for link in links:
        assert link["a"] < link["b"] and link["a"] in claims and link["b"] in claims
        assert claims[link["a"]]["doc_id"] != claims[link["b"]]["doc_id"]
        assert link["relation"] in {"repeat", "contradict", "update"}
        assert 0.0 <= link["score"] <= 1.0 and link["reason"]


@pytest.mark.slow
def test_every_span_slices_its_document(seed_run):
    texts = {d["doc_id"]: d["text"] for d in load_rows(seed_run, "documents")}
    for name in ("sentences", "entities", "quantities"):
        for row in load_rows(seed_run, name):
            assert texts[row["doc_id"]][row["start"] : row["end"]] == row["text"], (name, row)


@pytest.mark.slow
def test_sentence_ids_are_in_order_and_spans_agree(seed_run):
    sentences = load_rows(seed_run, "sentences")
    by_doc: dict[str, list[dict]] = {}
    for row in sentences:
        by_doc.setdefault(row["doc_id"], []).append(row)
    for rows in by_doc.values():
        assert [r["sent_id"] for r in rows] == list(range(len(rows)))
        assert all(a["end"] <= b["start"] for a, b in zip(rows, rows[1:]))
    bounds = {(r["doc_id"], r["sent_id"]): (r["start"], r["end"]) for r in sentences}
    for name in ("entities", "quantities"):
        for row in load_rows(seed_run, name):
            start, end = bounds[(row["doc_id"], row["sent_id"])]
            assert start <= row["start"] and row["end"] <= end, (name, row)


@pytest.mark.slow
def test_claims_point_at_real_sentences_and_quantities(seed_run):
    sentences = {(r["doc_id"], r["sent_id"]): r for r in load_rows(seed_run, "sentences")}
    quantity_ids = {q["quantity_id"] for q in load_rows(seed_run, "quantities")}
    claims = load_rows(seed_run, "claims")
    assert claims
    for claim in claims:
        sentence = sentences[(claim["doc_id"], claim["sent_id"])]
        assert claim["claim_id"] == f"{claim['doc_id']}:{claim['sent_id']}"
        assert claim["text"] == sentence["text"]
        assert sentence["segment"] not in {"heading", "boilerplate"}
        assert set(claim["quantity_ids"]) <= quantity_ids
        assert (claim["type"] == "numeric") == bool(claim["quantity_ids"])


def test_split_text_pieces_cover_the_text_and_respect_the_limit():
    text = ("A sentence here. " * 40 + "\n\n") * 10 + "x" * 2500
    pieces = split_text(text, 1000)
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 1000 for _, piece in pieces)
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)


@pytest.fixture(scope="module")
def light_pipeline():
    """Segmenter only, on a blank tokenizer: enough to exercise the runner quickly."""
    import nlp
    from nlp.config import Config

    everything = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")
    return nlp.load(Config(exclude=everything, use_ner=False), components=("claims_segmenter",))


def test_five_megabyte_single_line_file_is_processed_in_pieces(tmp_path, light_pipeline):
    from nlp.config import Config

    big = tmp_path / "big.txt"
    big.write_text("The CRCs missed their targets again this year. " * 107_000)  # ~5 MB, one line
    assert big.stat().st_size > 5_000_000
    summary = run_corpus([big], tmp_path / "out", nlp=light_pipeline, config=Config(max_chars=200_000))
    assert summary.documents == 1 and not summary.failures
    sentences = load_rows(tmp_path / "out", "sentences")
    assert len(sentences) >= 107_000
    assert [s["sent_id"] for s in sentences[:3]] == [0, 1, 2]
    text = load_rows(tmp_path / "out", "documents")[0]["text"]
    assert all(text[s["start"] : s["end"]] == s["text"] for s in sentences[::997])


def test_interrupted_run_keeps_the_previous_outputs(tmp_path, light_pipeline):
    out = tmp_path / "out"
    run_corpus([page_path("page-003")], out, nlp=light_pipeline)
    before = (out / "documents.jsonl").read_text()

    def explode(_doc):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_corpus([page_path("page-006"), page_path("page-009")], out, nlp=light_pipeline, on_document=explode)
    assert (out / "documents.jsonl").read_text() == before
    assert not list(out.glob(".partial-*"))


def test_cli_run_reports_bad_files_and_completes_the_rest(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("title: Good\nkind: news\n---\nThe NPS took over offender management in June 2021.\n")
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (corpus / "mixed.jsonl").write_text('{"doc_id": "j1", "text": "Napo welcomed the decision."}\n{broken\n')
    result = CliRunner().invoke(app, ["run", str(corpus), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""  # talk goes to stderr
    assert "empty.txt: empty document" in result.stderr
    assert "binary.txt: binary file" in result.stderr
    assert "mixed.jsonl:2: invalid JSON" in result.stderr
    docs = load_rows(tmp_path / "out", "documents")
    assert sorted(d["doc_id"] for d in docs) == ["good", "j1"]
    run = json.loads((tmp_path / "out" / "run.json").read_text())
    assert len(run["failures"]) == 3 and run["documents"] == 2


def test_cli_run_with_nothing_readable_exits_1(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    result = CliRunner().invoke(app, ["run", str(tmp_path / "empty.txt"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "empty document" in result.stderr


def test_parquet_output_reads_back_with_pandas_and_matches_jsonl(tmp_path, light_pipeline):
    """`--format parquet`: each table as NAME.parquet, readable by pandas.read_parquet (and so by
    datasets.load_dataset("parquet", ...), not installed here), same rows as the JSONL run."""
    import pandas as pd

    inputs = [page_path("page-003"), page_path("page-006")]
    jsonl, parquet = tmp_path / "jsonl", tmp_path / "parquet"
    run_corpus(inputs, jsonl, nlp=light_pipeline)
    run_corpus(inputs, parquet, nlp=light_pipeline, output_format="parquet")
    assert not list(parquet.glob("*.jsonl"))
    for name in ("documents", "sentences", "entities", "quantities", "claims"):
        frame = pd.read_parquet(parquet / f"{name}.parquet")
        rows = load_rows(jsonl, name)
        assert len(frame) == len(rows), name
        if rows:
            assert list(frame.columns) == list(rows[0].keys()), name
            assert frame.iloc[-1]["doc_id"] == rows[-1]["doc_id"]
    sentences = pd.read_parquet(parquet / "sentences.parquet")
    assert sentences["text"].tolist() == [r["text"] for r in load_rows(jsonl, "sentences")]
    assert json.loads((parquet / "run.json").read_text())["format"] == "parquet"
    run_corpus(inputs, parquet, nlp=light_pipeline)  # back to JSONL: no folder mixes formats
    assert not list(parquet.glob("*.parquet")) and (parquet / "documents.jsonl").exists()


def test_jsonl_to_parquet_unifies_schemas_across_row_groups(tmp_path):
    import pandas as pd

    from nlp.engine.parquet import jsonl_to_parquet

    source = tmp_path / "t.jsonl"
    rows = [{"a": None, "b": 1}] * 3 + [{"a": "x", "b": 2, "extra": {"k": 1.5}}]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert jsonl_to_parquet(source, tmp_path / "t.parquet", rows_per_group=2) == 4
    frame = pd.read_parquet(tmp_path / "t.parquet")
    assert frame["a"].isna().tolist() == [True, True, True, False] and frame["a"].iloc[3] == "x" and frame["b"].tolist() == [1, 1, 1, 2]
    empty = tmp_path / "e.jsonl"
    empty.write_text("")
    assert jsonl_to_parquet(empty, tmp_path / "e.parquet") == 0 and len(pd.read_parquet(tmp_path / "e.parquet")) == 0


def test_cli_summary_line_and_quiet_progress_off_a_terminal(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"d{n}.txt").write_text(f"The NPS supervised {n + 2},000 people in June 2021.\n")
    args = ["run", str(corpus), "--out", str(tmp_path / "out"), "--components", "claims_segmenter,claims_quantities",
            "--shard-size", "2"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert first.stdout == ""
    assert first.stderr.count("\n") == 1  # no progress bar when stderr is not a terminal: one summary line
    assert "3 documents (reused 0, processed 3)" in first.stderr
    (corpus / "d1.txt").write_text("Napo said 650 posts were vacant.\n")
    second = CliRunner().invoke(app, args)
    assert "3 documents (reused 2, processed 1)" in second.stderr


def test_cli_rejects_an_unknown_format_or_engine(tmp_path):
    (tmp_path / "a.txt").write_text("Some text.\n")
    bad_format = CliRunner().invoke(app, ["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), "--format", "csv"])
    assert bad_format.exit_code == 1 and "--format" in bad_format.stderr
    bad_engine = CliRunner().invoke(app, ["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "o"), "--engine", "x"])
    assert bad_engine.exit_code == 1 and "--engine" in bad_engine.stderr


def test_corpus_step_hook_sees_finished_tables_and_its_table_is_committed(tmp_path, light_pipeline):
    """The hook for corpus-level steps (links): it reads the finished tables, adds its own."""
    seen = {}

    def step(tables):
        seen["documents"] = (tables / "documents.jsonl").read_text().count("\n")
        (tables / "links.jsonl").write_text('{"a": "x:1", "b": "y:2", "relation": "repeat"}\n')
        return ("links",)

    out = tmp_path / "out"
    run_corpus([page_path("page-003"), page_path("page-006")], out, nlp=light_pipeline, corpus_step=step)
    assert seen["documents"] == 2
    assert load_rows(out, "links") == [{"a": "x:1", "b": "y:2", "relation": "repeat"}]
    assert "links" in json.loads((out / "run.json").read_text())["files"]
    from nlp.config import Config

    # a run without the step (links off) drops the old table
    run_corpus([page_path("page-003")], out, nlp=light_pipeline, config=Config(links=False))
    assert not (out / "links.jsonl").exists()


def test_a_second_run_into_the_same_folder_is_refused_while_the_first_holds_it(tmp_path, light_pipeline):
    from nlp.engine.store import ShardStore
    from nlp.errors import InputError

    out = tmp_path / "out"
    with ShardStore(out, "x"):  # what a run in progress holds
        with pytest.raises(InputError, match="another `claims run` is writing to this folder"):
            run_corpus([page_path("page-003")], out, nlp=light_pipeline)
    summary = run_corpus([page_path("page-003")], out, nlp=light_pipeline)  # free again
    assert summary.documents == 1
