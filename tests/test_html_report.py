"""`claims report OUT --html FILE`: one file that opens offline, draws every view in a real
headless Chromium without a console error or a single request leaving the file, and shows hostile
document text as text. Writes test-artifacts/report-*.png."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nlp.cli.main import app
from nlp.reports.html import embed_json

from .conftest import SEED_IDS, copy_seed

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
HOSTILE = ("title: Hostile <img src=x onerror=alert('title')>\nkind: blog\ndate: 2019-05-01\n---\n"
           "Napo said the CRCs were paid </script><script>alert('x')</script> £467 million in 2019.\n\n"
           "The CRC model <img src=x onerror=alert(1)> is failing, said the union.\n")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("html_report")
    corpus = folder / "corpus"
    corpus.mkdir()
    for doc_id in SEED_IDS:
        copy_seed(doc_id, corpus)
    (corpus / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    assert CliRunner().invoke(app, ["run", str(corpus), "--out", str(folder / "out")]).exit_code == 0
    result = CliRunner().invoke(app, ["report", str(folder / "out"), "--html", str(folder / "report.html")])
    assert result.exit_code == 0, result.stderr
    return folder / "report.html"


def test_embedded_json_cannot_end_its_script_element():
    text = embed_json({"t": "</script><script>alert(1)</script> & <!-- \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "</script><script>alert(1)</script> & <!-- \u2028"}


def test_the_file_holds_three_scripts_and_no_reference_to_the_network(report):
    html = report.read_text(encoding="utf-8")
    assert len(re.findall(r"<script\b", html)) == 3 and html.count("</script>") == 3
    data = html.split('id="claims-data">', 1)[1].split("</script>", 1)[0]
    assert "onerror=alert" in data and "<" not in data  # the hostile text is there, inert
    assert not re.search(r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["']?https?:""", html)
    assert "connect-src 'none'" in html  # the page's CSP forbids requests even if code tried


def test_json_format_writes_the_data_behind_the_page(report, tmp_path):
    out = report.parent / "out"
    result = CliRunner().invoke(app, ["report", str(out), "--html", str(tmp_path / "data.json"), "--format", "json"])
    assert result.exit_code == 0
    data = json.loads((tmp_path / "data.json").read_text())
    assert set(data) >= {"meta", "overview", "stance", "claims", "measures", "documents", "truncated"}
    assert data["overview"]["counts"]["documents"] == 6


def test_report_in_chromium_draws_every_view_offline(report, browser):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    errors, requests, dialogs = [], [], []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("request", lambda r: requests.append(r.url))
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(report.as_uri())
    page.wait_for_selector("#chart-by_kind .main-svg")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report-overview.png"), full_page=True)

    page.click("nav button[data-view=stance]")
    page.wait_for_selector("#stance-chart .scatterlayer .trace")
    support = page.locator("#stance-chart .scatterlayer .trace:first-child .points path")
    support.nth(support.count() - 1).click(force=True)  # the latest period's support point
    page.wait_for_selector("#stance-sentences li")
    assert "confidence" in page.inner_text("#stance-sentences")
    page.screenshot(path=str(ARTIFACTS / "report-stance.png"), full_page=True)

    page.click("nav button[data-view=claims]")
    total = page.locator("#claims-table tbody tr").count()
    assert total > 50
    page.fill("#claims-search", "reunification")
    page.wait_for_timeout(100)
    shown = page.locator("#claims-table tbody tr").count()
    assert 0 < shown < total
    assert all("reunification" in t.lower() for t in page.locator("#claims-table tbody tr td:nth-child(3)").all_inner_texts())
    page.screenshot(path=str(ARTIFACTS / "report-claims.png"))

    page.click("nav button[data-view=measures]")
    page.screenshot(path=str(ARTIFACTS / "report-measures.png"))

    page.click("nav button[data-view=claims]")
    page.fill("#claims-search", "")
    page.locator("#claims-table tbody tr td a", has_text="hostile").first.click()
    page.wait_for_selector("#view-documents:not([hidden]) .sent.focus")
    text = page.inner_text("#document-view")
    assert "</script><script>alert('x')</script>" in text and "<img src=x onerror=alert(" in text
    assert page.locator("#document-view img, #document-view script").count() == 0
    page.screenshot(path=str(ARTIFACTS / "report-document.png"), full_page=True)

    context.close()
    assert errors == [] and dialogs == []
    assert [url for url in requests if not url.startswith("file://")] == []
