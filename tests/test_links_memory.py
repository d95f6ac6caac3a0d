"""The link step's bounded-memory machinery: numpy MinHash (bit for bit datasketch's), pair codes
sorted by claim id, chunked encoding, streaming writes in (a, b) order, the column-wise table."""

from __future__ import annotations

import json

import numpy as np
import pytest

from nlp.links import LinkConfig, claim_table, link_from_embeddings, write_links
from nlp.links.build import table_for_out_dir
from nlp.links.candidates import (SOURCE_ANN, SOURCE_BITS, SOURCE_BLOCK, SOURCE_LSH, id_rank, merge_sources,
                                  minhash_signatures, text_band_keys, band_keys)
from nlp.links.vectors import embed_vectors

# real claims of allowed documents (page-042, page-102, 001_561fdb856de98ebf)
TEXTS = [
    "There are more than 1,000 vacancies for probation officers across England and Wales.",
    "There are more than 1,000 vacancies for probation officers across England and Wales .",
    "The Government spent £467 million to bail out the Community Rehabilitation Companies.",
    "",
    "21 Community Rehabilitation Companies were set up in 2015.",
    "a",
]


def test_minhash_signatures_keep_their_values():
    """datasketch 2.0's values for these texts (checked against it when it was a dependency), so
    signatures, and hence LSH candidates, stay what they were."""
    found = minhash_signatures(TEXTS)
    assert found[0, :6].tolist() == [404408168, 62340639, 445937689, 117388549, 25220580, 83811223]
    assert found[3, :3].tolist() == [2882616585, 1212675061, 167206325]  # the empty claim's own shingle


def test_band_keys_do_not_depend_on_chunking():
    config = LinkConfig()
    whole = band_keys(minhash_signatures(TEXTS, config), config)
    assert whole.shape == (config.lsh_bands, len(TEXTS))
    assert (text_band_keys(TEXTS, config, chunk=2) == whole).all()
    assert (whole[:, 0] == whole[:, 1]).all() and not (whole[:, 0] == whole[:, 2]).any()


def test_id_rank_orders_claims_by_id():
    ids = ["doc:10", "doc:2", "a:1", "doc:1"]
    assert id_rank(ids).tolist() == [2, 3, 0, 1]


def test_merge_sources_keeps_every_finder():
    merged = merge_sources({SOURCE_ANN: np.array([3, 7]), SOURCE_LSH: np.array([7, 9]), SOURCE_BLOCK: np.array([7])})
    assert (merged >> SOURCE_BITS).tolist() == [3, 7, 9]
    assert (merged & 7).tolist() == [SOURCE_ANN, SOURCE_ANN | SOURCE_LSH | SOURCE_BLOCK, SOURCE_LSH]


def _vectors(n: int, dim: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((3, dim))
    x = centres[np.arange(n) % 3] + 0.05 * rng.standard_normal((n, dim))
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def test_embed_vectors_reads_the_width_and_chunks():
    calls = []

    def embed(texts):
        calls.append(len(texts))
        return _vectors(len(texts), 7)

    vectors = embed_vectors([str(n) for n in range(10)], embed, LinkConfig(embed_chunk=4))
    assert calls == [4, 4, 2] and vectors.matrix.shape == (10, 7)


def _claims(n_docs: int) -> list[dict]:
    """The same few real sentences repeated across documents, listed with ids out of order."""
    rows = []
    for doc in range(n_docs):
        for n, text in enumerate(TEXTS[:3] + TEXTS[4:5]):
            rows.append({"claim_id": f"d{n_docs - doc}:{10 - n}", "doc_id": f"d{n_docs - doc}", "text": text,
                         "quantity_ids": [], "entity_ids": [], "date": "2020"})
    return rows


def _write_run(folder, claims):
    for name, rows in (("claims", claims), ("quantities", []), ("entities", []),
                       ("documents", [{"doc_id": c["doc_id"], "date": "2020"} for c in claims])):
        (folder / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


# crowd_min_docs=0: the same sentences in every document are crowds (tests/test_links_crowds.py);
# these tests are about streaming the pairwise links of such repeats
@pytest.mark.parametrize("config", [LinkConfig(crowd_min_docs=0),
                                    LinkConfig(exact_below=2, embed_chunk=5, query_chunk=3, chunk=7, crowd_min_docs=0)])
def test_written_links_stream_sorted_and_equal_the_list(tmp_path, config):
    claims = _claims(6)
    matrix = _vectors(len(claims), 16)
    pos = [0]

    def embed(texts):  # the run's file order, in whatever chunks the link step asks for
        out = matrix[pos[0]:pos[0] + len(texts)]
        pos[0] += len(texts)
        return out

    _write_run(tmp_path, claims)
    count = write_links(tmp_path, embed=embed, config=config)
    written = [json.loads(line) for line in (tmp_path / "links.jsonl").read_text().splitlines()]
    expected = link_from_embeddings(matrix, claim_table(claims, [], [], []), config=config)
    assert count == len(written) == len(expected) > 0
    assert [(r["a"], r["b"]) for r in written] == sorted((r["a"], r["b"]) for r in written)
    assert written == expected


def test_table_from_files_equals_the_table_of_rows(tmp_path):
    claims = _claims(2)
    _write_run(tmp_path, claims)
    from_files = table_for_out_dir(tmp_path)
    from_rows = claim_table(claims, [], [], [{"doc_id": c["doc_id"], "date": "2020"} for c in claims])
    assert from_files.ids == from_rows.ids and from_files.words == from_rows.words
    assert list(from_files.word_norms) == list(from_rows.word_norms) and from_files.scope == from_rows.scope


def test_spilled_vectors_read_back_bit_for_bit(tmp_path):
    matrix = _vectors(50, 9)
    config = LinkConfig(exact_below=10, embed_chunk=7)
    pos = [0]

    def embed(texts):
        out = matrix[pos[0]:pos[0] + len(texts)]
        pos[0] += len(texts)
        return out

    vectors = embed_vectors([str(n) for n in range(50)], embed, config, spill_dir=str(tmp_path))
    assert vectors.matrix is None and vectors.dim == 9 and len(vectors) == 50
    assert (vectors.block(10, 23) == matrix[10:23]).all()
    vectors.index(config)
    vectors.release()
    assert vectors.matrix is None and (vectors.rows(np.array([3, 1])) == matrix[[3, 1]]).all()
    assert (vectors.matrix == matrix).all() and (vectors.rows(np.array([3, 1])) == matrix[[3, 1]]).all()


def test_file_texts_read_claims_from_the_file(tmp_path):
    claims = _claims(2)
    _write_run(tmp_path, claims)
    with open(tmp_path / "claims.jsonl", "a", encoding="utf-8") as handle:
        handle.write("\n")  # a blank line is skipped, as load_rows skips it
    texts = table_for_out_dir(tmp_path).texts
    expected = [c["text"] for c in claims]
    assert len(texts) == len(expected) and list(texts) == expected
    assert texts[2:5] == expected[2:5] and texts[-1] == expected[-1] and texts[::3] == expected[::3]
    rows = np.array([1, 2, 5, len(expected) - 1])  # a subset skips rows (crowd copies are not encoded)
    assert list(texts.subset(rows)) == [expected[i] for i in rows] and texts.subset(rows)[1:3] == expected[2:6:3]


def _claims_with_figures(n_docs: int) -> tuple[list[dict], list[dict]]:
    """Claims whose figures share a measure (so measure blocks find pairs) in n_docs documents."""
    claims, quantities = [], []
    for doc in range(n_docs):
        for n, (text, figure, value) in enumerate((
                ("There are more than 1,000 vacancies for probation officers.", "more than 1,000", 1000),
                ("Probation officer vacancies stood at 650 in September 2019.", "650", 650))):
            cid, qid = f"d{doc}:{n}", f"d{doc}:q{n}"
            claims.append({"claim_id": cid, "doc_id": f"d{doc}", "text": text, "quantity_ids": [qid],
                           "entity_ids": [], "date": f"20{15 + doc}"})
            quantities.append({"quantity_id": qid, "text": figure, "value": value, "value_high": None,
                               "unit": "count", "approx": "over" if "more" in figure else "exact",
                               "measure": "vacancies", "period": None})
    return claims, quantities


def test_links_of_a_run_folder_drop_the_index_before_the_table_is_built(tmp_path, monkeypatch):
    """The two big things of the link step (the ANN index, the claim table) never coexist, and
    the measure blocks found after the index is gone still reach the links."""
    from nlp.links import table as table_module
    from nlp.links.vectors import Vectors

    claims, quantities = _claims_with_figures(5)
    _write_run(tmp_path, claims)
    (tmp_path / "quantities.jsonl").write_text("".join(json.dumps(q) + "\n" for q in quantities), encoding="utf-8")
    matrix = _vectors(len(claims), 8)
    pos = [0]

    def embed(texts):
        out = matrix[pos[0]:pos[0] + len(texts)]
        pos[0] += len(texts)
        return out

    events, live = [], []
    build_table, release = table_module.table_from_files, Vectors.release
    monkeypatch.setattr(table_module, "table_from_files",
                        lambda *a, **k: (events.append(("table", any(v._index is not None for v in live))),
                                         build_table(*a, **k))[1])
    real_index = Vectors.index

    def index(self, config):
        live.append(self)
        return real_index(self, config)

    monkeypatch.setattr(Vectors, "index", index)
    monkeypatch.setattr(Vectors, "release", lambda self: (events.append(("release", None)), release(self))[1])
    config = LinkConfig(exact_below=2, spill_vectors=False, crowd_min_docs=0)  # every document repeats both claims
    write_links(tmp_path, embed=embed, config=config)
    assert events == [("release", None), ("table", False)]
    written = [json.loads(line) for line in (tmp_path / "links.jsonl").read_text().splitlines()]
    docs = [{"doc_id": f"d{d}", "date": f"20{15 + d}"} for d in range(5)]
    assert written == link_from_embeddings(matrix, claim_table(claims, quantities, [], docs), config=config)
    assert any("block" in row["found_by"] for row in written)


def test_the_ann_index_gives_the_same_neighbours_on_every_build():
    """Every vector ten times over, so each claim has many equally near neighbours: a graph built
    on several threads picks among them differently from run to run; the default build does not."""
    from nlp.links.candidates import iter_ann
    from nlp.links.vectors import Vectors

    matrix = np.repeat(_vectors(300, 16, seed=3), 10, axis=0)
    config = LinkConfig()
    runs = [np.concatenate([idx for _, idx, _ in iter_ann(Vectors(matrix), config.k, config)]) for _ in range(3)]
    assert all((run == runs[0]).all() for run in runs[1:])
