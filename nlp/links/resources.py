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
    alias_re: re.Pattern  # any alias of a name folded to one token (`community rehabilitation companies`)
    alias_of: dict  # lower-cased alias -> its token (`crc`)
    sample_cues: frozenset[str]  # words marking a figure as counting a sample (`15 CRCs inspected`)
    population_res: tuple  # (label, pattern) of each sub-population (`adult`, `youth`)
    generic_entities: frozenset[str] = frozenset()  # too common to block candidates on


def _cue_re(cues) -> re.Pattern:
    return re.compile(r"^\s*(?:" + "|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)) + r")\b",
                      re.IGNORECASE)


def _phrases_re(phrases) -> re.Pattern:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in ordered) + r")\b", re.IGNORECASE)


def _groups(data: dict) -> dict:
    return {k: v for k, v in data.items() if not k.startswith("_")}


@lru_cache(maxsize=4)
def load_resources(path: str | None = None) -> Resources:
    data = json.loads(Path(path or PATH).read_text(encoding="utf-8"))
    return Resources(
        negation_cues=frozenset(data["negation_cues"]), below_cues=tuple(data["below_cues"]),
        above_cues=tuple(data["above_cues"]), stopwords=frozenset(data["stopwords"]),
        scope_providers=frozenset(data["scope_providers"]), scope_labels=dict(data["scope_labels"]),
        unit_families={k: tuple(v) for k, v in data["unit_families"].items()}, share_max=float(data["share_max"]),
        below_re=_cue_re(data["below_cues"]), above_re=_cue_re(data["above_cues"]),
        alias_re=_phrases_re([a for names in _groups(data["aliases"]).values() for a in names]),
        alias_of={a.lower(): token for token, names in _groups(data["aliases"]).items() for a in names},
        sample_cues=frozenset(data["sample_cues"]),
        population_res=tuple((label, _phrases_re(words)) for label, words in _groups(data["population_words"]).items()),
        generic_entities=frozenset(data.get("generic_entities", ())),
    )
