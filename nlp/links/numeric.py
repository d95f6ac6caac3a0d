"""Figures as intervals, periods as dates, and what two figures for one measure say together.

`about 300m` is read as [270m, 330m], `more than a quarter of a million` as (250000, inf),
`650` as [645, 655] (the rounding its digits imply), `two-thirds` as 66.7 % +/- 2.5 points. Two
figures agree when their intervals meet; they disagree when they do not.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from .config import LinkConfig
from .resources import Resources

INF = math.inf
_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_YEAR = re.compile(r"\b((?:19|20)\d\d)(?:\s*[/-]\s*((?:19|20)?\d\d))?\b")
_MONTHS = {m: i for i, m in enumerate(("january", "february", "march", "april", "may", "june", "july", "august",
                                        "september", "october", "november", "december"), 1)}
_MONTH = re.compile(r"\b(" + "|".join(list(_MONTHS) + [m[:3] for m in _MONTHS if m != "may"]) + r")\b", re.I)
_DATE = re.compile(r"^((?:19|20)\d\d)(?:-(\d\d))?")
_RELATIVE = re.compile(r"\b(this|the current|current|next|last|the last|the previous|previous)\s+(financial\s+)?year\b",
                       re.I)
_OFFSET = {"next": 1, "last": -1, "previous": -1}


@dataclass(frozen=True, slots=True)
class Interval:
    lo: float
    hi: float

    def meets(self, other: "Interval") -> bool:
        """True when the intervals share more than an end point (`11` [10.5, 11.5] and `12`
        [11.5, 12.5] do not), or are the same point."""
        if self.lo == self.hi == other.lo == other.hi:
            return True
        return self.lo < other.hi and other.lo < self.hi

    @property
    def bounded(self) -> bool:
        return self.hi != INF and self.lo > 0

    def describe(self, family: str) -> str:
        if self.hi == INF:
            return f">{_fmt(self.lo, family)}"
        if self.lo <= 0 and family != "share":
            return f"<{_fmt(self.hi, family)}"
        if math.isclose(self.lo, self.hi):
            return _fmt(self.lo, family)
        return f"{_fmt(self.lo, family)}-{_fmt(self.hi, family)}"


@dataclass(frozen=True, slots=True)
class Period:
    """A period read from text: `label` is `2019-09`, `2018/19` or `2019`; `first`/`last` are the
    months it covers (year * 12 + month - 1), so periods of different grain can be compared."""

    label: str
    first: int
    last: int

    @property
    def key(self) -> float:
        return (self.first + self.last) / 2

    def compatible(self, other: "Period") -> bool:
        """True when the two may be the same time (`2019` and `2019-09`; `2018/19` and `2018-10`)."""
        return self.first <= other.last and other.first <= self.last


def _period(year: int, month: int | None = None, *, fiscal: bool = False) -> Period:
    if fiscal:
        return Period(f"{year}/{(year + 1) % 100:02d}", year * 12 + 3, year * 12 + 14)
    if month:
        return Period(f"{year}-{month:02d}", year * 12 + month - 1, year * 12 + month - 1)
    return Period(str(year), year * 12, year * 12 + 11)


@dataclass(frozen=True, slots=True)
class Figure:
    """One quantity of a claim, ready to compare."""

    quantity_id: str
    text: str
    family: str
    value: float
    interval: Interval
    measure: str
    measure_words: frozenset
    period: Period | None
    exact: bool = False  # written as a plain number (no about/over/range): `21`, not `about 20`


def _fmt(x: float, family: str) -> str:
    if family == "share":
        return f"{x:.3g}%"
    if family == "gbp":
        if abs(x) >= 1e9:
            return f"£{x / 1e9:.3g}bn"
        if abs(x) >= 1e6:
            return f"£{x / 1e6:.4g}m"
        return f"£{x:,.0f}"
    if family == "duration":
        return f"{x:.4g} days"
    return f"{x:,.4g}" if x < 1e5 else f"{x:,.0f}"


def relative_period(text: str, anchor: Period | None) -> Period | None:
    """`this year` / `next year` / `last year` / `this financial year` read against the document
    date `anchor` (`this financial year` in a September 2020 text is 2020/21); None without one."""
    match = _RELATIVE.search(text)
    if match is None or anchor is None:
        return None
    year, month = anchor.first // 12, anchor.first % 12 + 1
    year += _OFFSET.get(match.group(1).lower().split()[-1], 0)
    if match.group(2):  # UK financial year, April to March
        known_month = anchor.first == anchor.last
        return _period(year - 1 if known_month and month < 4 else year, fiscal=True)
    return _period(year)


def parse_period(text: str | None, anchor: Period | None = None) -> Period | None:
    """`September 2019` -> 2019-09; `2018/2019` -> 2018/19; `2014` -> 2014; `this year` -> the
    year of `anchor` (the document date); no year -> None."""
    if not text:
        return None
    year_match = _YEAR.search(text)
    if not year_match:
        return relative_period(text, anchor)
    year = int(year_match.group(1))
    if year_match.group(2):
        second = int(year_match.group(2)) % 100
        if second == (year + 1) % 100:
            return _period(year, fiscal=True)
    month_match = _MONTH.search(text)
    month = _MONTHS.get(month_match.group(1).lower()) if month_match else None
    if month is None and month_match:
        month = next(i for m, i in _MONTHS.items() if m.startswith(month_match.group(1).lower()))
    return _period(year, month)


def date_period(date: str | None) -> Period | None:
    """A document date (`2020-09`, `2020-12-04`, `2020`) as a Period."""
    match = _DATE.match(date or "")
    if not match:
        return None
    return _period(int(match.group(1)), int(match.group(2)) if match.group(2) else None)


def rounding(text: str, value: float, cap: float) -> float:
    """Half a unit of the last significant digit written (`5.7%` -> 0.05, `258,157` -> 0.5,
    `1,000` -> 500), capped at cap * value; figures in words get the cap. Trailing zeros of a
    number under 1,000 count as significant (`150 million` is not `155m`)."""
    match = _NUMBER.search(text)
    if not match or value == 0:
        return abs(value) * cap
    token = match.group(0).replace(",", "")
    try:
        written = float(token)
    except ValueError:
        return abs(value) * cap
    if "." in token:
        unit = 10.0 ** -len(token.split(".")[1])
    elif written >= 1000:
        stripped = token.rstrip("0")
        unit = 10.0 ** (len(token) - len(stripped)) if stripped else 1.0
    else:
        unit = 1.0
    scale = value / written if written else 1.0
    return min(0.5 * unit * abs(scale), abs(value) * cap)


def figure_interval(q: dict, res: Resources, cfg: LinkConfig) -> tuple[str, float, Interval] | None:
    """(family, value in the family's base, interval) for a quantities.jsonl row, or None."""
    family, factor = res.unit_families.get(q.get("unit") or "other", ("other", 1.0))
    if q.get("value") is None:
        return None
    value, high = q["value"] * factor, (q.get("value_high") or 0) * factor or None
    text, approx = q.get("text") or "", q.get("approx") or "exact"
    top = res.share_max if family == "share" else INF
    if high is not None and high > value:
        interval = Interval(value, high)
    elif approx == "about":
        width = cfg.about_tolerance * abs(value)
        if res.below_re.match(text):
            interval = Interval(value - width, value)
        elif res.above_re.match(text):
            interval = Interval(value, value + width)
        else:
            interval = Interval(value - width, value + width)
    elif approx in ("more_than", "at_least"):
        interval = Interval(value, top)
    elif approx in ("less_than", "at_most"):
        interval = Interval(0.0, value)
    elif family == "share" and q.get("unit") == "fraction" and not _NUMBER.search(text):
        interval = Interval(value - cfg.fraction_word_points, value + cfg.fraction_word_points)
    else:
        r = rounding(text, value, cfg.rounding_cap)
        interval = Interval(value - r, value + r)
    if approx == "more_than" and res.above_re.match(text):
        interval = Interval(value, value * (1 + cfg.about_tolerance))
    return family, value, interval


def ratio(a: Figure, b: Figure) -> float:
    """How many times bigger the larger value is (1.0: equal)."""
    x, y = abs(a.value), abs(b.value)
    lo, hi = (x, y) if x <= y else (y, x)
    return hi / lo if lo > 0 else (1.0 if hi == 0 else INF)


def agreement(a: Figure, b: Figure, cfg: LinkConfig) -> bool | None:
    """True when the figures can be the same number, False when they cannot, None when the
    comparison says nothing: a one-sided bound (`more than 800`) only agrees with a figure near
    it (`1,000` is `more than 800` but is not evidence that both say the same thing), and
    figures far apart are more likely different measures than an update."""
    r = ratio(a, b)
    if a.interval.meets(b.interval):
        one_sided = not (a.interval.bounded and b.interval.bounded)
        if one_sided and not (_within_bound(a, b) and _within_bound(b, a)):
            return False
        if one_sided and r > cfg.bound_max_ratio:
            # two bounds on one side (`less than two thirds`, `fewer than half`) are two different
            # figures; a bound and a figure far inside it say nothing together
            return False if same_side_bounds(a, b) else None
        return True
    return None if r > cfg.change_max_ratio else False


def _side(f: Figure) -> str | None:
    if f.interval.hi == INF:
        return "above"
    if f.interval.lo <= 0 < f.interval.hi and f.value > 0 and math.isclose(f.interval.hi, f.value):
        return "below"
    return None


def same_side_bounds(a: Figure, b: Figure) -> bool:
    """Both figures are one-sided bounds in the same direction (`over 650`, `more than 1,000`):
    different ones can both be true at once, so they may show an update but never a contradiction."""
    side = _side(a)
    return side is not None and side == _side(b)


def _within_bound(bound: Figure, point: Figure) -> bool:
    """A one-sided figure (`fewer than half`) agrees with a bounded one only when that one's value
    lies strictly on the bound's side (`half` is not `fewer than half`; `258,157` is `more than a
    quarter of a million`). True when `bound` is not one-sided or `point` is not bounded."""
    if bound.interval.bounded or not point.interval.bounded:
        return True
    if bound.interval.hi == INF:
        return point.value > bound.interval.lo
    return point.value < bound.interval.hi
