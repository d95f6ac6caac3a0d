"""The word lists of nlp/data/quantities.json, loaded once, and the regex fragments built from them."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_PATH = Path(__file__).resolve().parents[1] / "data" / "quantities.json"
MEASURES_FILE = "measures.toml"  # the measure vocabulary, read from the lexicon's own folder

APPROX_CLASSES = ("about", "more_than", "less_than", "at_least", "at_most")


@dataclass(frozen=True)
class Lexicon:
    """Number words, scales, fractions, cues and units (all keys lower-case)."""

    number_words: dict[str, int]  # units, teens and tens
    units: dict[str, int]
    teens: dict[str, int]
    tens: dict[str, int]
    scale_words: dict[str, int]
    scale_suffixes: dict[str, int]
    vague_scales: dict[str, int]  # 'thousands' (of offenders): its least value, at_least
    vague_multipliers: dict[str, int]  # 'tens' (of thousands)
    vague_objects: dict[str, int]  # (tens of) 'thousands', (hundreds of) 'millions'
    couple_words: tuple[str, ...]  # 'a couple' (of years): 2, about
    fractions: dict[str, float]
    cues: dict[str, str]  # cue phrase (single-spaced, lower-case) -> approx class
    suffix_cues: dict[str, str]  # cue after the number: 'or less' -> at_most
    currencies: dict[str, str]
    money_words: dict[str, str]
    percent_words: tuple[str, ...]
    durations: dict[str, tuple[str, int]]
    duration_adjectives: tuple[str, ...]
    whole_measures: tuple[str, ...]  # measures.toml ids: 'six of the 21 CRCs' is two counts, not a share
    whole_bodies: tuple[str, ...]  # 'six of the 21 partnerships': two counts too
    whole_measure_forms: tuple[str, ...]  # the whole_measures' `quantity_measures` regexes, from MEASURES_FILE
    age_cues: tuple[str, ...]  # aged (18 and over): the count is years
    age_groups: tuple[str, ...]  # staff (over 55): the count is years
    bare_durations: dict[str, tuple[str, int]]  # 'a decade' with no cue: 10 years
    other_units: tuple[str, ...]  # 'square metres': unit other
    multiples_after: tuple[str, ...]  # 'three times' [that of], 'twice' [as high]: a ratio
    multiple_words: dict[str, int]  # twice, thrice
    fraction_verbs: dict[str, float]  # halved
    months: tuple[str, ...]
    reference_words: tuple[str, ...]
    heading_starts: tuple[str, ...]  # a line '4 The creation of …' opens with a section number
    one_after: tuple[str, ...]
    one_before: tuple[str, ...]
    half_before: tuple[str, ...]
    ordinal_after: tuple[str, ...]  # 'a third inspection': a fraction word used as an ordinal
    idioms: tuple[str, ...]  # two-tier: a number word that is no amount
    over_not_more_than: tuple[str, ...]  # (a year, hand) 'over': during or a particle, not more_than
    under_one_amounts: tuple[str, ...]  # 'under one' (year) is less than one; (roof) a place


def _strip_comments(table: dict) -> dict:
    return {k: v for k, v in table.items() if not k.startswith("_")}


def _cue_table(table: dict) -> dict[str, str]:
    cues: dict[str, str] = {}
    for cls, phrases in _strip_comments(table).items():
        for phrase in phrases:
            cues[" ".join(phrase.lower().split())] = cls
    return cues


def _measure_forms(measures: Path, ids: list[str]) -> tuple[str, ...]:
    """The `quantity_measures` forms of the measures `ids` in the vocabulary file `measures`."""
    wanted = set(ids)
    return tuple(f for m in tomllib.loads(measures.read_text(encoding="utf-8"))["measure"] if m["id"] in wanted
                 for f in m.get("quantity_measures", []))


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Read the quantity word lists (ours by default) and the forms of their `whole_measures` from
    the measure vocabulary beside them (MEASURES_FILE in the same folder)."""
    data = json.loads(Path(path or DATA_PATH).read_text(encoding="utf-8"))
    units, teens, tens = data["units"], data["teens"], data["tens"]
    cues = _cue_table(data["approximation_cues"])
    return Lexicon(
        number_words={**units, **teens, **tens},
        units=units,
        teens=teens,
        tens=tens,
        scale_words=data["scale_words"],
        scale_suffixes=_strip_comments(data["scale_suffixes"]),
        vague_scales=_strip_comments(data["vague_scales"]),
        vague_multipliers=data["vague_multipliers"],
        vague_objects=data["vague_objects"],
        couple_words=tuple(data["couple_words"]),
        fractions=data["fractions"],
        cues=cues,
        suffix_cues=_cue_table(data["approximation_suffixes"]),
        currencies=data["currencies"],
        money_words=data["money_words"],
        percent_words=tuple(data["percent_words"]),
        durations={k: tuple(v) for k, v in _strip_comments(data["duration_units"]).items()},
        duration_adjectives=tuple(data["duration_adjectives"]),
        whole_measures=tuple(data["share_of"]["whole_measures"]),
        whole_bodies=tuple(data["share_of"]["whole_bodies"]),
        whole_measure_forms=_measure_forms(Path(path or DATA_PATH).with_name(MEASURES_FILE),
                                           data["share_of"]["whole_measures"]),
        age_cues=tuple(data["age_cues"]["words"]),
        age_groups=tuple(data["age_cues"]["group_nouns"]),
        bare_durations={k: tuple(v) for k, v in _strip_comments(data["bare_durations"]).items()},
        other_units=tuple(data["other_units"]),
        multiples_after=tuple(data["multiples"]["after"]),
        multiple_words=data["multiples"]["words"],
        fraction_verbs=_strip_comments(data["fraction_verbs"]),
        months=tuple(data["months"]),
        reference_words=tuple(data["reference_words"]["words"]),
        heading_starts=tuple(data["reference_words"]["heading_starts"]),
        one_after=tuple(data["not_a_count"]["one_after"]),
        one_before=tuple(data["not_a_count"]["one_before"]),
        half_before=tuple(data["not_a_count"]["half_before"]),
        ordinal_after=tuple(data["not_a_count"]["ordinal_after"]),
        idioms=tuple(data["not_a_count"]["idioms"]),
        over_not_more_than=tuple(data["over_not_more_than"]["before"]),
        under_one_amounts=tuple(data["under_one_amounts"]["words"]),
    )


def alternation(words, *, bound: bool = True) -> str:
    """A regex alternation of phrases, longest first, white space inside a phrase matching any run."""
    parts = []
    for word in sorted(set(words), key=len, reverse=True):
        piece = r"\s+".join(re.escape(p) for p in word.split())
        parts.append(piece + r"\b" if bound and word[-1].isalnum() else piece)
    return "(?:" + "|".join(parts) + ")"


def trie_alternation(words) -> str:
    """A regex matching exactly these lower-case words, factored by shared prefixes (fast to scan)."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(root)


def _trie_regex(node: dict) -> str:
    alts = [re.escape(c) + _trie_regex(sub) for c, sub in sorted(node.items()) if c]
    if not alts:
        return ""
    body = "(?:" + "|".join(alts) + ")"
    return body + "?" if "" in node else body
