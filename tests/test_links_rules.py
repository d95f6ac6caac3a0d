"""Linking rules found by research/link_errors.py on the train+dev gold pairs, each with the real
sentence pair that showed it (quantity rows as `claims run` extracted them). Vectors are built
with a chosen cosine, as in tests/test_links.py, so no model is loaded."""

from __future__ import annotations

import pytest

from nlp.links import LinkConfig, claim_table
from nlp.links.numeric import Figure, agreement, date_period, figure_interval, parse_period
from nlp.links.resources import load_resources
from nlp.links.scoring import judge
from nlp.links.text import content_words, has_sample_cue, populations
from tests.test_links import ENTITY_LABELS, claim, link_pair

from .conftest import needs_pages, span

RES = load_resources()

# --- names and their acronyms are one word ---------------------------------------------------

SODEXO_OWNS = claim(
    "page-057:6", (span("page-057", 785, 882) + "low and medium risk offenders."), date="2015-04-08", ents=["crc", "sodexo"],
    qty=[("six", 6, "count", "exact", "Community Rehabilitation Companies", None),
         ("21", 21, "count", "exact", "Community Rehabilitation Companies", None)])
SODEXO_HOLDS = claim(
    "page-075:5", (span("page-075", 251, 350) + span("page-075", 350, 447)),
    date="2018-03-19", ents=["crc", "sodexo"], qty=[("six", 6, "count", "exact", "CRCs", None)])


@pytest.mark.parametrize("text,expected", [
    (span("page-012", 593, 634), {"crc"}),
    ("the National Probation Service (NPS)", {"nps"}),
    ("probation officer (PO) vacancies", {"po", "vacancy"}),
    ("Transforming Rehabilitation tested probation services", {"tr", "test", "probation", "servic"}),
])
def test_aliases_fold_to_one_word(text, expected):
    assert content_words(text, RES) == expected


def test_a_measure_named_in_full_and_by_acronym_is_one_measure():
    """Gold repeat (train): `six of the 21 Community Rehabilitation Companies` ~ `six CRCs`."""
    (link,) = link_pair(SODEXO_OWNS, SODEXO_HOLDS, 0.68)
    assert link["relation"] == "repeat" and link["method"] == "numeric"


def test_measure_blocks_fold_aliases():
    (ca, qa), (cb, qb) = SODEXO_OWNS, SODEXO_HOLDS
    table = claim_table([ca, cb], qa + qb, ENTITY_LABELS, [])
    measures = [{k for k in keys if not k.startswith("value:")} for keys in table.block_keys]
    assert measures[0] == measures[1] == {"count:crc"}


# --- a sample is not a population --------------------------------------------------------------

CRCS_INSPECTED = claim(
    "001_561fdb856de98ebf:58", "This report is based on aggregated data from HMI Probation’s inspection of four NPS "
    "Divisions and 15 CRCs in 2018/2019.", date="2019-03",
    ents=["crc", "hmi_probation", "national_probation_service"],
    qty=[("four", 4, "count", "exact", "NPS Divisions", "2018/2019"),
         ("15", 15, "count", "exact", "CRCs", "2018/2019")])
CRCS_CREATED = claim(  # the page's bullet glyphs (mis-decoded as `â—`) left out
    "page-036:11", (span("page-036", 1010, 1098) + "Rehabilitation programme: the National Probation Service (NPS)—handle high risk offenders (the NPS is a public " + "body); and Community Rehabilitation Centres (CRCs)—of which there are 21 across England and Wales—handle low " + span("page-036", 1324, 1433) + "organisations run the 21 CRCs)."), date="2017-10", ents=["crc", "national_probation_service"],
    qty=[("two", 2, "count", "exact", None, "2014"), ("21", 21, "count", "exact", "CRCs", "2014"),
         ("eight", 8, "count", "exact", "private organisations", "2014")])


def test_sample_cue():
    assert has_sample_cue(CRCS_INSPECTED[0]["text"], RES)
    assert not has_sample_cue(CRCS_CREATED[0]["text"], RES)


def test_crcs_inspected_do_not_update_the_number_of_crcs():
    """Seen in dev output: `21 CRCs (2014)` -> `15 CRCs inspected (2018/19)` called an update."""
    assert link_pair(CRCS_CREATED, CRCS_INSPECTED, 0.75) == []


# --- a bound is not the figure at its edge ----------------------------------------------------

FEWER_THAN_HALF = claim(
    "003_c9ebe3be5a93ccd6:73", "On every aspect of supervision in relation to risk of serious harm (apart from initial "
    "assessment), we have continued to find that, on average, fewer than half the cases we assess in CRCs are "
    "satisfactory in relation to planning, delivery or review of actions to manage risk of harm.", date="2020-12-04",
    ents=["crc"], qty=[("fewer than half", 0.5, "fraction", "less_than", "cases", None)])
HALF_OF_CASES = claim(
    "004_1ecf1996b45117b8:37", "Only one third of all CRC cases had a completed risk of harm assessment prior to "
    "allocation despite half of all CRC cases being assessed as posing a medium risk of harm.", date="2015-01",
    ents=["crc"], qty=[("one third", 0.3333, "fraction", "exact", "CRC cases", None),
                       ("half", 0.5, "fraction", "exact", "CRC cases", None)])


def _fig(row) -> Figure:
    family, value, interval = figure_interval(row, RES, LinkConfig())
    return Figure("q", row["text"], family, value, interval, row.get("measure") or "", frozenset(), None)


def test_half_is_not_fewer_than_half():
    bound, point = _fig(FEWER_THAN_HALF[1][0]), _fig(HALF_OF_CASES[1][1])
    assert agreement(bound, point, LinkConfig()) is False
    assert agreement(point, bound, LinkConfig()) is False


def test_fewer_than_half_does_not_repeat_half_of_crc_cases():
    """Seen in dev output: linked as a repeat (intervals [0, 50] and [47.5, 52.5] meet)."""
    assert link_pair(FEWER_THAN_HALF, HALF_OF_CASES, 0.7) == []


# --- sub-populations are scope -----------------------------------------------------------------

YOUTH_INSPECTIONS = claim(
    "page-012:3", (span("page-012", 258, 355) + span("page-012", 355, 413)), date="2015",
    qty=[("six", 6, "count", "exact", "full joint inspections", None),
         ("31", 31, "count", "exact", "short quality screenings", None)])
ADULT_INSPECTIONS = claim(  # the same report's next list item, placed in another document for the test
    "trap-adult:5", span("page-012", 639, 720), date="2015-08",
    qty=[("14", 14, "count", "exact", "inspections", None)])


def test_populations():
    needs_pages(YOUTH_INSPECTIONS, ADULT_INSPECTIONS)
    assert populations(YOUTH_INSPECTIONS[0]["text"], RES) == {"youth"}
    assert populations(ADULT_INSPECTIONS[0]["text"], RES) == {"adult"}
    assert populations(span("page-012", 186, 231), RES) == {"youth", "adult"}


def test_adult_and_youth_inspection_counts_do_not_link():
    """Same measure head (`inspections`, one block), same year, different numbers: the kind of
    false contradiction seen between the inspectorate's annual reports. Two rules now stop it:
    the population scope (checked first) and the measures not being the same named one."""
    needs_pages(YOUTH_INSPECTIONS, ADULT_INSPECTIONS)
    assert link_pair(YOUTH_INSPECTIONS, ADULT_INSPECTIONS, 0.8) == []
    (ca, qa), (cb, qb) = YOUTH_INSPECTIONS, ADULT_INSPECTIONS
    table = claim_table([ca, cb], qa + qb, ENTITY_LABELS, [])
    trace: list[str] = []
    assert judge(table, 0, 1, 0.8, LinkConfig(), trace) is None
    assert trace[0].startswith("scope conflict")
    ca, cb = dict(ca, text=ca["text"].replace("Youth ", "")), dict(cb, text=cb["text"].replace("Adult ", ""))
    table = claim_table([ca, cb], qa + qb, ENTITY_LABELS, [])
    trace = []
    assert judge(table, 0, 1, 0.8, LinkConfig(), trace) is None
    assert "not the same named one" in trace[-2]


# --- small plain counts are not evidence by themselves -----------------------------------------

TWO_PART_REVIEW = claim(
    "003_c9ebe3be5a93ccd6:16", "Our two-part review does not just point out flaws and failures, but also provides "
    "learning with the aim of influencing the service for the better.", date="2020-12-04",
    qty=[("two", 2, "count", "exact", "part", None)])
TWO_PARTS = claim(  # constructed: another text's `two parts` with another meaning
    "trap-parts:0", "The reform divided service delivery into two parts.", date="2021-07",
    qty=[("two", 2, "count", "exact", "parts", None)])


def test_a_shared_small_count_needs_the_usual_cosine():
    assert link_pair(TWO_PART_REVIEW, TWO_PARTS, 0.62) == []
    assert [x["relation"] for x in link_pair(TWO_PART_REVIEW, TWO_PARTS, 0.62,
                                             LinkConfig(exact_repeat_min_value=2))] == ["repeat"]


# --- periods relative to the document date ----------------------------------------------------

@pytest.mark.parametrize("text,date,label", [
    ("this financial year", "2020-09", "2020/21"),  # 000 (Sept 2020): the £155m investment
    ("this financial year", "2021-02", "2020/21"),
    ("this financial year", "2020", "2020/21"),
    ("this year", "2019-03", "2019"),
    ("next year", "2019-02-15", "2020"),  # page-060: Wales `due to be renationalised next year`
    ("last year", "2019-02-15", "2018"),
    ("this year", None, None),
    ("the past year", "2020-09", None),
    ("September 2019", "2021-07", "2019-09"),
])
def test_relative_periods(text, date, label):
    period = parse_period(text, date_period(date))
    assert (period.label if period else None) == label


# --- two bounds on one side: an update, never a contradiction ------------------------------------

LESS_THAN_TWO_THIRDS = claim(
    "004_1ecf1996b45117b8:72", "In less than two thirds of cases there was evidence of reasonable action being taken "
    "to minimise the offender’s risk of harm to others and protect the public.", date="2015-01",
    qty=[("less than two thirds", 0.6667, "fraction", "less_than", "cases", None)])


def test_two_upper_bounds_years_apart_are_an_update():
    """Gold update (train): under two thirds of cases (2015) -> under half (2020). The dev cosine
    (MiniLM, 0.43) is below undated_update_min_sim, so this passes only at a higher cosine."""
    fewer = (dict(FEWER_THAN_HALF[0], entity_ids=[]), FEWER_THAN_HALF[1])
    assert [x["relation"] for x in link_pair(LESS_THAN_TWO_THIRDS, fewer, 0.7)] == ["update"]


def test_two_upper_bounds_at_one_time_do_not_contradict():
    fewer = (dict(FEWER_THAN_HALF[0], entity_ids=[], date="2015-01"), FEWER_THAN_HALF[1])
    assert link_pair(LESS_THAN_TWO_THIRDS, fewer, 0.9) == []


# --- the vector cache of research/link_errors.py and research/tune_links.py -----------------------

def test_cached_embed_encodes_each_text_once(tmp_path):
    import numpy as np

    from nlp.links.cache import cached_embed

    seen: list[str] = []

    def fake(texts):
        seen.extend(texts)
        return np.asarray([[len(t), 1.0] for t in texts], dtype=np.float32)

    first = cached_embed(fake, tmp_path)(["a b", "cd", "a b"])
    again = cached_embed(fake, tmp_path)(["cd", "a b", "new text"])  # a new process reads the file
    assert first.tolist() == [[3, 1], [2, 1], [3, 1]]
    assert again.tolist() == [[2, 1], [3, 1], [8, 1]]
    probes = [t for t in seen if t not in ("a b", "cd", "new text")]
    assert sorted(t for t in seen if t not in probes) == ["a b", "cd", "new text"]
