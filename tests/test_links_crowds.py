"""Crowds of copies (nlp/links/crowds.py): a claim copied into many documents links once per copy
to its crowd's representative instead of pairwise to every copy."""

from __future__ import annotations

import json
import zlib

import numpy as np
import pytest

from nlp.links import LinkConfig, claim_table, link_from_embeddings, write_links
from nlp.links.crowds import NO_KEY, crowd_key

BOILERPLATE = "The probation service supervises 250,000 offenders each year in England and Wales."
OTHERS = ("Unpaid work hours fell sharply during the first lockdown.",
          "Two providers lost their contracts after poor inspection ratings in 2019.")


def _claims(n_docs: int, text: str = BOILERPLATE, vary=None) -> list[dict]:
    """`text` once in each of n_docs documents (`vary(doc, text)` rewrites it per document), beside
    one claim of each document's own."""
    rows = []
    for doc in range(n_docs):
        said = vary(doc, text) if vary else text
        rows.append({"claim_id": f"d{doc}:1", "doc_id": f"d{doc}", "text": said, "quantity_ids": [],
                     "entity_ids": [], "date": "2020"})
        rows.append({"claim_id": f"d{doc}:2", "doc_id": f"d{doc}", "text": f"{OTHERS[doc % 2]} (source {doc})",
                     "quantity_ids": [], "entity_ids": [], "date": "2020"})
    return rows


def _vectors(claims: list[dict], seed: int = 0) -> np.ndarray:
    """One unit vector per distinct text (equal texts, equal vectors), nearly alike for copies."""
    rng = np.random.default_rng(seed)
    base = rng.standard_normal(16)
    out = []
    for claim in claims:
        own = np.random.default_rng(zlib.crc32(claim["text"].encode())).standard_normal(16)
        out.append(base + (0.05 if claim["claim_id"].endswith(":1") else 2.0) * own)
    matrix = np.asarray(out, dtype=np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def _links(claims: list[dict], config: LinkConfig) -> list[dict]:
    return link_from_embeddings(_vectors(claims), claim_table(claims, [], [], []), config=config)


def _copy_links(links: list[dict]) -> list[dict]:
    return [r for r in links if r["method"] == "copy"]


def test_a_crowd_collapses_to_one_link_per_copy():
    # word order, case and punctuation aside, the copies say the same
    claims = _claims(7, vary=lambda doc, text: text.upper() if doc % 3 == 1 else text.replace(" each year", "") +
                     " each year" if doc % 3 == 2 else text)
    links = _links(claims, LinkConfig(pair_model="off"))
    copies = _copy_links(links)
    assert [(r["a"], r["b"]) for r in copies] == [("d0:1", f"d{doc}:1") for doc in range(1, 7)]
    assert all(r["relation"] == "repeat" and r["found_by"] == ["copy"] and r["group"] == "d0:1" for r in copies)
    # a copy has its copy link and nothing else; the representative links on
    assert not [r for r in links if r not in copies and {r["a"], r["b"]} & {f"d{doc}:1" for doc in range(1, 7)}]
    pairwise = _links(claims, LinkConfig(pair_model="off", crowd_min_docs=0))
    assert len([r for r in pairwise if r["a"].endswith(":1") and r["b"].endswith(":1")]) > len(copies)
    assert [(r["a"], r["b"]) for r in links] == sorted((r["a"], r["b"]) for r in links)


def test_below_the_threshold_nothing_changes():
    claims = _claims(4)
    config = LinkConfig(pair_model="off")
    links = _links(claims, config)
    assert not _copy_links(links) and links == _links(claims, LinkConfig(pair_model="off", crowd_min_docs=0))
    assert len(_copy_links(_links(claims, LinkConfig(pair_model="off", crowd_min_docs=4)))) == 3


def test_different_numbers_or_entities_are_no_crowd():
    assert crowd_key("250,000 offenders were supervised.") == crowd_key("Offenders: 250,000 were supervised")
    assert crowd_key("It rose from 25% to 30%.") != crowd_key("It rose from 30% to 25%.")
    assert crowd_key("250,000 offenders were supervised.") != crowd_key("260,000 offenders were supervised.")
    assert crowd_key(BOILERPLATE, ["nps"]) != crowd_key(BOILERPLATE, ["crc_london"])
    assert crowd_key("", []) == crowd_key("...", ["nps"]) == NO_KEY
    numbers = _claims(6, vary=lambda doc, text: text.replace("250,000", f"{250 + doc},000"))
    assert not _copy_links(_links(numbers, LinkConfig(pair_model="off")))
    named = _claims(6)
    for row in named:
        row["entity_ids"] = [f"crc_{row['doc_id']}"] if row["claim_id"].endswith(":1") else []
    assert not _copy_links(_links(named, LinkConfig(pair_model="off")))


def test_crowd_min_docs_zero_turns_crowds_off(tmp_path):
    claims = _claims(6)
    off = _links(claims, LinkConfig(pair_model="off", crowd_min_docs=0))
    assert not _copy_links(off)
    assert len([r for r in off if r["a"].endswith(":1") and r["b"].endswith(":1")]) == 15  # 6 copies pairwise
    # the run-folder path: copies are not encoded, and the links equal the in-memory path's
    for name, rows in (("claims", claims), ("quantities", []), ("entities", []),
                       ("documents", [{"doc_id": f"d{d}", "date": "2020"} for d in range(6)])):
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    matrix = _vectors(claims)
    encoded = []

    def embed(texts):
        encoded.extend(texts)
        return matrix[[[c["text"] for c in claims].index(t) for t in texts]]

    config = LinkConfig(pair_model="off")
    write_links(tmp_path, embed=embed, config=config)
    written = [json.loads(line) for line in (tmp_path / "links.jsonl").read_text().splitlines()]
    assert len(encoded) == len(claims) - 5 and written == _links(claims, config)
    # what `claims eval` counts as candidates: the copy pairs (bitmask 0) and none other with a copy
    from nlp.links.build import candidates_for_out_dir

    ids, pairs, masks = candidates_for_out_dir(tmp_path, embed=embed, config=config)
    copies = {ids.index(f"d{doc}:1") for doc in range(1, 6)}
    assert [(ids[i], ids[j]) for i, j in pairs[masks == 0].tolist()] == [("d0:1", f"d{d}:1") for d in range(1, 6)]
    assert not copies & set(pairs[masks > 0].ravel().tolist())


def test_the_corpus_links_are_unchanged_where_no_crowd_exists(seed_run, tmp_path):
    """The five seeds: no sentence recurs in five of them, so crowds change no link. A real
    sentence of theirs copied into five more documents becomes a crowd of five copy links."""
    import shutil

    from nlp.links.build import links_for_out_dir

    links = links_for_out_dir(seed_run)
    assert links and links == links_for_out_dir(seed_run, config=LinkConfig(crowd_min_docs=0))
    assert not _copy_links(links)
    for name in ("claims", "quantities", "entities", "documents"):
        shutil.copy(seed_run / f"{name}.jsonl", tmp_path / f"{name}.jsonl")
    rows = [json.loads(line) for line in (seed_run / "claims.jsonl").read_text(encoding="utf-8").splitlines()]
    claim = next(r for r in rows if r["claim_id"] == "001_561fdb856de98ebf:4")
    docs = [json.loads(line) for line in (seed_run / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    doc = next(d for d in docs if d["doc_id"] == claim["doc_id"])
    with open(tmp_path / "claims.jsonl", "a", encoding="utf-8") as claims, \
            open(tmp_path / "documents.jsonl", "a", encoding="utf-8") as documents:
        for n in range(5):
            claims.write(json.dumps(dict(claim, claim_id=f"zz{n}:0", doc_id=f"zz{n}", quantity_ids=[])) + "\n")
            documents.write(json.dumps(dict(doc, doc_id=f"zz{n}")) + "\n")
    crowded = links_for_out_dir(tmp_path)
    assert [(r["a"], r["b"]) for r in _copy_links(crowded)] == [(claim["claim_id"], f"zz{n}:0") for n in range(5)]
    assert all(r["a"] == claim["claim_id"] for r in crowded if r["b"].startswith("zz"))
