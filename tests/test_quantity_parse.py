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
    # ranges: the scale written once on the top end, the unit on both ends, either order after 'between'
    ("£7-10bn", 7e9, 1e10, "gbp", "exact"),
    ("between 9.5 and 13 billion pounds", 9.5e9, 1.3e10, "gbp", "exact"),
    ("between 5 and 10 million", 5e6, 1e7, "count", "exact"),
    ("between 500 and 1 million", 500, 1e6, "count", "exact"),
    ("20%-30%", 20, 30, "percent", "exact"),
    ("between 16% and 48%", 16, 48, "percent", "exact"),
    ("between 9 and 3", 3, 9, "count", "exact"),
    ("between the ages of 12 and 18", 12, 18, "years", "exact"),
    # money with the scale glued on, or abbreviated
    ("£467million", 467e6, None, "gbp", "exact"),
    ("£3.7billion", 3.7e9, None, "gbp", "exact"),
    ("£22 mill", 22e6, None, "gbp", "exact"),
    # vague amounts, read as their least value
    ("thousands", 1000, None, "count", "at_least"),
    ("Hundreds", 100, None, "count", "at_least"),
    ("tens of thousands", 10_000, None, "count", "at_least"),
    ("hundreds of thousands", 100_000, None, "count", "at_least"),
    ("hundreds of millions of pounds", 1e8, None, "gbp", "at_least"),
    ("thousands of pounds", 1000, None, "gbp", "at_least"),
    ("over thousands", 1000, None, "count", "more_than"),
    ("a couple of years", 2, None, "years", "about"),
    ("a couple of days", 2, None, "days", "about"),
    ("a decade", 10, None, "years", "exact"),
    # proportions and splits
    ("20 out of the 21", 0.9524, None, "fraction", "exact"),
    ("six out of every ten", 0.6, None, "fraction", "exact"),
    ("£4 in every £10", 0.4, None, "fraction", "exact"),
    ("70/30", 2.3333, None, "ratio", "exact"),
    ("halved", 0.5, None, "fraction", "exact"),
    ("8,294.5 square metres", 8294.5, None, "other", "exact"),
    # approximation cues
    ("in the region of £8bn", 8e9, None, "gbp", "about"),
    ("within 12 months", 12, None, "months", "at_most"),
    ("within the next two years", 2, None, "years", "at_most"),
    ("as high as 35 per cent", 35, None, "percent", "at_most"),
    ("up to a max of 30 weeks", 30, None, "weeks", "at_most"),
    ("2 years minimum", 2, None, "years", "at_least"),
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


@pytest.mark.parametrize("text", ["10 to 5", "nine out of two", "thirty apples", "", "45/50",
                                  "millions", "20% to 30 years"])
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


@pytest.mark.parametrize(
    "sentence, mentions",
    [
        # a multiple compared with something is a ratio; 'revised 2 times' is a count; a forum's
        # 'edited 2 times' is furniture
        ("Their rate is approximately three times that of Spain and almost twice as high as France.",
         [("approximately three times", 3, "ratio", "about"), ("almost twice", 2, "ratio", "about")]),
        ("The plan was revised 2 times in total.", [("2", 2, "count", "exact")]),
        ("The post was edited 2 times in total.", []),
        # a minus sign just inside a bracket: a fall; a dash between words is no sign
        ("Timeliness fell (-17) and so did referrals (- 12 percentage points).",
         [("-17", -17, "count", "exact"), ("- 12 percentage points", -12, "other", "exact")]),
        ("The team - 12 people in all - met.", [("12", 12, "count", "exact")]),
        # 'from X to Y' is two figures, not a range
        ("The share rose from 3% to 36%.", [("3%", 3, "percent", "exact"), ("36%", 36, "percent", "exact")]),
        # an age
        ("Offenders aged 18 and over are supervised; aged 21 I joined.",
         [("18 and over", 18, "years", "at_least"), ("21", 21, "years", "exact")]),
        # a count after a name in brackets is an amount; an inline list number is not
        ("The owners are Acme (6), Bolt (5) and Crane (1).",
         [("6", 6, "count", "exact"), ("5", 5, "count", "exact"), ("1", 1, "count", "exact")]),
        ("We ask that (1) the cost and (2) the quality be reviewed.", []),
        ("A couple of the staff agreed.", [("A couple", 2, "count", "about")]),
        ("A married couple who live here.", []),
        # a bare number listed before a duration takes its unit; not before a percent
        ("Results after 3, 6 or 9 months.", [("3", 3, "months", "exact"), ("6", 6, "months", "exact"),
                                             ("9 months", 9, "months", "exact")]),
        ("Fewer (by 63 or 1.7%) than before.", [("63", 63, "count", "exact"), ("1.7%", 1.7, "percent", "exact")]),
        # 'within a year' is a time limit, 'less than a year' an amount
        ("Most reoffend within a year of release.", []),
        ("Sentences of less than a year.", [("less than a year", 1, "years", "less_than")]),
        # a figure after an ellipsis
        ("The turnout.........15% only.", [("15%", 15, "percent", "exact")]),
    ],
)
def test_in_context(sentence, mentions):
    found = [(sentence[f.start:f.end], f.value, f.unit, f.approx) for f in find_quantities(sentence)]
    assert found == [(m, pytest.approx(v, rel=5e-3), u, a) for m, v, u, a in mentions]


def test_no_period():
    text = "Two-thirds of the CRC staff we interviewed had a caseload of more than 50."
    assert find_periods(text) == []


@pytest.mark.parametrize(
    "text",
    ["No one knows", "one-to-one sessions", "on a one-off basis", "every one of them", "the 1990s",
     "in the first half of the year", "Q406 and Q3", "COVID-19 and Covid 19", "call 0207 123 4567",
     "at 10:30am", "see paragraph 4.1", "Chapter 4", "Guest Blog 84: the view", "on 1 April 2021",
     "the 4th report", "2019/20 and 2018-19", "4 The creation of the market",
     # citations, codes and labels
     "DOI: 10.1234/0012345678901", "Probation Quarterly 12(3) 45–67", "PRB123456 45..67", "(HL Deb, 3 May 2012, col 210)",
     "[Official Report, 2 July 2009; Vol. 480, c. 12.]", "(Smith, 2019: 9)", "ISSN 1234-5678", "the FTSE 100 index",
     "on BBC 4 after the ITV 2 news", "Written evidence from Acme (PB 12)", "#7 The view", "TR Week Two", "Day 1 plans",
     "ready from day one", "on a scale of one to 10", "see Bands 2, 3 and 4",
     # footnote markers glued to a word, a year or a quote
     "as announced last month,3 but later", "published in May 2020,4 and in June 2020;5 then", "in 2016–17.4 The",
     "ended in December 20191. By then", "in June 2021[1]. Whilst", "as the report said.”12 Then",
     # paragraph and list numbers inside flattened text
     "the plans. 1. Introduction This paper", "the conclusions:  1: Voluntary groups", "payment  245.  Although it",
     "to:  1)Draw up a plan", "Motion on Amendments 15:09 and Amendment 2",
     # dates, times and page stamps
     "Monday 2nd June 2014  (10 years, 4 months ago)  Lords Chamber", "Monday 2nd June 2014  (11 years ago)",
     "By Jo Bloggs  LONDON, Oct 29 (Reuters)", "Posted 1, November 2013", "the period to 31 3 21 which",
     "in the 12 months to 30 June 2022", "Last modified on 21 May 2019 04.14 EDT", "Post on 22-Jan-2022",
     # 'one' that does not count, and idioms
     "the unit can deliver a golden one", "One former official says so", "the new One HMPPS structure",
     "I for one will be glad", "picked off one by one", "heard from a third party", "a two-tier service",
     "a zero tolerance approach",
     "This is one reason why", "One such company failed"],
)
def test_not_amounts(text):
    assert [text[f.start:f.end] for f in find_quantities(text)] == []


@pytest.mark.parametrize("text", ["9" * 400, "9" * 400 + " per cent", "£" + "9" * 400 + "bn", "0:0", "0 out of 0",
                                  "1.2.3.4", ",,,", "£", "%", "between and"])
def test_degenerate_input(text):
    for f in find_quantities(text):
        assert math.isfinite(f.value)


def test_the_measure_forms_come_from_the_vocabulary_beside_the_lexicon(tmp_path):
    import shutil

    from nlp.quantities.lexicon import DATA_PATH, load_lexicon

    shipped = load_lexicon()
    assert shipped.whole_measure_forms  # nlp/data/measures.toml names the forms of the CRCs and the like
    shutil.copy(DATA_PATH, tmp_path / "quantities.json")
    ids = ", ".join(f'"{i}"' for i in shipped.whole_measures)
    (tmp_path / "measures.toml").write_text(
        "".join(f'[[measure]]\nid = "{i}"\nquantity_measures = ["made-up bodies of {i}"]\n'
                for i in shipped.whole_measures), encoding="utf-8")
    beside = load_lexicon(str(tmp_path / "quantities.json"))
    assert beside.whole_measure_forms == tuple(f"made-up bodies of {i}" for i in shipped.whole_measures), ids
