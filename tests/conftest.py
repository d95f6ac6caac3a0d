"""Shared fixtures: the loaded pipeline (once per session) and the real documents."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"  # the five seeds' headers; their text is read from shared/seeds
SHARED = ROOT.parent / "shared"  # other people's pages: shared/corpus (the 33 pages) and shared/pool
PAGES = SHARED / "corpus"
NO_SHARED = "../shared is not beside the checkout (the corpus pages and the pool are read from there)"


def page_path(doc_id: str) -> Path:
    """A page's file: the seeds from corpus/, other pages from ../shared (skips when it is absent)."""
    from nlp.gold.sources import MissingDocument, doc_path

    try:
        return doc_path(doc_id)
    except MissingDocument:
        pytest.skip(NO_SHARED)


class _Documents(dict):
    """doc_id -> Document; asking for a page that is not on this machine skips the test."""

    def __missing__(self, doc_id):
        pytest.skip(f"{doc_id}: {NO_SHARED}")


@pytest.fixture(scope="session")
def pipeline():
    import nlp

    return nlp.load()


@pytest.fixture(scope="session")
def corpus_docs():
    """doc_id -> Document for the seeds in corpus/ and the 33 pages in ../shared/corpus."""
    from nlp.errors import InputError
    from nlp.ingest import read_documents

    found = read_documents([CORPUS] + ([PAGES] if PAGES.is_dir() else []))
    return _Documents({d.doc_id: d for d in found if not isinstance(d, InputError)})


@pytest.fixture(scope="session")
def shared_dir():
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED


SEED_IDS = ("000_57d1069afaf7de82", "001_561fdb856de98ebf", "002_845ac5acf3db497b",
            "003_c9ebe3be5a93ccd6", "004_1ecf1996b45117b8")


def copy_seed(doc_id: str, folder: Path) -> Path:
    """A self-contained copy of a seed (its header and its text) in `folder`, for tests that change or
    move input files; skips where ../shared is absent."""
    from nlp.ingest.header import TEXT_FILE, header_text, split_header

    path = CORPUS / f"{doc_id}.txt"
    meta, text = split_header(path.read_text(encoding="utf-8"))
    if not (path.parent / meta[TEXT_FILE]).is_file():
        pytest.skip(f"{doc_id}: {NO_SHARED}")
    header = "".join(f"{key}: {value}\n" for key, value in meta.items() if key != TEXT_FILE)
    copy = folder / path.name
    copy.write_text(f"{header}---\n{header_text(meta, text, path)}", encoding="utf-8")
    return copy


@pytest.fixture(scope="session")
def seed_run(pipeline, tmp_path_factory):
    """`claims run` over the five seeds (with their headers), once per session: the output folder."""
    from nlp.engine.run import run_corpus

    if not (SHARED / "seeds").is_dir():
        pytest.skip(NO_SHARED)
    out = tmp_path_factory.mktemp("seed_run")
    summary = run_corpus([CORPUS / f"{doc_id}.txt" for doc_id in SEED_IDS], out, nlp=pipeline)
    assert not summary.failures
    return out


CHROMIUM = Path("/usr/bin/chromium")  # Debian's package, driven by Playwright; never a browser download
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (apt-get install chromium; scripts/setup.sh does it as root)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


class MissingText(str):
    """What `span` gives for a page that is not on this machine: empty, and the test using it skips.
    Joined to other text it stays missing, so a parameter built from it skips too."""

    def __add__(self, other):
        return MissingText("")

    def __radd__(self, other):
        return MissingText("")


def _holds_missing(value) -> bool:
    if isinstance(value, MissingText):
        return True
    if isinstance(value, dict):
        return any(_holds_missing(v) for v in value.values())
    if isinstance(value, (tuple, list, set, frozenset)):
        return any(_holds_missing(v) for v in value)
    return any(_holds_missing(v) for v in vars(value).values()) if hasattr(value, "__dict__") else False


def span(doc_id: str, start: int, end: int) -> str:
    """Text of a span of a page in ../shared, named by document id and offsets: tests quote other
    people's pages by reference, never by copy. Where the page is absent, the test using it skips."""
    import os

    from nlp.gold.sources import MissingDocument, doc_text

    try:
        return doc_text(doc_id)[start:end]
    except MissingDocument:
        if os.environ.get("PYTEST_CURRENT_TEST"):  # called inside a running test
            pytest.skip(f"{doc_id}: {NO_SHARED}")
        return MissingText("")  # called while collecting: the parameter skips (below)


def needs_pages(*values) -> None:
    """Skip the running test when any of these (built with `span` at import) lacks its page."""
    if any(_holds_missing(v) for v in values):
        pytest.skip(NO_SHARED)


@pytest.fixture(autouse=True)
def _skip_missing_page_text(request):
    callspec = getattr(request.node, "callspec", None)
    if callspec and any(_holds_missing(value) for value in callspec.params.values()):
        pytest.skip(NO_SHARED)
