"""Shared fixtures: the loaded pipeline (once per session) and the real documents."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def pipeline():
    import nlp

    return nlp.load()


@pytest.fixture(scope="session")
def corpus_docs():
    """doc_id -> Document for every file in corpus/ (the seeds and the 33 pages)."""
    from nlp.ingest import read_documents

    return {d.doc_id: d for d in read_documents([CORPUS])}


@pytest.fixture(scope="session")
def shared_dir():
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED
