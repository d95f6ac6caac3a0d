"""Document metadata: kind names normalised to SPEC §1, title and date inferred when absent."""

from __future__ import annotations

import re

KINDS = ("testimony", "blog", "report", "press-release", "briefing", "news", "debate", "other")
# Names seen in the wild for SPEC kinds; anything else is `other` (the raw name is kept).
KIND_ALIASES = {
    "comment-thread": "blog", "comments": "blog", "post": "blog", "press release": "press-release",
    "pressrelease": "press-release", "evidence": "testimony", "written evidence": "testimony",
    "hansard": "debate", "article": "news", "inspection": "report",
}

_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|December|"
           "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec")
_MONTH_NUM = {m[:3].lower(): i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), 1)}
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)? ({_MONTHS}),? ((?:19|20)\d\d)\b")
_MONTH_YEAR = re.compile(rf"\b({_MONTHS}) ((?:19|20)\d\d)\b")
_ISO = re.compile(r"\b((?:19|20)\d\d)-(\d\d)(?:-(\d\d))?\b")


def normalise_kind(kind: str | None) -> str:
    if not kind:
        return "other"
    key = kind.strip().lower()
    if key in KINDS:
        return key
    return KIND_ALIASES.get(key, "other")


def infer_title(text: str) -> str | None:
    for line in text.split("\n", 40)[:40]:
        line = line.strip()
        if line:
            return line[:200]
    return None


def infer_date(text: str) -> str | None:
    """The first full date in the opening of the text, as ISO (`2020-12-04` or `2020-09`)."""
    head = text[:3000]
    candidates = []
    if m := _DAY_MONTH_YEAR.search(head):
        candidates.append((m.start(), f"{m.group(3)}-{_MONTH_NUM[m.group(2)[:3].lower()]:02d}-{int(m.group(1)):02d}"))
    if m := _MONTH_YEAR.search(head):
        candidates.append((m.start(), f"{m.group(2)}-{_MONTH_NUM[m.group(1)[:3].lower()]:02d}"))
    if m := _ISO.search(head):
        candidates.append((m.start(), m.group(0)))
    return min(candidates)[1] if candidates else None
