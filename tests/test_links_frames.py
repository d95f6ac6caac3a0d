"""Claim frames (nlp/links/frames.py) on real corpus sentences: measure ids from the vocabulary,
scope, period with its source, value intervals from approximation cues, findings with polarity,
and what comparing two frames says (repeat / update / contradict)."""

from __future__ import annotations

import math

import pytest

from nlp.links import claim_table
from nlp.links.frames import ALL, Frame, claim_frame, compare_frames, load_vocabulary, scope_of
from tests.test_links import ENTITY_LABELS, EXACT_258157, GAP_483, OVER_650, QUARTER_MILLION
from tests.test_links_rules import SODEXO_HOLDS, SODEXO_OWNS

from .conftest import needs_pages, span

LABELS = {e["entity_id"]: e["label"] for e in ENTITY_LABELS}


def frame_of(fixture) -> Frame:
    row, quantities = fixture
    needs_pages(row)
    return claim_frame(row["text"], quantities, [(e, LABELS.get(e)) for e in row["entity_ids"]], row["date"])


def test_vocabulary_loads_with_surface_forms():
    vocab = load_vocabulary()
    ids = [m.id for m in vocab.measures]
    assert len(ids) == len(set(ids)) >= 28
    assert {"proven_reoffending_rate", "probation_officer_vacancies", "payments_to_crcs",
            "crcs_rated_inadequate"} <= set(ids)


def test_a_bad_vocabulary_names_its_file(tmp_path):
    bad = tmp_path / "measures.toml"
    bad.write_text("[[measure]]\nid = 'x'\n")
    with pytest.raises(ValueError, match="measures.toml"):
        load_vocabulary(str(bad))


def test_an_approximate_figure_is_an_open_interval():
    """page-042: `more than a quarter of a million people under its supervision` -> (250000, inf)."""
    frame = frame_of(QUARTER_MILLION)
    assert frame.measure == "people_under_supervision"
    assert frame.value.lo == 250000 and frame.value.hi == math.inf
    row = frame.to_json()
    assert row["value"]["lo"] == 250000 and row["value"]["hi"] is None
    assert row["period"]["source"] == "document" and row["scope"] == [ALL]
    assert Frame.from_json(row) == frame


def test_the_sentence_period_wins_over_the_document_date():
    """001: `258,157 people ... at the end of September 2018` in a March 2019 report."""
    frame = frame_of(EXACT_258157)
    assert frame.measure == "people_under_supervision"
    assert frame.period.label == "2018-09" and frame.period_source == "sentence"
    assert frame.value.lo < 258157 < frame.value.hi


def test_repeat_when_values_meet_even_with_document_dates_apart():
    """Gold repeat (GUIDELINES worked example): 258,157 ~ more than a quarter of a million."""
    comparison = compare_frames(frame_of(EXACT_258157), frame_of(QUARTER_MILLION))
    assert comparison.measure == "same" and comparison.value == "intersect"
    assert comparison.relation == "repeat"


def test_vacancies_get_their_measure_and_scope():
    """003: `over 650 vacancies in September 2019 ... in London`: PO vacancies, (650, inf), London."""
    frame = frame_of(OVER_650)
    assert frame.measure == "probation_officer_vacancies"
    assert frame.value.lo == 650 and frame.value.hi == math.inf
    assert frame.scope == ("london",) and frame.scope_source == "sentence"
    assert frame.period.label == "2019-09"


def test_update_when_values_differ_in_different_periods():
    """Gold update: over 650 PO vacancies (September 2019) -> the gap closing to 483 (June 2020)."""
    a, b = frame_of(OVER_650), frame_of(GAP_483)
    # the sentence gives two measures: PO numbers up almost 6 %, vacancies down to 483
    assert {v.measure for v in b.values()} == {"probation_officers_in_post", "probation_officer_vacancies"}
    assert Frame.from_json(b.to_json()) == b
    comparison = compare_frames(a, b)
    assert comparison.value == "disjoint" and comparison.period == "disjoint"
    assert comparison.relation == "update"


def test_partitive_counts_get_no_measure():
    """page-057: `six of the 21 Community Rehabilitation Companies` counts Sodexo's share, not
    the number of CRCs; page-075's plain `six CRCs` does count CRCs."""
    assert frame_of(SODEXO_OWNS).measure is None
    assert frame_of(SODEXO_HOLDS).measure == "crc_count"


def test_scope_is_named_providers_regions_and_divisions_only():
    assert scope_of([("crc", "CRC"), ("sodexo", "ORG"), ("national_probation_service", "ORG")]) == ()
    assert scope_of([("wales_crc", "CRC"), ("london", "REGION"), ("nps_wales", "ORG")]) == (
        "london", "nps_wales", "wales_crc")


INNOVATIVE = ("003_c9ebe3be5a93ccd6", 788, 890, "2020-12-04")
FAILED_TO_INNOVATE = ("page-018", 814, 909, "2019-05")


def _finding(ref) -> Frame:
    doc, start, end, date = ref
    return claim_frame(span(doc, start, end), [], [], date)


def test_findings_with_opposite_polarity_contradict():
    """Gold contradict: `CRCs ... bring innovative and experimental operating models` vs `CRCs
    have failed to innovate`."""
    a, b = _finding(INNOVATIVE), _finding(FAILED_TO_INNOVATE)
    assert a.proposition == b.proposition == "innovation"
    assert (a.polarity, b.polarity) == ("positive", "negative")
    assert compare_frames(a, b).relation == "contradict"
    assert a.measure is None and a.value is None


def test_claims_rows_carry_frames_into_the_table():
    (ca, qa), (cb, qb) = EXACT_258157, QUARTER_MILLION
    needs_pages(cb)
    table = claim_table([ca, cb], qa + qb, ENTITY_LABELS, [])
    assert [f.measure for f in table.frames] == ["people_under_supervision"] * 2
    written = dict(ca, frame=table.frames[0].to_json())
    again = claim_table([written], qa, ENTITY_LABELS, [])
    assert again.frames[0] == table.frames[0]


# --- candidates from frames -------------------------------------------------------------------

def test_frame_blocks_name_measure_finding_and_entity_year():
    from nlp.links.frames import frame_block_keys

    frame = frame_of(OVER_650).to_json()
    keys, month = frame_block_keys(frame, ["national_probation_service", "london"],
                                   frozenset({"national_probation_service"}))
    assert keys == ("measure:probation_officer_vacancies", "entity:london:2019")
    assert month == 2019 * 12 + 8
    assert frame_block_keys(None) == ((), 0)


def test_big_blocks_pair_only_neighbours_in_period_order():
    import numpy as np

    from nlp.links.candidates import block_pairs, block_codes, decode

    n = 12
    doc_codes = np.arange(n, dtype=np.int32)
    keys = [("measure:x",)] * n
    assert len(block_pairs(keys, doc_codes, 50)) == n * (n - 1) // 2  # small: every pair
    order = np.arange(n, dtype=np.int32)[::-1].copy()  # later claims come first once ranked
    pairs = decode(block_codes(keys, doc_codes, 5, order=order, window=2), n)
    assert len(pairs) == 2 * n - 3  # each claim with its two next neighbours
    assert all(abs(int(i) - int(j)) <= 2 for i, j in pairs)
    assert len(block_codes(keys, doc_codes, 5)) == 0  # without a window a big block gives nothing


def test_a_background_figure_needs_a_close_sentence_to_repeat():
    """`21 CRCs` recalled by many pages: two claims sharing it repeat only when their sentences
    are close (config.background_repeat_min_sim)."""
    from nlp.links.scoring import judge
    from tests.test_links import claim

    texts = ["The reforms created 21 Community Rehabilitation Companies in 2014.",
             "Offender management was handed to 21 privately run Community Rehabilitation Companies.",
             "Sodexo lost money on the 21 Community Rehabilitation Companies contracts."]
    rows = [claim(f"p-{n}:1", text, date="2019", ents=["crc"],
                  qty=[("21", 21, "count", "exact", "Community Rehabilitation Companies", None)])
            for n, text in enumerate(texts)]
    table = claim_table([r for r, _ in rows], [q for _, qs in rows for q in qs], ENTITY_LABELS, [])
    assert table.background == {"p-0:1:q0", "p-1:1:q0", "p-2:1:q0"}
    assert judge(table, 0, 1, 0.7) is None
    assert judge(table, 0, 1, 0.8)["relation"] == "repeat"
    two = claim_table([r for r, _ in rows[:2]], [q for _, qs in rows[:2] for q in qs], ENTITY_LABELS, [])
    assert not two.background and judge(two, 0, 1, 0.7)["relation"] == "repeat"


# --- report by measure ------------------------------------------------------------------------

def test_report_by_measure_gives_timeline_update_chain_and_contradiction(tmp_path):
    """`claims report OUT --links --by measure` on claims whose frames the table gives: PO
    vacancies over 650 (September 2019) -> 483 (June 2020) as an update step, £155m vs £150m
    invested in 2020/21 as a contradiction naming the disagreeing field."""
    import json

    from nlp.reports.links import measure_report
    from tests.test_links import INVEST_150, INVEST_155

    fixtures = [OVER_650, GAP_483, INVEST_155, INVEST_150]
    rows = [r for r, _ in fixtures]
    table = claim_table(rows, [q for _, qs in fixtures for q in qs], ENTITY_LABELS, [])
    claims = [dict(r, sent_id=0, frame=f.to_json()) for r, f in zip(rows, table.frames)]
    assert {v.measure for v in table.frames[2].values()} == {"probation_officers_in_post", "probation_investment"}
    assert table.frames[3].measure == "probation_investment"
    links = [{"a": "003_c9ebe3be5a93ccd6:63", "b": "page-999:64", "relation": "update", "score": 0.8,
              "reason": "vacancies: update", "measure": "vacancies"},
             {"a": "000_57d1069afaf7de82:44", "b": "003_c9ebe3be5a93ccd6:27", "relation": "contradict", "score": 0.7,
              "reason": "investment: contradict", "measure": "investment"}]
    for name, data in (("claims", claims), ("links", links), ("documents", [])):
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(x) + "\n" for x in data))
    report = measure_report(tmp_path)
    vacancies = [r for r in report if r["measure"] == "probation officer vacancies"]
    assert [r["kind"] for r in vacancies] == ["value", "value", "update"]
    assert [r["period"] for r in vacancies[:2]] == ["2019-09", "2020-06"]  # the timeline in period order
    step = vacancies[2]
    assert step["step"] == 1 and step["doc"] == "003_c9ebe3be5a93ccd6" and step["other_doc"] == "page-999"
    assert "650" in step["value"] and "483" in step["other_value"]
    (clash,) = [r for r in report if r["kind"] == "contradict"]
    assert clash["measure"] == "additional investment in probation" and "value=disjoint" in clash["disagree"]
    assert {clash["doc"], clash["other_doc"]} == {"000_57d1069afaf7de82", "003_c9ebe3be5a93ccd6"}
    assert [r["kind"] for r in measure_report(tmp_path, measure="investment")] == ["value", "value", "contradict"]
