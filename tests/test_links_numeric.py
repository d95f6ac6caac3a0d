"""Numeric reasoning of cross-source linking: figures as intervals, periods, agreement.

Phrasings are real quantities from the seeds and allowed corpus pages, with the fields the
quantity component writes for them.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.links.config import LinkConfig
from nlp.links.numeric import Figure, Interval, agreement, figure_interval, parse_period
from nlp.links.resources import load_resources

RES = load_resources()
CFG = LinkConfig()


def q(text, value, unit="count", approx="exact", value_high=None, measure=None, period=None):
    return {"text": text, "value": value, "unit": unit, "approx": approx, "value_high": value_high,
            "measure": measure, "period": period, "quantity_id": text}


def fig(row) -> Figure:
    family, value, interval = figure_interval(row, RES, CFG)
    return Figure(row["quantity_id"], row["text"], family, value, interval, row.get("measure") or "",
                  frozenset(), parse_period(row.get("period")))


INTERVALS = [
    # (quantity row, expected family, lo, hi)
    (q("More than a quarter of a million", 250000, approx="more_than"), "count", 250000, math.inf),
    (q("258,157", 258157), "count", 258156.5, 258157.5),
    (q("nearly £300 million", 300e6, unit="gbp", approx="about"), "gbp", 270e6, 300e6),
    (q("an estimated £280 million", 280e6, unit="gbp", approx="about"), "gbp", 252e6, 308e6),
    (q("over 650", 650, approx="more_than"), "count", 650, math.inf),
    (q("483", 483), "count", 482.5, 483.5),
    (q("650", 650), "count", 649.5, 650.5),
    (q("1,000", 1000), "count", 950, 1050),
    (q("Two-thirds", 0.6667, unit="fraction"), "share", 64.17, 69.17),
    (q("66%", 66, unit="percent"), "share", 65.5, 66.5),
    (q("5.7%", 5.7, unit="percent"), "share", 5.65, 5.75),
    (q("more than half", 0.5, unit="fraction", approx="more_than"), "share", 50, 100),
    (q("less than one third", 0.3333, unit="fraction", approx="less_than"), "share", 0, 33.33),
    (q("between £5bn and £20bn", 5e9, unit="gbp", value_high=20e9), "gbp", 5e9, 20e9),
    (q("Just over 100,000", 100000, approx="more_than"), "count", 100000, 110000),
    (q("12 weeks", 12, unit="weeks"), "duration", 80.5, 87.5),
]


@pytest.mark.parametrize("row,family,lo,hi", INTERVALS, ids=[r[0]["text"] for r in INTERVALS])
def test_interval_from_approx(row, family, lo, hi):
    got_family, _, interval = figure_interval(row, RES, CFG)
    assert got_family == family
    assert interval.lo == pytest.approx(lo, rel=1e-3)
    assert interval.hi == pytest.approx(hi, rel=1e-3) if hi != math.inf else interval.hi == math.inf


PERIODS = [
    ("September 2019", "2019-09"),
    ("the end of September 2018", "2018-09"),
    ("the year to June 2020", "2020-06"),
    ("As at 30 September 2020", "2020-09"),
    ("2018/2019", "2018/19"),
    ("since 2003/2004", "2003/04"),
    ("Prior to 2014", "2014"),
    ("By March 2018", "2018-03"),
    ("this financial year", None),
    ("the past year", None),
    (None, None),
]


@pytest.mark.parametrize("text,label", PERIODS)
def test_parse_period(text, label):
    period = parse_period(text)
    assert (period.label if period else None) == label


@pytest.mark.parametrize("a,b,compatible", [
    ("2019", "September 2019", True),
    ("2018/2019", "October 2018", True),
    ("2018/2019", "June 2019", False),
    ("September 2019", "June 2020", False),
    ("2014", "2015", False),
])
def test_period_compatibility(a, b, compatible):
    assert parse_period(a).compatible(parse_period(b)) is compatible
    assert parse_period(b).compatible(parse_period(a)) is compatible


AGREEMENT = [
    # real phrasings: 001 press release vs page-042 Commons statement
    (q("258,157", 258157), q("more than a quarter of a million", 250000, approx="more_than"), True),
    # 003 blog, same measure given for September 2019 and June 2020
    (q("over 650", 650, approx="more_than"), q("483", 483), False),
    (q("Two-thirds", 0.6667, unit="fraction"), q("66%", 66, unit="percent"), True),
    (q("1,000", 1000), q("a thousand", 1000), True),
    (q("£1.2bn", 1.2e9, unit="gbp"), q("£1,200m", 1.2e9, unit="gbp"), True),
    (q("nearly £300 million", 300e6, unit="gbp", approx="about"), q("£269 million", 269e6, unit="gbp"), False),
    # 000 testimony vs 003 blog: the same 2020/21 investment, no approximation cue
    (q("£155m", 155e6, unit="gbp"), q("£150 million", 150e6, unit="gbp"), False),
    # a loose bound says nothing about a figure far above it
    (q("1,000", 1000), q("more than 800", 800, approx="more_than"), None),
    # figures far apart are different measures, not updates
    (q("2", 2), q("220,000", 220000), None),
    # rounding intervals that only touch do not agree
    (q("12", 12), q("11", 11), False),
    # a figure at a bound's edge is not inside it (003 blog vs 004 briefing)
    (q("fewer than half", 0.5, unit="fraction", approx="less_than"), q("half", 0.5, unit="fraction"), False),
    # two bounds on one side are two figures (gold update 004 (2015) -> 003 (2020))
    (q("fewer than half", 0.5, unit="fraction", approx="less_than"),
     q("less than two thirds", 0.6667, unit="fraction", approx="less_than"), False),
    (q("more than 800", 800, approx="more_than"), q("more than 850", 850, approx="more_than"), True),
]


@pytest.mark.parametrize("a,b,expected", AGREEMENT, ids=[f"{a['text']}~{b['text']}" for a, b, _ in AGREEMENT])
def test_agreement(a, b, expected):
    assert agreement(fig(a), fig(b), CFG) is expected
    assert agreement(fig(b), fig(a), CFG) is expected


APPROX = st.sampled_from(["exact", "about", "more_than", "less_than", "at_least", "at_most"])
UNITS = st.sampled_from(["count", "percent", "gbp", "days", "years"])


@settings(max_examples=200, deadline=None)
@given(value=st.floats(min_value=0.01, max_value=1e9), approx=APPROX, unit=UNITS)
def test_interval_holds_its_value(value, approx, unit):
    if unit == "percent":
        value = min(value, 100.0)
    family, base, interval = figure_interval(q(f"{value:g}", value, unit=unit, approx=approx), RES, CFG)
    assert interval.lo <= base <= interval.hi or math.isclose(base, interval.lo) or math.isclose(base, interval.hi)
    assert interval.lo <= interval.hi


@settings(max_examples=200, deadline=None)
@given(a=st.tuples(st.floats(0, 1e6), st.floats(0, 1e6)), b=st.tuples(st.floats(0, 1e6), st.floats(0, 1e6)))
def test_meets_is_symmetric(a, b):
    x, y = Interval(min(a), max(a)), Interval(min(b), max(b))
    assert x.meets(y) == y.meets(x)
