"""Unit tests of the pure quantity parser (nlp.quantities): one expression at a time, no spaCy."""

from __future__ import annotations

import math

import pytest

from nlp.quantities import find_quantities, parse_number, parse_quantity, parse_words
from nlp.quantities.periods import find_periods, nearest_period


@pytest.mark.parametrize(
    "text, value",
    [
        ("thirty eight", 38),
        ("Thirty-eight", 38),
        ("twelve", 12),
        ("a dozen", 12),
        ("two dozen", 24),
        ("one hundred", 100),
        ("two hundred and fifty", 250),
        ("two hundred and fifty thousand", 250_000),
        ("a million", 1_000_000),
        ("three million", 3_000_000),
        ("ninety-nine", 99),
    ],
)
def test_parse_words(text, value):
    assert parse_words(text) == value


@pytest.mark.parametrize("text", ["", "and", "thirty apples", "first"])
def test_parse_words_rejects(text):
    assert parse_words(text) is None


@pytest.mark.parametrize(
    "text, value, currency",
    [
        ("258,157", 258157, None),
        ("2.5", 2.5, None),
        ("£155m", 155_000_000, "gbp"),
        ("£1.2bn", 1_200_000_000, "gbp"),
        ("£500k", 500_000, "gbp"),
        ("£22 million", 22_000_000, "gbp"),
        ("$5m", 5_000_000, "other"),
        ("twelve", 12, None),
    ],
)
def test_parse_number(text, value, currency):
    assert parse_number(text) == (pytest.approx(value), currency)


# The issue's examples, one by one: (expression, value, value_high, unit, approx)
ISSUE_EXAMPLES = [
    ("258,157", 258157, None, "count", "exact"),
    ("2.5", 2.5, None, "count", "exact"),
    ("thirty eight", 38, None, "count", "exact"),
    ("twelve", 12, None, "count", "exact"),
    ("a dozen", 12, None, "count", "exact"),
    ("two-thirds", 0.6667, None, "fraction", "exact"),
    ("a third", 0.3333, None, "fraction", "exact"),
    ("half", 0.5, None, "fraction", "exact"),
    ("one in nine", 0.1111, None, "fraction", "exact"),
    ("eight out of ten", 0.8, None, "fraction", "exact"),
    ("a quarter of a million", 250_000, None, "count", "exact"),
    ("more than a quarter of a million", 250_000, None, "count", "more_than"),
    ("40 per cent", 40, None, "percent", "exact"),
    ("40 percent", 40, None, "percent", "exact"),
    ("40%", 40, None, "percent", "exact"),
    ("£155m", 155_000_000, None, "gbp", "exact"),
    ("£1.2bn", 1_200_000_000, None, "gbp", "exact"),
    ("£3,550", 3550, None, "gbp", "exact"),
    ("£22 million", 22_000_000, None, "gbp", "exact"),
    ("£500k", 500_000, None, "gbp", "exact"),
    ("70:30", 2.3333, None, "ratio", "exact"),
    ("between 5 and 10", 5, 10, "count", "exact"),
    ("5-10", 5, 10, "count", "exact"),
    ("5 to 10", 5, 10, "count", "exact"),
    ("between 5 and 10 per cent", 5, 10, "percent", "exact"),
    ("between £5bn and £20bn", 5e9, 2e10, "gbp", "exact"),
    ("18 months", 18, None, "months", "exact"),
    ("12 weeks", 12, None, "weeks", "exact"),
    ("5 working days", 5, None, "days", "exact"),
    ("two years", 2, None, "years", "exact"),
    ("over a decade", 10, None, "years", "more_than"),
    ("about 300", 300, None, "count", "about"),
    ("around 70 per cent", 70, None, "percent", "about"),
    ("nearly £300 million", 300_000_000, None, "gbp", "about"),
    ("almost a year", 1, None, "years", "about"),
    ("some 40", 40, None, "count", "about"),
    ("approximately 9%", 9, None, "percent", "about"),
    ("roughly half", 0.5, None, "fraction", "about"),
    ("circa 30,000", 30000, None, "count", "about"),
    ("c. 30,000", 30000, None, "count", "about"),
    ("an estimated £280 million", 280_000_000, None, "gbp", "about"),
    ("more than 50", 50, None, "count", "more_than"),
    ("over 650", 650, None, "count", "more_than"),
    ("above 10%", 10, None, "percent", "more_than"),
    ("in excess of 110 per cent", 110, None, "percent", "more_than"),
    ("upwards of 200", 200, None, "count", "more_than"),
    ("less than 24 months", 24, None, "months", "less_than"),
    ("under 18", 18, None, "count", "less_than"),
    ("fewer than half", 0.5, None, "fraction", "less_than"),
    ("below 5 per cent", 5, None, "percent", "less_than"),
    ("at least two", 2, None, "count", "at_least"),
    ("up to 12 weeks", 12, None, "weeks", "at_most"),
    ("no more than 50", 50, None, "count", "at_most"),
    ("a maximum of 20", 20, None, "count", "at_most"),
    ("4.5 per cent", 4.5, None, "percent", "exact"),
    ("one and a half years", 1.5, None, "years", "exact"),
    ("two and a half million", 2_500_000, None, "count", "exact"),
    ("half a million", 500_000, None, "count", "exact"),
    ("1 in 5", 0.2, None, "fraction", "exact"),
    ("some 20-25%", 20, 25, "percent", "about"),
    ("18-month", 18, None, "months", "exact"),
    ("5,000-10,000", 5000, 10000, "count", "exact"),
    ("up to £500k", 500_000, None, "gbp", "at_most"),
    ("£3.7 billion", 3.7e9, None, "gbp", "exact"),
    ("12 months or less", 12, None, "months", "at_most"),
    ("50 or more", 50, None, "count", "at_least"),
    ("18 and over", 18, None, "count", "at_least"),
]


@pytest.mark.parametrize("text, value, high, unit, approx", ISSUE_EXAMPLES, ids=[e[0] for e in ISSUE_EXAMPLES])
def test_parse_quantity(text, value, high, unit, approx):
    parsed = parse_quantity(text)
    assert parsed is not None
    assert parsed.value == pytest.approx(value, rel=5e-3)
    assert parsed.value_high == (None if high is None else pytest.approx(high))
    assert (parsed.unit, parsed.approx) == (unit, approx)


@pytest.mark.parametrize("text", [e[0] for e in ISSUE_EXAMPLES])
def test_expression_found_whole(text):
    """Each example, standing in a sentence, is found as one mention spanning exactly it."""
    sentence = f"We counted {text} in the sample."
    found = find_quantities(sentence)
    assert [sentence[f.start:f.end] for f in found] == [text]


@pytest.mark.parametrize("text", ["10 to 5", "between 9 and 3", "nine out of two", "thirty apples", ""])
def test_parse_quantity_rejects(text):
    assert parse_quantity(text) is None


@pytest.mark.parametrize(
    "text, period",
    [
        ("258,157 people were under probation supervision at the end of September 2018.",
         "the end of September 2018"),
        ("inspection of four NPS Divisions and 15 CRCs in 2018/2019.", "2018/2019"),
        ("Prior to 2014, 35 self-governing probation trusts delivered probation services", "Prior to 2014"),
        ("with over 650 vacancies in September 2019", "September 2019"),
        ("the additional £155m investment in probation in this financial year", "this financial year"),
    ],
)
def test_nearest_period(text, period):
    found = find_quantities(text)
    assert found
    span = nearest_period(find_periods(text), found[0].start, found[0].end)
    assert span is not None and text[span[0]:span[1]] == period


def test_no_period():
    text = "Two-thirds of the CRC staff we interviewed had a caseload of more than 50."
    assert find_periods(text) == []


@pytest.mark.parametrize(
    "text",
    ["No one knows", "one-to-one sessions", "on a one-off basis", "every one of them", "the 1990s",
     "in the first half of the year", "Q406 and Q3", "COVID-19 and Covid 19", "call 0207 123 4567",
     "at 10:30am", "see paragraph 4.1", "Chapter 4", "Guest Blog 84: the view", "on 1 April 2021",
     "the 4th report", "2019/20 and 2018-19", "4 The creation of the market"],
)
def test_not_amounts(text):
    assert [text[f.start:f.end] for f in find_quantities(text)] == []


@pytest.mark.parametrize("text", ["9" * 400, "9" * 400 + " per cent", "£" + "9" * 400 + "bn", "0:0", "0 out of 0",
                                  "1.2.3.4", ",,,", "£", "%", "between and"])
def test_degenerate_input(text):
    for f in find_quantities(text):
        assert math.isfinite(f.value)
