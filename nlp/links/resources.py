"""The word lists linking reads (nlp/links/resources.json), loaded once into a frozen record."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).with_name("resources.json")


@dataclass(frozen=True)
class Resources:
    negation_cues: frozenset[str]
    below_cues: tuple[str, ...]
    above_cues: tuple[str, ...]
    stopwords: frozenset[str]
    scope_providers: frozenset[str]
    scope_labels: dict
    unit_families: dict
    share_max: float
    below_re: re.Pattern
    above_re: re.Pattern


def _cue_re(cues) -> re.Pattern:
    return re.compile(r"^\s*(?:" + "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


@lru_cache(maxsize=4)
def load_resources(path: str | None = None) -> Resources:
    data = json.loads(Path(path or PATH).read_text(encoding="utf-8"))
    return Resources(
        negation_cues=frozenset(data["negation_cues"]), below_cues=tuple(data["below_cues"]),
        above_cues=tuple(data["above_cues"]), stopwords=frozenset(data["stopwords"]),
        scope_providers=frozenset(data["scope_providers"]), scope_labels=dict(data["scope_labels"]),
        unit_families={k: tuple(v) for k, v in data["unit_families"].items()}, share_max=float(data["share_max"]),
        below_re=_cue_re(data["below_cues"]), above_re=_cue_re(data["above_cues"]),
    )
