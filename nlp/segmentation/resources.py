"""The segmenter's domain knowledge (nlp/data/segmenter.json), loaded once and compiled."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_PATH = Path(__file__).resolve().parents[1] / "data" / "segmenter.json"


def _alternation(patterns: list[str]) -> re.Pattern:
    """One case-insensitive regex that must match a whole stripped line."""
    return re.compile(r"(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\Z", re.IGNORECASE)


@dataclass(frozen=True)
class Rules:
    """Compiled rules; build with :func:`load_rules`."""

    titles: frozenset[str]
    before_number: frozenset[str]
    abbreviations: frozenset[str]
    starters: frozenset[str]
    lower_starters: frozenset[str]
    run_in_openers: frozenset[str]  # capitalised words that open a sentence run into a heading  # words that open a sentence written in lower case
    function_words: frozenset[str]
    speech_verbs: frozenset[str]
    pronouns: frozenset[str]
    name_stopwords: frozenset[str]
    role_words: frozenset[str]
    glued_header: re.Pattern  # a page header glued to the text after it ("Lords ChamberI thank")
    speaker_prefix: re.Pattern  # "Q1 Chair: " / "Chris Grayling: " opening a transcript turn
    bullet_line: re.Pattern  # a list marker opening a line (group "body" starts the item)
    inline_bullet: re.Pattern  # the same glyph again inside a line
    inline_glyphs: str  # glyphs that may also separate items within one line
    boilerplate: re.Pattern
    late_boilerplate: re.Pattern  # journal metadata lines, marked after the furniture model
    contact: re.Pattern
    caption: re.Pattern  # an image caption with its credit ("… secretary. Photograph: A. Devlin/PA")
    page_number: re.Pattern  # a PDF page number alone on its line ("27", "Page 3 of 40")
    comment_start: re.Pattern
    comment_end: re.Pattern
    bylines: tuple[re.Pattern, ...]
    signature: re.Pattern  # "Name, role" lines (bylines of an article)
    signoff: re.Pattern  # a name-like line closing a post or comment ("'Getafix", "David Hood")
    date_line: re.Pattern
    question_heading: re.Pattern
    speech_before: re.Pattern  # "NAME said:" just before an opening quote
    speech_after: re.Pattern  # ", said NAME" / "NAME said" just after a closing quote
    speech_subject: re.Pattern  # a paragraph opening "NAME, role, highlighted …"
    max_heading_words: int
    max_title_words: int
    max_colon_heading_words: int
    min_wrapped_words: int
    wrapped_width_share: float
    min_wrapped_breaks: int
    quote_share: float
    min_single_quote_chars: int
    quote_lookahead: int


def _bullet_patterns(glyphs: str, inline_glyphs: str) -> tuple[re.Pattern, re.Pattern]:
    cls = "[" + re.escape(glyphs) + "]"
    # glyph then space, or an unambiguous glyph glued to a number (⁃9.); then an optional
    # enumerator: 1. 1) 1.) (1) a. a) (a) (iv)
    enum = r"(?:\(?(?:\d{1,3}|[a-z]|[ivx]{1,5})(?:\.\)|[.)])|\(?[A-Z]\))(?=\s)"
    inline_cls = "[" + re.escape(inline_glyphs) + "]"
    line = re.compile(
        rf"[ \t]*(?:(?:{cls}[ \t]+|{inline_cls}(?=\d))(?:{enum}[ \t]+)?|{enum}[ \t]+)(?=\S)"
    )
    inline = re.compile(rf"[ \t]+({inline_cls})[ \t]*(?=\S)")
    return line, inline


def _speech_patterns(verbs: frozenset[str]) -> tuple[re.Pattern, re.Pattern]:
    verb = "(?:" + "|".join(sorted(map(re.escape, verbs), key=len, reverse=True)) + ")"
    name = r"[A-Z][\w’'.&-]*(?:\s+(?:of|the|and|for|de|van|von|du|&)?\s*(?:[A-Z][\w’'.&-]*))*"
    before = re.compile(
        rf"(?P<who>{name}|\b[Hh]e|\b[Ss]he|\b[Tt]hey|\b[Ii]t|\b[Ww]e)(?:\s*\([^)]{{1,30}}\))?"
        rf"(?:,[^,“”\"]{{1,80}},)?(?:\s+[a-z]+){{0,3}}\s+(?:{verb})(?:\s+\w+ly)?(?:\s+[\w’'-]+){{0,6}}\s*[:,–—-]*\s*\Z"
    )
    after = re.compile(
        rf"\A[\s,.!?…–—-]*(?:(?:{verb})\s+(?:the\s+|a\s+)?(?P<who>{name})|(?P<who2>{name}|[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e)"
        rf"(?:,[^,]{{1,80}},)?\s+(?:{verb})\b)"
    )
    subject = re.compile(rf"(?P<who>{name})(?:,[^,]{{1,200}},)?\s+(?:{verb})\b")
    return before, after, subject


@lru_cache(maxsize=4)
def load_rules(path: str | None = None) -> Rules:
    """Read and compile the rules file (cached; pass a path to use another file)."""
    data = json.loads(Path(path or DATA_PATH).read_text(encoding="utf-8"))
    lower = lambda key: frozenset(w.lower() for w in data[key])  # noqa: E731
    bullet_line, inline_bullet = _bullet_patterns(data["bullet_glyphs"], data["inline_bullet_glyphs"])
    verbs = lower("speech_verbs")
    before, after, subject = _speech_patterns(verbs)
    return Rules(
        titles=lower("titles"),
        before_number=lower("before_number"),
        abbreviations=lower("abbreviations"),
        starters=frozenset(data["sentence_starters"]),
        lower_starters=frozenset(data["lower_case_starters"]),
        run_in_openers=frozenset(data["run_in_openers"]),
        glued_header=re.compile(r"(?P<head>" + "|".join(data["glued_headers"]) + r")(?=[A-Z])"),
        speaker_prefix=re.compile(data["speaker_prefix"]),
        function_words=lower("function_words"),
        speech_verbs=verbs,
        pronouns=lower("pronouns"),
        name_stopwords=frozenset(data["name_stopwords"]),
        role_words=lower("role_words"),
        bullet_line=bullet_line,
        inline_bullet=inline_bullet,
        inline_glyphs=data["inline_bullet_glyphs"],
        boilerplate=_alternation(data["boilerplate_lines"]),
        late_boilerplate=_alternation(data["late_boilerplate_lines"]),
        contact=_alternation(data["contact_lines"]),
        caption=_alternation(data["caption_lines"]),
        page_number=_alternation(data["page_number_lines"]),
        comment_start=_alternation(data["comment_start"]),
        comment_end=_alternation(data["comment_end"]),
        bylines=tuple(re.compile(p + r"\Z", re.IGNORECASE) for p in data["bylines"]),
        signature=re.compile("(?:" + "|".join(data["signature_lines"]) + r")\Z"),
        signoff=re.compile(data["signoff_line"]),
        date_line=re.compile(data["date_line"] + r"\Z", re.IGNORECASE),
        question_heading=re.compile(data["question_heading"], re.DOTALL),
        speech_before=before,
        speech_after=after,
        speech_subject=subject,
        max_heading_words=data["max_heading_words"],
        max_title_words=data["max_title_words"],
        max_colon_heading_words=data["max_colon_heading_words"],
        min_wrapped_words=data["min_wrapped_words"],
        wrapped_width_share=data["wrapped_width_share"],
        min_wrapped_breaks=data["min_wrapped_breaks"],
        quote_share=data["quote_share"],
        min_single_quote_chars=data["min_single_quote_chars"],
        quote_lookahead=data["quote_lookahead_paragraphs"],
    )
