"""The pool's annotation machinery: a pass file placed in its page (offsets and hashes, never the
text), two passes aligned and compared, and gold built from them with the adjudications."""

from __future__ import annotations

import re

import pytest

from nlp.gold.merge import align, by_doc, disagreements, gold_for, key, stance_agreement
from nlp.gold.passes import PassError, parse, place
from nlp.gold.sources import MissingDocument, doc_text, span_hash, with_text

# Two passes over the first two lines of pool-021 (a news report of a Commons exchange in 2014),
# their sentences filled in from the page itself: tests quote other people's pages by reference.
PASS_A = """# annotator: pass-a-test
# guideline: 1.1
S | body | oppose | factual | - | {0}
E | Chris Grayling | PERSON | chris_grayling
S | body | oppose | evaluative | - | {1}
E | Epsom and Ewell | REGION | epsom_and_ewell
"""
PASS_B = """# annotator: pass-b-test
S | body | none | factual | - | {0}
S | body | oppose | evaluative | - | {1}
"""


@pytest.fixture
def page():
    try:
        return doc_text("pool-021")
    except MissingDocument:
        pytest.skip("../shared/pool is not beside the checkout")


def _lines(page: str) -> list:
    return list(re.finditer(r"[^\n]*\S[^\n]*", page))[:2]


def _first_lines(page: str) -> list[str]:
    return [m.group(0).strip() for m in _lines(page)]


def _end_of_first_lines(page: str) -> int:
    return _lines(page)[-1].end()


def _placed(text: str, page: str, upto: int) -> list[dict]:
    """The pass placed in a copy of the page cut after its first sentences (the rest uncovered)."""
    text = text.format(*_first_lines(page))
    meta, sentences = parse(text, "test.ann")
    stamp = {"annotator": meta["annotator"], "created": "2026-12-04T00:00:00+00:00", "guideline": "1.1"}
    return place("pool-021", page[:upto], sentences, stamp, "test.ann")


def test_a_pass_is_placed_by_offsets_and_hashes_without_copying_text(page):
    upto = _end_of_first_lines(page)
    records = _placed(PASS_A, page, upto)
    sentences = [r for r in records if r["layer"] == "sentence"]
    assert [r["stance"] for r in sentences] == ["oppose", "oppose"]
    for r in records:
        assert "text" not in r and r["hash"] == span_hash(page[r["start"]:r["end"]])
        assert with_text(r)["text"] == page[r["start"]:r["end"]]  # looked up from the page, hash checked
    grayling = next(r for r in records if r["layer"] == "entity" and r["entity_id"] == "chris_grayling")
    assert page[grayling["start"]:grayling["end"]] == "Chris Grayling"


def test_text_left_uncovered_or_not_in_the_page_is_refused_with_its_line(page):
    with pytest.raises(PassError, match="uncovered at the end"):
        _placed(PASS_A, page, len(page))
    wrong = PASS_A.replace("| {1}", "| {1} And then some.")
    with pytest.raises(PassError, match=r"test\.ann:5: .*not found"):
        _placed(wrong, page, len(page))
    with pytest.raises(PassError, match="stance 'maybe'"):
        parse(PASS_A.replace("| oppose |", "| maybe |", 1).format("a", "b"), "test.ann")


def test_a_sentence_wrapped_over_a_line_break_is_matched_across_it():
    text = "The CRCs were paid\nan extra £22 million a year.\n"
    _, sentences = parse("S | body | none | numeric | - | The CRCs were paid an extra £22 million a year.\n", "t")
    (record,) = place("doc", text, sentences, {}, "t")
    assert text[record["start"]:record["end"]] == "The CRCs were paid\nan extra £22 million a year."


def test_two_passes_are_aligned_compared_and_merged_with_the_adjudication(page):
    upto = _end_of_first_lines(page)
    pass_a, pass_b = by_doc(_placed(PASS_A, page, upto)), by_doc(_placed(PASS_B, page, upto))
    assert [b is not None for _, b in align(pass_a["pool-021"]["sentence"], pass_b["pool-021"]["sentence"])] == [True, True]
    (a, b), = disagreements(pass_a, pass_b)
    assert (a["stance"], b["stance"]) == ("oppose", "none")
    agreement = stance_agreement(pass_a, pass_b)
    assert agreement["aligned"] == 2 and agreement["agreement"] == 0.5
    with pytest.raises(KeyError, match="no adjudication"):
        gold_for(pass_a["pool-021"], pass_b["pool-021"], {})
    gold = gold_for(pass_a["pool-021"], pass_b["pool-021"], {key(a): {"stance": "none", "annotator": "adj"}})
    first = gold[0]
    assert first["stance"] == "none" and first["adjudicated"] and first["stance_passes"] == ["pass-a-test", "pass-b-test"]
    assert [r["layer"] for r in gold] == ["sentence", "entity", "sentence", "entity"]


def test_a_decisions_file_is_read_with_its_annotator_and_bad_lines_named(tmp_path):
    from nlp.gold.passes import decisions

    path = tmp_path / "judged.txt"
    path.write_text("# annotator: link-judge-9\n# guideline: 1.1\nP00001 | repeat | same NAO figure\n\n"
                    "P00002 | none | different measure: vacancies vs staff in post\n", encoding="utf-8")
    meta, rows = decisions(path, ("repeat", "update", "contradict", "none"))
    assert meta == {"annotator": "link-judge-9", "guideline": "1.1"}
    assert rows == [("P00001", "repeat", "same NAO figure"),
                    ("P00002", "none", "different measure: vacancies vs staff in post")]
    path.write_text("P00003 | same | no such relation\n", encoding="utf-8")
    with pytest.raises(PassError, match=r"judged\.txt:1: expected"):
        decisions(path, ("repeat", "none"))


@pytest.mark.parametrize("doc_id", ["000_57d1069afaf7de82", "004_1ecf1996b45117b8", "page-036", "pool-021"])
def test_gold_exported_as_a_pass_file_places_back_to_the_same_records(tmp_path, doc_id):
    """`annotation_kit.py export` then `check`/`gold`: what an annotator corrects is the gold itself
    (page-036's heading wraps over a line break and recurs later unwrapped: the first place wins)."""
    import sys
    from pathlib import Path

    from nlp.eval import load_gold
    from nlp.gold.sources import doc_meta_text, is_page

    if not is_page(doc_id):
        pytest.skip(f"{doc_id}: ../shared is not beside the checkout")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))
    import annotation_kit

    annotation_kit.export(tmp_path, doc_id)
    meta, sentences = parse((tmp_path / f"{doc_id}.ann").read_text(encoding="utf-8"), "x.ann")
    placed = place(doc_id, doc_meta_text(doc_id)[1], sentences, {}, "x.ann")
    fields = ("layer", "sent_id", "start", "end", "hash", "segment", "stance", "claim_type", "label", "entity_id",
              "value", "unit", "approx", "measure")
    gold = load_gold(Path(__file__).resolve().parents[1] / "annotations")[doc_id]
    expected = sorted((tuple(r.get(f) for f in fields) for layer in gold.values() for r in layer), key=str)
    assert sorted((tuple(r.get(f) for f in fields) for r in placed), key=str) == expected
    assert meta["guideline"] in ("1.0", "1.1")
