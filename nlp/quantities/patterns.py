"""Compiled regular expressions for number expressions, built once from the lexicon.

Fragments (all matched case-insensitively unless noted):

- ``simple``: a number word up to 99 (``thirty eight``, ``forty-two``, ``twelve``);
- ``wordnum``: number words with scales (``two hundred and fifty``, ``a dozen``, ``a million``);
- ``dig``: digits (``258,157``, ``2.5``), never inside a word, code or a longer number
  (``Q3``, ``COVID-19``, ``m4469``, ``08:12``);
- ``cue``: an approximation cue (``more than``, ``nearly``, ``up to``);
- ``candidate``: any quantity expression, cue included: money, fractions of a scale, proportions
  (``one in nine``, ``eight out of ten``), fractions, ratios (``70:30``, ``70/30``, ``three times``
  [that of]), ranges, percentages, durations, vague amounts (``thousands``, ``tens of thousands``,
  ``a couple of years``, ``a decade``), and a minus sign just inside a bracket (``(-17)``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .lexicon import Lexicon, alternation, load_lexicon, trie_alternation

I = re.IGNORECASE


@dataclass(frozen=True)
class Scanner:
    """The three patterns a scan runs, for lower-cased text (fast) or as written (case-insensitive)."""

    anchor: re.Pattern  # a digit, £, a number or fraction word, 'a year': every quantity has one
    candidate: re.Pattern  # a whole quantity expression, cue included
    simple: re.Pattern  # cue + one number, no unit (fallback at a rejected candidate's start)


@dataclass(frozen=True)
class Patterns:
    lower: Scanner  # for text.lower() (when it keeps the length)
    cased: Scanner  # for any text
    cue: re.Pattern  # a cue at the start of a span, with the white space after it
    suffix_cue: re.Pattern  # a cue at the end of a span, with the white space before it
    a_unit: re.Pattern  # 'a year' (after a cue)
    half_unit: re.Pattern  # 'half an hour'
    ratio: re.Pattern
    multiple: re.Pattern  # three times, twice
    vague: re.Pattern  # hundreds of millions of pounds, thousands
    couple: re.Pattern  # a couple of years
    fraction_verb: re.Pattern  # halved
    sign: re.Pattern  # the minus sign opening a span: (-17)
    out_of: re.Pattern  # x out of y, x in y
    frac_of_scale: re.Pattern  # a quarter of a million
    fraction: re.Pattern  # two-thirds, a third, half
    generic: re.Pattern  # [between] number [sep number] [unit]
    number: re.Pattern  # [currency] digits|words [scale]
    simple_words: str  # the raw fragment for a number word up to 99, for the exclusion patterns


def _fragments(lex: Lexicon) -> dict[str, str]:
    f: dict[str, str] = {}
    f["units"] = alternation(lex.units)
    tens, teens = alternation(lex.tens), alternation(lex.teens)
    f["simple"] = rf"(?<![\w-])(?:{tens}(?:[\s-]+{f['units']})?|{teens}|{f['units']})"
    f["scalew"] = alternation(lex.scale_words)
    big = alternation(w for w in lex.scale_words if w != "hundred")
    f["big"] = big
    group = rf"{f['simple']}(?:[\s-]+hundred\b(?:(?:\s+and\s+|[\s-]+){f['simple']})?)?"
    f["wordnum"] = (rf"(?<![\w-])(?:{group}|an?(?=\s+{f['scalew']}))"
                    rf"(?:[\s-]+{f['scalew']}(?:(?:\s+and\s+|[\s-]+){group})?)*")
    f["dig"] = r"(?<![\w/])(?:(?<!\.)|(?<=\.\.))(?<![A-Za-z]-)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?!\d)(?!\.\d)(?!,\d\d\d)"
    f["num"] = rf"(?:{f['dig']}|{f['wordnum']})"
    f["suffix"] = alternation(lex.scale_suffixes)
    # 2.5m people, 8m hours: a scale suffix glued to digits, with or without a currency
    f["numscale"] = (rf"{f['num']}(?:(?<=\d)(?:mn|bn|m)|(?:[\s-]+and[\s-]+a[\s-]+half\b)?(?:\s+{big})?)"
                     rf"(?!\w)")
    f["cur"] = alternation(lex.currencies, bound=False)
    f["cur_lower"] = alternation([c.lower() for c in lex.currencies], bound=False)
    f["money"] = rf"{f['cur']}\s?{f['dig']}(?:\s?{f['suffix']}|\s*{big})?(?!\w)"  # £467million too
    f["cue"] = rf"(?<![\w.]){alternation(lex.cues)}"
    # 'less than a year' is an amount, 'within a year' a time limit (the gold counts 'within 12 months')
    f["cue_a_unit"] = rf"(?<![\w.]){alternation(c for c in lex.cues if not c.startswith('within'))}"
    f["suffix_cue"] = alternation(lex.suffix_cues)
    f["suffix_gap"] = r"(?:\s+old)?[\s-]+"  # 18 years old or over, 80 per cent-plus
    f["fracw"] = alternation(lex.fractions)
    f["fraction"] = rf"(?:(?:(?<![\w-])an?|{f['simple']})[\s-]+{f['fracw']}|(?<![\w-])half\b)(?!-\w)"
    small = rf"(?:{f['simple']}|(?<![\w.])\d{{1,3}}(?![\d,]|\.\d))"  # '1 in 3.' ends a sentence
    small = rf"(?:{f['cur']}\s?)?{small}"  # £4 in every £10
    large = rf"(?<![\w.])\d{{1,3}}(?:,\d{{3}})+(?![\d,]|\.\d)|(?:{f['simple']}|an?)\s+{f['scalew']}"  # one in 1,000
    hyphened = rf"(?:{tens}(?:-{f['units']})?|{teens}|{f['units']}|\d{{1,3}}(?![\d,]|\.\d))"  # one-in-five
    # five of the seven (parse.py: not of the 21); '10 of the 12 months' is no share
    share = rf"\s+of\s+(?:(?:the|its|their)\s+)?{small}(?![\s-]+{alternation(lex.durations)}\b)"
    f["out_of"] = (rf"{small}(?:\s+(?:out\s+of(?:\s+(?:the|every))?|in(?:\s+every)?)\s+(?:{small}|{large})"
                   rf"|-in-{hyphened}|{share})(?!\w)")
    f["frac_of_scale"] = rf"{f['fraction']}\s+(?:of\s+)?an?\s+{big}(?:\s+{alternation(lex.money_words)})?"  # … pounds
    # 70:30, and 70/30 when it sums to 100; 50-50 and fifty-fifty: even halves ('20-30' is a range)
    f["ratio"] = r"(?<![\d:./])\d{1,3}[:/]\d{1,3}(?![\d:/])|(?<![\w.-])(?:50[-–]50|fifty[-–]fifty)(?![\w-]|[.,]\d)"
    f["sep"] = r"(?:\s*[-–—]\s*|\s+to\s+)"
    f["pct"] = alternation(lex.percent_words)
    dur = alternation(lex.durations)
    f["dur"] = dur
    # 'six-weekly' is six weeks; '3 weekly sessions' is three sessions: a -ly unit only hyphen-joined
    dur_ly = alternation(w for w in lex.durations if w.endswith("ly"))
    dur_plain = alternation(w for w in lex.durations if not w.endswith("ly"))
    f["unit_suffix"] = (rf"(?:\s*{f['pct']}|-{dur_ly}|[\s-]+(?:{alternation(lex.duration_adjectives)}\s+)?{dur_plain}"
                        rf"|\s+{alternation(lex.money_words)}|\s+{alternation(lex.other_units)})")
    singular = alternation(w for w, (_u, _m) in lex.durations.items() if not w.endswith(("s", "ly")))
    f["a_unit"] = rf"an?\s+{singular}"
    f["half_unit"] = rf"(?<![\w-])half\s+{f['a_unit']}"  # half an hour
    f["bare_duration"] = rf"(?<![\w-]){alternation(lex.bare_durations)}"  # for a decade
    f["multiple"] = (rf"(?:{f['numscale']}\s+times|(?<![\w-]){alternation(lex.multiple_words)})"
                     rf"(?=\s+{alternation(lex.multiples_after)})")
    f["vague"] = (rf"(?<![\w-])(?:{alternation(lex.vague_multipliers)}\s+of\s+{alternation(lex.vague_objects)}"
                  rf"|{alternation(lex.vague_scales)})(?:\s+of\s+{alternation(lex.money_words)})?")
    f["couple"] = rf"(?<![\w-]){alternation(lex.couple_words)}(?:\s+of\s+{dur}|(?=\s+of\b))"
    f["fraction_verb"] = rf"(?<![\w-]){alternation(lex.fraction_verbs)}"
    words = [*lex.number_words, *lex.scale_words, *lex.fractions, *lex.vague_scales, *lex.vague_multipliers,
             *lex.multiple_words, *lex.fraction_verbs]
    singles = trie_alternation({*(w for w in lex.durations if not w.endswith(("s", "ly"))), "couple"})
    f["anchor"] = rf"\d+|{f['cur_lower']}|\b(?:{trie_alternation(words)}|an?\s+{singles})\b"
    return f


def _candidate(f: dict[str, str]) -> str:
    top = rf"(?:{f['money']}|{f['dig']}(?:\s?{f['suffix']}|\s*{f['big']})(?!\w)|{f['numscale']})"  # £7-[10bn]
    money_range = rf"between\s+{f['money']}\s+and\s+{top}|{f['money']}(?:{f['sep']}{top})?"
    # the first end of a range may repeat the unit (20%-30%, between 16% and 48%; 'from 20% to 77%' is
    # two figures); 'between the ages of 12 and 18' is a range of years
    pct_a = rf"\s*{f['pct']}"
    plain = (rf"(?:between\s+(?:the\s+ages\s+of\s+)?{f['numscale']}(?:{pct_a})?\s+and\s+{f['numscale']}"
             rf"|{f['numscale']}(?:(?:{pct_a}\s*[-–—]\s*|{f['sep']}){f['numscale']})?)(?:{f['unit_suffix']})?")
    age_group = r"(?<=under\s)\d\ds|(?<=over\s)\d\ds|(?<=under-)\d\ds|(?<=over-)\d\ds"  # the under 18s
    body = "|".join([f["out_of"], age_group, money_range, f["frac_of_scale"], f["half_unit"], f["fraction"], f["ratio"], f["multiple"],
                     f["vague"], f["couple"], f["bare_duration"], f["fraction_verb"], plain])
    # every quantity starts at a word start (or at a minus sign just inside a bracket: (-17)); the
    # look-behind rejects most positions at once
    return (rf"(?:(?<=\()[-−]\s?)?(?<!\w)(?:{f['cue_a_unit']}\s+{f['a_unit']}"
            rf"|(?:{f['cue']}\s+)?(?:{body})(?:{f['suffix_gap']}{f['suffix_cue']})?)(?!\w)")


@lru_cache(maxsize=4)
def compiled(path: str | None = None) -> Patterns:
    """The compiled patterns for a lexicon file (ours by default)."""
    lex = load_lexicon(path)
    f = _fragments(lex)
    num_or_money = rf"(?:{f['cur']}\s?)?(?:{f['numscale']}|{f['dig']}(?:\s?{f['suffix']}|{f['scalew']})?)"
    generic = (rf"(?P<between>between\s+(?P<ages>the\s+ages\s+of\s+)?)?(?P<a>{num_or_money})"
               rf"(?:(?P<unit_a>\s*{f['pct']})?(?:{f['sep']}|\s+and\s+)(?P<b>{num_or_money}))?"
               rf"(?P<unit>{f['unit_suffix']})?")
    simple = rf"(?:{f['cue']}\s+)?(?:{f['money']}|{f['numscale']})"
    lower = {**f, "cur": f["cur_lower"]}
    lower["money"] = f["money"].replace(f["cur"], f["cur_lower"])
    lower_simple = simple.replace(f["cur"], f["cur_lower"])
    return Patterns(
        lower=Scanner(re.compile(f["anchor"]), re.compile(_candidate(lower)), re.compile(lower_simple)),
        cased=Scanner(re.compile(f["anchor"], I), re.compile(_candidate(f), I), re.compile(simple, I)),
        cue=re.compile(rf"{f['cue']}\s+", I),
        suffix_cue=re.compile(rf"{f['suffix_gap']}{f['suffix_cue']}$", I),
        a_unit=re.compile(rf"an?\s+(?P<unit>{f['dur']})", I),
        half_unit=re.compile(rf"half\s+an?\s+(?P<unit>{f['dur']})", I),
        ratio=re.compile(r"(?P<a>\d{1,3}|fifty)(?P<sep>[:/–-])(?P<b>\d{1,3}|fifty)", I),
        multiple=re.compile(rf"(?:(?P<num>.+?)\s+times|(?P<word>{alternation(lex.multiple_words)}))", I),
        vague=re.compile(rf"(?:(?P<mult>{alternation(lex.vague_multipliers)})\s+of\s+"
                         rf"(?P<obj>{alternation(lex.vague_objects)})|(?P<scale>{alternation(lex.vague_scales)}))"
                         rf"(?P<money>\s+of\s+{alternation(lex.money_words)})?", I),
        couple=re.compile(rf"{alternation(lex.couple_words)}(?:\s+of\s+(?P<unit>{f['dur']}))?", I),
        fraction_verb=re.compile(f["fraction_verb"], I),
        sign=re.compile(r"[-−]\s?"),
        out_of=re.compile(rf"(?P<a>.+?)(?:\s+(?:out\s+of(?:\s+(?:the|every))?|in(?:\s+every)?)\s+|-in-|"
                          rf"(?P<of>\s+of\s+(?:(?:the|its|their)\s+)?))(?P<b>.+)", I),
        frac_of_scale=re.compile(rf"(?P<frac>{f['fraction']})\s+(?:of\s+)?an?\s+(?P<scale>\w+)"
                                 rf"(?:\s+(?P<money>{alternation(lex.money_words)}))?", I),
        fraction=re.compile(rf"(?:(?P<num>an?|{f['simple']})[\s-]+)?(?P<den>{f['fracw']})", I),
        generic=re.compile(generic, I),
        number=re.compile(rf"(?P<cur>{f['cur']})?\s?(?:(?P<dig>[\d,]+(?:\.\d+)?)\s?(?P<scale>[a-z]+)?|(?P<words>.+))", I),
        simple_words=f["simple"],
    )
