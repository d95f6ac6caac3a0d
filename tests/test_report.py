"""`claims report`: tables on stdout, filters that filter, formats that parse, errors on stderr."""

from __future__ import annotations

import csv
import io
import json

import pytest
from typer.testing import CliRunner

from nlp.cli.main import app
from nlp.reports.claims import CLAIM_COLUMNS, ClaimFilter, claim_table, document_summary
from nlp.reports.stance import cell_sentences, stance_table

pytestmark = pytest.mark.slow


def _report(*args):
    return CliRunner().invoke(app, ["report", *map(str, args)])


def test_claim_table_rows_and_filters(seed_run):
    rows = claim_table(seed_run)
    assert rows and all(set(CLAIM_COLUMNS) == set(r) for r in rows)
    money = claim_table(seed_run, ClaimFilter(unit="gbp"))
    assert money and all(r["unit"] == "gbp" and r["value"] > 0 for r in money)
    assert len(money) < len(rows)
    napo = claim_table(seed_run, ClaimFilter(entity="napo"))
    assert napo and all("Napo" in r["entities"] or "NAPO" in r["entities"] for r in napo)
    briefing = claim_table(seed_run, ClaimFilter(kind="briefing"))
    assert briefing and {r["doc_id"] for r in briefing} == {"004_1ecf1996b45117b8"}
    evaluative = claim_table(seed_run, ClaimFilter(type="evaluative", doc="001"))
    assert evaluative and all(r["type"] == "evaluative" and r["doc_id"].startswith("001") for r in evaluative)


def test_document_summary_counts_agree_with_files(seed_run):
    summary = {r["doc_id"]: r for r in document_summary(seed_run)}
    assert len(summary) == 5
    for row in summary.values():
        assert row["claims"] == row["numeric"] + row["factual"] + row["evaluative"] <= row["sentences"]


@pytest.mark.parametrize("fmt", ["csv", "json", "markdown", "table"])
def test_report_formats_go_to_stdout_and_parse(seed_run, fmt):
    result = _report(seed_run, "--unit", "percent", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert rows and all(r["unit"] == "percent" for r in rows)
    elif fmt == "json":
        rows = json.loads(result.stdout)
        assert rows and all(r["unit"] == "percent" for r in rows)
    elif fmt == "markdown":
        assert result.stdout.startswith("### Claims") and "| doc_id |" in result.stdout
    else:
        assert "Claims" in result.stdout and "Documents (5)" in result.stdout


def test_report_on_a_folder_that_is_not_a_run(tmp_path):
    result = _report(tmp_path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "not a claims output folder" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_report_rejects_unknown_format(seed_run):
    result = _report(seed_run, "--format", "xml")
    assert result.exit_code == 1 and "unknown value 'xml' for --format" in result.stderr


def test_stance_by_speaker_and_cell_sentences(seed_run):
    if not (seed_run / "stance.jsonl").exists():
        pytest.skip("pipeline has no stance component")
    by_doc = stance_table(seed_run, by="document")
    assert {r["document"] for r in by_doc} == {r["doc_id"] for r in document_summary(seed_run)}
    for row in by_doc:
        assert row["support"] + row["oppose"] + row["qualified"] + row["none"] == row["sentences"]
    by_speaker = {r["speaker"]: r for r in stance_table(seed_run, by="speaker")}
    assert "Justin Russell" in by_speaker  # the testimony's author, from its header
    behind = cell_sentences(seed_run, by="speaker", group="Justin Russell")
    assert len(behind) == by_speaker["Justin Russell"]["sentences"]
    result = _report(seed_run, "--stance", "--by", "kind", "--format", "json")
    assert result.exit_code == 0
    assert {r["kind"] for r in json.loads(result.stdout)} == {"testimony", "press-release", "blog", "briefing"}


def test_stance_cell_lists_confidence_and_why(seed_run):
    """--cell gives each sentence the words that drove its label, at document offsets; --no-why leaves them out."""
    if not (seed_run / "stance.jsonl").exists():
        pytest.skip("pipeline has no stance component")
    doc_id = "000_57d1069afaf7de82"
    documents = [json.loads(line) for line in (seed_run / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    text = next(d["text"] for d in documents if d["doc_id"] == doc_id)
    result = _report(seed_run, "--stance", "--cell", doc_id, "--format", "json")
    assert result.exit_code == 0 and "another label" not in result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == len(cell_sentences(seed_run, by="document", group=doc_id))
    assert all(0 < r["confidence"] <= 1 and len(r["why"]) <= 3 for r in rows)
    cues = [c for r in rows for c in r["why"]]
    assert len(cues) > len(rows)  # most sentences have a cue or more
    assert all(text[c["start"] : c["end"]] == c["cue"] and c["weight"] > 0 for c in cues)
    table = _report(seed_run, "--stance", "--cell", f"{doc_id}=qualified", "--format", "csv")
    parsed = list(csv.DictReader(io.StringIO(table.stdout)))
    assert parsed and all(r["why"].startswith('"') and " ." in r["why"] for r in parsed)
    plain = _report(seed_run, "--stance", "--cell", doc_id, "--format", "csv", "--no-why")
    assert "why" not in next(csv.reader(io.StringIO(plain.stdout)))


def test_links_by_measure_in_json_and_csv(seed_run):
    from nlp.reports.links import MEASURE_COLUMNS

    result = _report(seed_run, "--links", "--by", "measure", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and set(rows[0]) == set(MEASURE_COLUMNS)
    assert {r["kind"] for r in rows} <= {"value", "update", "contradict"} and any(r["kind"] == "value" for r in rows)
    measures = [r["measure"] for r in rows]  # each measure's rows stay together: its timeline, then its changes
    runs = [m for n, m in enumerate(measures) if n == 0 or measures[n - 1] != m]
    assert len(runs) == len(set(measures))
    result = _report(seed_run, "--links", "--by", "measure", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(table) == len(rows) and list(table[0]) == list(MEASURE_COLUMNS)
    bad = _report(seed_run, "--links", "--by", "speaker")
    assert bad.exit_code != 0 and "--by" in bad.output
