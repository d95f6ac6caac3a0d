"""End to end in headless Chromium (Debian's `chromium`, driven by Playwright's Python package; no
browser download): correct a stance by keyboard, add an entity by selecting text with the mouse,
reload, find both saved. Writes test-artifacts/annotate.png."""

from __future__ import annotations

from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.slow


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1200, "height": 1400})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url)
    page.wait_for_selector("body[data-ready='1']")
    yield page
    context.close()
    assert errors == []


def _drag_select(page, needle: str) -> None:
    """Select `needle` inside #sentence with a real mouse drag."""
    box = page.evaluate("""(needle) => {
        const walker = document.createTreeWalker(document.getElementById('sentence'), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.textContent.indexOf(needle);
            if (at < 0) continue;
            const first = document.createRange(); first.setStart(node, at); first.setEnd(node, at + 1);
            const last = document.createRange(); last.setStart(node, at + needle.length - 1); last.setEnd(node, at + needle.length);
            const a = first.getBoundingClientRect(), b = last.getBoundingClientRect();
            return {x0: a.left + 1, y0: a.top + a.height / 2, x1: b.right - 1, y1: b.top + b.height / 2};
        }
        return null;
    }""", needle)
    assert box, f"{needle!r} not in the sentence"
    page.mouse.move(box["x0"], box["y0"])
    page.mouse.down()
    page.mouse.move(box["x1"], box["y1"], steps=8)
    page.mouse.up()


def _wait_until(predicate, tries: int = 50) -> None:
    import time

    for _ in range(tries):
        if predicate():
            return
        time.sleep(0.1)
    assert predicate()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect  # polls without eval (our CSP forbids it)

    return playwright_expect(locator)


def test_correct_stance_and_add_entity_then_reload(page, store):
    assert page.locator("#sent-key").inner_text() == "doc-a:3"  # least confident first
    # a <script> in the document shows as text and never runs
    assert "<script>window.__pwned = 1</script>" in page.locator("#after").inner_text()
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#doc-title").inner_text() == "Probation reunified <b>now</b>"

    page.keyboard.press("1")  # stance: support
    page.wait_for_selector("button.stance.mine[data-stance='support']")

    _drag_select(page, "National Probation Service")
    expect(page.locator("#selection-info")).to_contain_text("National Probation Service")
    page.keyboard.press("o")  # ORG
    page.wait_for_selector("#sentence mark.ent-ORG")

    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    assert page.locator("#sent-key").inner_text() == "doc-a:3"
    assert page.locator("button.stance.mine").get_attribute("data-stance") == "support"
    assert page.locator("#sentence mark.ent-ORG").inner_text() == "National Probation Service"
    labels = store.sentence_labels("alice", "doc-a", 3)
    assert labels["stance"] == "support"
    assert [(s["text"], s["label"]) for s in labels["entity"]] == [("National Probation Service", "ORG")]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "annotate.png"), full_page=True)


def test_keyboard_only_flow(page, store):
    page.keyboard.press("/")
    page.keyboard.type("650 probation officer")
    page.keyboard.press("Enter")
    expect(page.locator("#selection-info")).to_contain_text("650 probation officer")
    page.keyboard.press("Escape")
    page.keyboard.press("/")
    page.keyboard.type("More than 650")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # nothing labelled: cancel
    page.keyboard.press("k")  # claim off
    expect(page.locator("#claim-flag")).not_to_be_checked()
    page.keyboard.press("Enter")  # accept, next sentence
    expect(page.locator("#sent-key")).to_have_text("doc-b:1")
    assert store.sentence_labels("alice", "doc-a", 3)["review"] == "done"
    assert store.sentence_labels("alice", "doc-a", 3)["claim"] == {"claim": False, "claim_type": None}
    page.keyboard.press("s")  # skip
    expect(page.locator("#sent-key")).to_have_text("doc-a:1")
    page.keyboard.press("b")  # back
    expect(page.locator("#sent-key")).to_have_text("doc-b:1")
    page.keyboard.press("u")  # undo the skip
    expect(page.locator("#message")).to_contain_text("Undid")
    assert "review" not in store.sentence_labels("alice", "doc-b", 1)


def test_mouse_relabel_remove_and_links(page, store):
    page.click("button.stance[data-stance='qualified']")
    page.wait_for_selector("button.stance.mine[data-stance='qualified']")
    page.click(".link button:has-text('reject')")
    expect(page.locator(".link strong")).to_have_text("none")
    assert store.sentence_labels("alice", "doc-a", 3)["link"] == {"doc-a:3|doc-b:3": {"relation": "none"}}
    page.goto(page.url.split("#")[0] + "#/s/doc-b/1")
    expect(page.locator("#sent-key")).to_have_text("doc-b:1")
    page.click("#sentence mark.ent-CRC")
    page.click("#selection-buttons button.ent-ORG")
    page.wait_for_selector("#sentence mark.ent-ORG")
    page.fill("#entity-list input.entity-id", "crc_in_general")
    page.keyboard.press("Tab")  # change event: saved, then the list is drawn again from the server
    expect(page.locator("#entity-list input.entity-id")).to_have_value("crc_in_general")
    page.wait_for_selector("#entity-list input.entity-id:not(:focus)")
    _wait_until(lambda: store.sentence_labels("alice", "doc-b", 1)["entity"][0]["entity_id"] == "crc_in_general")
    page.click("#entity-list button[title='remove']")
    expect(page.locator("#sentence mark")).to_have_count(0)
    assert store.sentence_labels("alice", "doc-b", 1)["entity"] == []


def test_adjudication_view(page, store, server):
    from nlp.annotate import actions

    for who, label in (("bob", "none"), ("carol", "oppose")):
        actions.set_label(store, who, {"doc_id": "doc-b", "sent_id": 2, "layer": "stance", "value": label})
    page.keyboard.press("a")
    page.wait_for_selector(".disagreement")
    assert "Reunification is not a magic bullet." in page.locator(".disagreement").inner_text()
    page.click(".disagreement button:has-text('use carol')")
    page.wait_for_selector(".disagreement.settled")
    assert store.latest(layer="stance")[-1]["adjudication"] is True
