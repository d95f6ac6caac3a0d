"""The word-list cues (nlp/stance/lexicon.py over nlp/data/stance_lexicon.toml) on made-up lines."""

from __future__ import annotations

import pandas as pd
import pytest

from nlp.stance.lexicon import NAMES, LexiconFeatures


def _cues(*texts: str) -> list[dict[str, float]]:
    rows = LexiconFeatures().fit(None).transform(pd.DataFrame({"text": list(texts)}))
    return [dict(zip(NAMES, row)) for row in rows]


def test_criticism_of_the_privatised_model_reads_as_private_and_negative():
    crc, public, neutral = _cues("The CRCs have failed and the split was a botched privatisation.",
                                 "We welcome the return of probation to a unified public sector service.",
                                 "The meeting was held on Tuesday in Leeds.")
    assert crc["private_negative"] > 0 and crc["public_positive"] == 0
    assert public["public_positive"] > 0 and public["private_negative"] == 0
    assert all(v == 0 for v in neutral.values())


def test_a_negation_before_an_evaluation_word_flips_it():
    plain, negated, far = _cues("The model has been a failure.", "The model has not been a failure.",
                                "No one doubts the plan, which has been working and yet is a failure.")
    assert plain["negative"] > 0 and plain["positive"] == 0
    assert negated["positive"] > 0 and negated["negative"] == 0
    assert far["negative"] > 0  # `No` is more than three words before `failure`


def test_hedges_and_modals_are_counted():
    (row,) = _cues("Reunification is welcome, but the service must ensure the transition does not disrupt work.")
    assert row["qualified"] > 0 and row["qualified_public"] > 0 and row["modal"] > 0


@pytest.mark.parametrize("text", ["", "   ", "£5m"])
def test_empty_or_symbol_only_text_gives_zeros(text):
    assert all(v == 0 for v in _cues(text)[0].values())


def test_a_curly_apostrophe_negation_flips_like_a_straight_one():
    straight, curly = _cues("The model isn't a failure.", "The model isn’t a failure.")
    assert curly == straight
    assert curly["negation"] > 0 and curly["positive"] > 0 and curly["negative"] == 0  # "failure" flipped


def test_left_and_right_curly_quotes_around_a_word_do_not_join_it():
    (quoted,) = _cues("They called it a \u2018failure\u2019 and moved on.")
    assert quoted["negative"] > 0 and quoted["negation"] == 0
