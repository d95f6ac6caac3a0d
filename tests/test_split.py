"""The site split of annotations/split.json: no test site in train or dev, each document's recorded
site the one its url gives, and the rule that made it (scripts/make_split.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SPLIT = json.loads((ROOT / "annotations" / "split.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(ROOT / "scripts"))

from make_split import site_of  # noqa: E402


@pytest.mark.parametrize("url, site", [
    ("https://www.theguardian.com/society/2019/may/21/x", "theguardian.com"),
    ("https://committees.parliament.uk/writtenevidence/11116/html/", "parliament.uk"),
    ("https://hansard.parliament.uk/Lords/2016-10-20/debates/x", "parliament.uk"),
    ("https://www.parallelparliament.co.uk/debate/2019-03-12/x", "parliament.uk"),  # a Hansard mirror
    ("https://www.justiceinspectorates.gov.uk/hmiprobation/x", "justiceinspectorates.gov.uk"),
    ("http://probationmatters.blogspot.com/2016/07/no-competition.html", "probationmatters.blogspot.com"),
    ("http://www.thisisthewestcountry.co.uk/news/x", "thisisthewestcountry.co.uk"),
])
def test_a_site_is_the_registrable_domain_with_mirrors_folded(url, site):
    assert site_of("any", {"url": url}) == site


def test_no_test_site_is_in_train_or_dev():
    sites = SPLIT["sites"]
    test = {sites[d] for d in SPLIT["test"]}
    seen = {sites[d] for d in SPLIT["train"] + SPLIT["dev"]}
    assert not test & seen
    assert not {sites[d] for d in SPLIT["dev"]} & {sites[d] for d in SPLIT["train"]}


def test_documents_developed_on_stay_out_of_test():
    assert set(SPLIT["developed_on"]).isdisjoint(SPLIT["test"])
    assert SPLIT["_rule"].startswith("A document's site")


def test_recorded_sites_are_what_the_pages_say(shared_dir):
    from nlp.gold.sources import doc_meta_text

    for doc_id, site in SPLIT["sites"].items():
        assert site_of(doc_id, doc_meta_text(doc_id)[0]) == site, doc_id
