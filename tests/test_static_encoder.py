"""The static sentence encoder (nlp/encoders/static.py) on real sentences from the seed documents.

No torch: the shipped vectors in models/encoder/ and the packaged tokenizer.json only.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from nlp.encoders import StaticEncoder
from nlp.encoders.static import load_tokenizer, pool, token_ids
from nlp.errors import InputError

from .conftest import span

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "models" / "encoder"

# 000_57d1069afaf7de82 (written evidence of HM Chief Inspector of Probation, train split)
REFORM = ("The reunification of probation services will not improve performance on its own – "
          "it is not a magic bullet.")
REFORM_REPEAT = ("The reunification of probation services will not, on its own, improve performance – "
                 "it is not a magic bullet.")
ROLE = ("Probation services play a crucial role in rehabilitating individuals and protecting the public.")
UNRELATED = ("I am submitting evidence on behalf of HM Chief Inspector of Probation Justin Russell.")
OTHER = (span("pool-279", 1142, 1196))


@pytest.fixture(scope="module")
def encoder() -> StaticEncoder:
    if not FOLDER.is_dir():
        pytest.skip("models/encoder not built (research/distill_encoder.py)")
    return StaticEncoder.load(FOLDER)


def test_shapes_and_unit_length(encoder):
    out = encoder.encode([REFORM, ROLE, UNRELATED], batch_size=2, show_progress_bar=False,
                         convert_to_numpy=True, normalize_embeddings=True)
    assert out.shape == (3, encoder.dim) and out.dtype == np.float32
    assert encoder.get_sentence_embedding_dimension() == encoder.dim == encoder.meta["dims"]
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_deterministic_and_batch_independent(encoder):
    texts = [REFORM, ROLE, UNRELATED, OTHER, REFORM_REPEAT]
    a = encoder.encode(texts, batch_size=2)
    b = encoder.encode(list(reversed(texts)), batch_size=64)[::-1]
    np.testing.assert_allclose(a, b, atol=1e-6)
    np.testing.assert_array_equal(a, encoder.encode(texts, batch_size=2))


def test_near_repeat_closer_than_unrelated(encoder):
    v = encoder.encode([REFORM, REFORM_REPEAT, UNRELATED, OTHER])
    repeat = float(v[0] @ v[1])
    assert repeat > 0.9
    assert repeat > float(v[0] @ v[2]) and repeat > float(v[0] @ v[3])


def test_empty_input(encoder):
    assert encoder.encode([]).shape == (0, encoder.dim)
    out = encoder.encode(["", REFORM, "   "])
    np.testing.assert_array_equal(out[0], 0.0)
    np.testing.assert_array_equal(out[2], 0.0)
    np.testing.assert_allclose(np.linalg.norm(out[1]), 1.0, atol=1e-5)


def test_very_long_input(encoder):
    long = " ".join([REFORM, ROLE, UNRELATED] * 400)  # ~12,000 word pieces: capped, still one unit vector
    out = encoder.encode([long, ROLE])
    assert out.shape == (2, encoder.dim) and np.isfinite(out).all()
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def test_single_string_gives_one_vector(encoder):
    np.testing.assert_allclose(encoder.encode(ROLE), encoder.encode([ROLE])[0])


def test_no_torch_at_inference():
    """In a fresh interpreter: other tests of this session import torch."""
    import subprocess

    code = ("import sys; from nlp.stance.encoder import load_encoder, embed; "
            "v = embed(load_encoder('static'), ['Probation was reunified in June 2021.']); "
            "print(v.shape[1], 'torch' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          cwd=Path(__file__).resolve().parents[1])
    assert done.stdout.split() == ["128", "False"]


def test_pool_matches_a_python_sum():
    tokenizer = load_tokenizer()
    vectors = np.random.default_rng(0).normal(size=(tokenizer.get_vocab_size(), 8)).astype(np.float32)
    texts = ["", REFORM, "", ROLE, ""]
    ids, offsets = token_ids(tokenizer, texts)
    sums = pool(vectors, ids, offsets)
    for i, text in enumerate(texts):
        expected = vectors[tokenizer.encode(text, add_special_tokens=False).ids].sum(axis=0)
        np.testing.assert_allclose(sums[i], expected, rtol=1e-5, atol=1e-5)


def test_missing_folder_is_a_named_error(tmp_path):
    with pytest.raises(InputError, match="E009"):
        StaticEncoder.load(tmp_path / "nowhere")
