"""The entity conventions of issue 16 on real lines: each page is read from ../shared by its id
(train and dev pages only; the test skips where they are absent) and run through the segmenter and
the entity component with its date, as `claims run` does; a short phrase of the page finds the line.
"""

from __future__ import annotations

import pytest

from nlp.config import Config
from nlp.engine.runner import Runner
from nlp.entities.crcs import CrcRules, dominant_crc, trim_possessives
from nlp.entities.gazetteer import dated_from, load_rules
from nlp.entities.matcher import Candidate
from nlp.extensions import doc_date

CRC_RULES = CrcRules.from_rules(load_rules())
from nlp.records import Document

from .conftest import page_path


@pytest.fixture(scope="module")
def entities_pipeline():
    import nlp

    return nlp.load(components=("claims_segmenter", "claims_entities"))


@pytest.fixture(scope="module")
def read_page():
    from nlp.ingest import read_documents

    cache: dict[str, Document] = {}

    def read(doc_id: str) -> Document:
        if doc_id not in cache:
            (cache[doc_id],) = read_documents([page_path(doc_id)])
        return cache[doc_id]

    return read


def mentions_at(entities_pipeline, document: Document, phrase: str, *, date: str | None = "keep"):
    """(text, label, id) of the mentions that touch ``phrase``'s first place in the page, the page
    run with its own date (or ``date``)."""
    if date != "keep":
        document = Document(document.doc_id, document.text, kind=document.kind, date=date)
    start = document.text.index(phrase)
    end = start + len(phrase)
    doc = Runner(entities_pipeline, Config())._doc(document.text, document)
    doc = entities_pipeline(doc)
    return [(m.text, m.label, m.entity_id) for m in doc._.entities if m.start < end and m.end > start]


def test_the_runner_puts_the_documents_date_on_the_doc(entities_pipeline):
    runner = Runner(entities_pipeline, Config())
    assert doc_date(runner._doc("x", Document("d", "x", date="2021-07"))) == "2021-07"
    assert doc_date(runner._doc("x", Document("d", "x"))) is None


@pytest.mark.parametrize("since,date,expected", [
    ("2021-06", "2021-06", True), ("2021-06", "2023-12-07", True), ("2021-06", "2021-05-31", False),
    ("2021-06", "2021", False), ("2021-06", "unknown", False), ("2021-06", "20210101", False),
    ("2021-06", "2021/07/01", False), ("2021-06", None, False), (None, None, True),
])
def test_dated_from(since, date, expected):
    assert dated_from(since, date) is expected


def test_probation_service_is_the_unified_service_only_from_june_2021(entities_pipeline, read_page):
    page = read_page("pool-180")  # a Commons debate of December 2023
    phrase = "Probation Service: Sick Leave"
    assert mentions_at(entities_pipeline, page, phrase) == [("Probation Service", "ORG", "probation_service")]
    assert mentions_at(entities_pipeline, page, phrase, date="2019-03") == []
    assert mentions_at(entities_pipeline, page, phrase, date=None) == []


def test_working_links_is_an_organisation(entities_pipeline, read_page):
    found = mentions_at(entities_pipeline, read_page("page-018"), "Working Links, the owner of three CRCs")
    assert ("Working Links", "ORG", "working_links") in found


def test_community_rehabilitation_centre_is_the_areas_crc(entities_pipeline, read_page):
    found = mentions_at(entities_pipeline, read_page("pool-197"), "Merseyside Community Rehabilitation Centre (CRC)")
    assert found[0] == ("Merseyside Community Rehabilitation Centre", "CRC", "merseyside_crc")


def test_possessive_is_trimmed_and_the_crc_is_the_pages(entities_pipeline, read_page):
    found = mentions_at(entities_pipeline, read_page("pool-221"), "the CRC’s overall rating")
    assert found == [("CRC", "CRC", "humberside_lincolnshire_and_north_yorkshire_crc")]


def test_plural_crcs_with_apostrophe_stay_whole():
    text = "We urge the MOJ to work closely with the CRC’s to ensure that CRC’s deliver."
    spans = [(i, i + 5) for i in (text.index("CRC’s"), text.rindex("CRC’s"))]
    chosen = [Candidate(s, e, "CRC", "crc", "gazetteer") for s, e in spans]
    assert [(c.start, c.end) for c in trim_possessives(chosen, text, CRC_RULES)] == spans
    text = "Inspectors looked at the CRC’s work."
    assert trim_possessives([Candidate(25, 30, "CRC", "crc", "gazetteer")], text, CRC_RULES)[0].end == 28


def test_empty_word_lists_match_nothing():
    """A ``crc_conventions`` list left empty turns its rule off, not on for every mention."""
    data = {**load_rules()["crc_conventions"], "any_before": [], "place_words": []}
    rules = CrcRules.from_rules({"crc_conventions": data})
    assert rules.any_before.search("each ") is None and rules.place_word.search("in the ") is None
    text = "Essex CRC. Essex CRC. Essex CRC. The CRC has improved."
    chosen = [Candidate(i, i + 9, "CRC", "essex_crc", "gazetteer") for i in (0, 11, 22)]
    chosen.append(Candidate(text.index("CRC has"), text.index("CRC has") + 3, "CRC", "crc", "gazetteer"))
    assert dominant_crc(chosen, text, rules)[3].entity_id == "essex_crc"


@pytest.mark.parametrize("general", ["any CRC", "A CRC", "some CRC", "per CRC"])
def test_any_crc_stays_general_on_a_page_about_one(general):
    text = f"Essex CRC. Essex CRC. Essex CRC. The CRC has improved. It is among the best of {general}."
    chosen = [Candidate(i, i + 9, "CRC", "essex_crc", "gazetteer") for i in (0, 11, 22)]
    bare = (text.index("CRC has"), text.rindex("CRC"))
    chosen += [Candidate(i, i + 3, "CRC", "crc", "gazetteer") for i in bare]
    assert [c.entity_id for c in dominant_crc(chosen, text, CRC_RULES)][3:] == ["essex_crc", "crc"]


def test_interserve_crcs_are_purple_futures(entities_pipeline, read_page):
    found = mentions_at(entities_pipeline, read_page("pool-246"), "the Interserve CRCs")
    assert ("Interserve CRCs", "CRC", "purple_futures") in found


def test_an_area_after_a_place_word_stays_a_region(entities_pipeline, read_page):
    found = mentions_at(entities_pipeline, read_page("pool-278"), "In Essex we have good relationships")
    assert found[0] == ("Essex", "REGION", "essex")


@pytest.mark.parametrize("doc_id,phrase,expected", [
    ("pool-082", "Written evidence from Catch22", [("Catch22", "ORG", "catch22")]),
    ("pool-301", "Lord Dholakia (LD)", [("Lord Dholakia", "PERSON", "lord_dholakia")]),
    ("pool-061", "five different Lord Chancellors", []),
    ("pool-150", "Quick Send CV", []),
    ("pool-202", "the NPS in Wales", [("NPS", "ORG", "national_probation_service"), ("Wales", "REGION", "wales")]),
])
def test_small_conventions(entities_pipeline, read_page, doc_id, phrase, expected):
    assert mentions_at(entities_pipeline, read_page(doc_id), phrase) == expected


@pytest.mark.parametrize("doc_id,phrase,expected", [
    ("pool-248", "Sodexo-owned CRCs", [("Sodexo", "ORG", "sodexo"), ("CRCs", "CRC", "sodexo_crcs")]),
    ("pool-048", "companies owned by Sodexo",
     [("community rehabilitation companies", "CRC", "sodexo_crcs"), ("Sodexo", "ORG", "sodexo")]),
    ("pool-249", "Interserve-owned CRCs", [("Interserve", "ORG", "interserve"), ("CRCs", "CRC", "purple_futures")]),
    # one CRC owned by a company that ran one: that CRC; by one that ran two (RRP), a CRC
    ("pool-309", "CRC owned by ARCC", [("CRC", "CRC", "durham_tees_valley_crc"), ("ARCC", "ORG", "arcc")]),
])
def test_crcs_named_with_their_owner_are_the_owners(entities_pipeline, read_page, doc_id, phrase, expected):
    assert mentions_at(entities_pipeline, read_page(doc_id), phrase) == expected


def test_a_crc_of_an_owner_of_several_stays_general():
    from nlp.entities.crcs import owned_crcs

    text = "a CRC owned by the Reducing Reoffending Partnership"
    chosen = [Candidate(2, 5, "CRC", "crc", "gazetteer"), Candidate(19, 51, "ORG", "rrp", "gazetteer")]
    areas = {"rrp": ("dlnr_crc", "staffordshire_and_west_midlands_crc"), "arcc": ("durham_tees_valley_crc",)}
    assert [c.entity_id for c in owned_crcs(chosen, text, {}, areas)] == ["crc", "rrp"]
    assert [c.entity_id for c in owned_crcs(chosen[:1] + [Candidate(19, 51, "ORG", "arcc", "x")], text, {}, areas)] == [
        "durham_tees_valley_crc", "arcc"]


@pytest.fixture(scope="module")
def rules_pipeline():
    """As ``entities_pipeline``, without the names learned from gold: the rules alone, as on a new site."""
    import nlp
    from nlp.entities import EntityFinder

    pipeline = nlp.load(components=("claims_segmenter", "claims_entities"))
    pipeline.get_pipe("claims_entities").finder = EntityFinder(pipeline, learned_names=False)
    return pipeline


@pytest.mark.parametrize("doc_id,phrase,expected", [
    ("pool-027", "The Yorkshire Post says", [("Yorkshire Post", "ORG", "yorkshire_post")]),
    ("pool-241", "Letter to the Daily Telegraph", [("Daily Telegraph", "ORG", "daily_telegraph")]),
    ("pool-151", "Daily Mirror journalist", [("Daily Mirror", "ORG", "daily_mirror")]),
])
def test_newspapers_are_organisations(rules_pipeline, read_page, doc_id, phrase, expected):
    """A newspaper's head word (``Post``, ``Telegraph``, ``Mirror``) makes a capitalised name an
    organisation (entity_rules.json ORG cues), a place at its start included (GUIDELINES §2)."""
    assert mentions_at(rules_pipeline, read_page(doc_id), phrase) == expected


@pytest.mark.parametrize("doc_id,phrase", [
    ("page-102", "The new, unified Probation Service brings"),  # dated 2021: before June, as a year
    ("pool-176", "decision to reunify the Probation Service"),  # April 2021
    ("pool-033", "the new Probation Service arrangements"),  # May 2019
])
def test_the_new_probation_service_is_the_unified_one_before_it_exists(rules_pipeline, read_page, doc_id, phrase):
    """A page about the reform names the unified service before June 2021: after ``new``,
    ``unified``, ``reunify the`` (entity_rules.json ``new_body_words``) it is that body whatever the
    page's date; elsewhere on such a page ``Probation Service`` stays probation in general."""
    assert mentions_at(rules_pipeline, read_page(doc_id), phrase) == [("Probation Service", "ORG", "probation_service")]
    assert mentions_at(rules_pipeline, read_page("pool-176"), "challenges the Probation Service faces") == []


def test_the_crc_of_a_page_about_one_crcs_area_is_that_crc(rules_pipeline, read_page):
    """A page about probation in one CRC's area, named as a place (``In Essex we have good
    relationships with both the CRC and NPS``, pool-278), calls that area's CRC ``the CRC``."""
    found = mentions_at(rules_pipeline, read_page("pool-278"), "relationships with both the CRC and NPS")
    assert ("CRC", "CRC", "essex_crc") in found
