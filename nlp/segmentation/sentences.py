"""Sentence boundaries inside one block: terminal punctuation, minus abbreviations and friends."""

from __future__ import annotations

import re

from .resources import Rules

# Terminal punctuation (a run of . ? !, an ellipsis, a spaced ellipsis) with closing quotes or
# brackets, followed by white space and the next character.
_CANDIDATE = re.compile(r"(\.(?:[ \t]?\.){2,}|…+\.?|[.!?]+)([\"'”’)\]]*(?:\[\d{1,4}\])?)(?=\s+(\S))")
# Sentences glued together without a space: "world.Today" (not URLs, e-mails or initials),
# also after a closing quote: 'a "Rehabilitation Revolution".Paid for by …'.
_GLUED = re.compile(r"(?:(?<=[a-z0-9)][a-z0-9)])|(?<=[a-z][\"”’]))([.!?])(?=[A-Z][a-z])")
# A footnote number after a sentence in PDF text: "community.92HMPPS note:", "CRCs.96 HM …".
# After a number, only where the number cannot run on as a decimal: a year ("in 2017.5 The"), a
# year range ("2015–16.4 The") or a grouped number ("264,649.3 Information").
_FOOTNOTE = re.compile(
    r"(?:(?<=[^\W\d_][.!?])|(?<=[”’\"][.!?])|(?<=[.!?][”’\"]))\d{1,3}(?=\s*[A-Z“‘\"])"
    r"|(?:(?<=\b(?:19|20)\d\d\.)|(?<=\d[–-]\d\d\.)|(?<=\d,\d{3}\.))\d{1,3}(?=\s+[A-Z][a-z])"
)
# A question or exclamation with a run of dots glued after it ("elected?......the vast"): the dots
# open the next piece, as the annotators read comments written this way.
_MARK_DOTS = re.compile(r"[?!]+(?=(?:\.{2,}|…+)[^\s.…])")
_BRACKETED = re.compile(r"\([A-Z]{1,8}\)")
_WINDOW = 64  # the most characters looked at around a full stop (no abbreviation is longer)
_TOKEN_BEFORE = re.compile(r"(\S+)\Z")
_WORD_AFTER = re.compile(r"[\"'“‘(\[]*([\w’'-]+)")
_DOTTED = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")
_ALNUM = re.compile(r"[^\W_]")
_GLYPH = re.compile(r"(?:[•·▪◦‣⁃∙●■►▶➢]\s+)+(?=\S)")
_LEADING = "\"'“‘([{"
_QUOTES = "\"'“‘"


def split_block(text: str, start: int, end: int, rules: Rules) -> list[tuple[int, int]]:
    """Sentence spans in ``text[start:end]``, white space stripped, in order."""
    cuts = [m.end() for m in _CANDIDATE.finditer(text, start, end) if _is_boundary(text, m, start, rules)]
    cuts.extend(m.end() for m in _GLUED.finditer(text, start, end) if _glued_ok(text, m, start, rules))
    cuts.extend(m.end() for m in _FOOTNOTE.finditer(text, start, end))
    cuts.extend(m.end() for m in _MARK_DOTS.finditer(text, start, end))
    cuts.extend(i for i in range(start + 1, end) if text[i] == "©" and not text[i - 1].isalnum())
    spans: list[tuple[int, int]] = []
    pos = start
    for cut in sorted(set(cuts)):
        _add(text, pos, cut, spans)
        pos = cut
    _add(text, pos, end, spans)
    return _attach_marks(text, spans)


def _attach_marks(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """A piece with no letter or digit (a stray closing quote, a leading ellipsis) joins its
    neighbour: the next piece when it opens the block, else the previous one. So does an
    abbreviation in brackets after a question ("… Transforming Rehabilitation? (TR)")."""
    out: list[tuple[int, int]] = []
    pending = None
    for s, e in spans:
        if pending is not None:
            s, pending = pending, None
        if _ALNUM.search(text, s, e) is None or (out and _BRACKETED.fullmatch(text, s, e)):
            if out:
                out[-1] = (out[-1][0], e)
            else:
                pending = s
            continue
        out.append((s, e))
    if pending is not None:
        out.append((pending, spans[-1][1]))
    return out


def _add(text: str, s: int, e: int, spans: list[tuple[int, int]]) -> None:
    while s < e and text[s].isspace():
        s += 1
    glyph = _GLYPH.match(text, s, e)  # "… its end. • the next point" : the glyph is not text
    if glyph:
        s = glyph.end()
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))


def _next_word(text: str, pos: int) -> str:
    m = _WORD_AFTER.match(text, pos)
    return m.group(1) if m else ""


def _is_boundary(text: str, m: re.Match, block_start: int, rules: Rules) -> bool:
    term, closer = m.group(1), m.group(2)
    nxt = text[m.start(3)]
    if nxt.islower():
        return term in (".", "?", "!") and not closer and _lower_start(text, m, block_start, rules)
    if nxt in ",;:%":
        return False
    if "?" in term or "!" in term:
        return True
    dots = term.count(".") + 3 * term.count("…")
    if dots >= 3:
        if dots >= 4:
            return nxt.isupper() or nxt.isdigit() or nxt in _QUOTES
        word = _next_word(text, m.start(3))
        return word in rules.starters and word != "I"
    if closer:
        return True
    tok = _TOKEN_BEFORE.search(text, max(block_start, m.start() - _WINDOW), m.start())
    word = tok.group(1).lstrip(_LEADING) if tok else ""
    low = word.lower()
    if low in rules.titles or low.rpartition(".")[2] in rules.titles:  # "Tuesday.Mr. Smith"
        return False
    if nxt.isdigit():
        return not (low in rules.before_number or len(word) <= 2)
    if low in rules.abbreviations or _DOTTED.fullmatch(word) or (len(word) == 1 and word.isalpha()):
        return _next_word(text, m.start(3)) in rules.starters
    return True


def _lower_start(text: str, m: re.Match, block_start: int, rules: Rules) -> bool:
    """A sentence opening in lower case, as comments often do ("… difficult times. we are all with
    you"): only before a word that cannot carry on a sentence after a stop, and not after an
    abbreviation or initial ("e.g. we", "approx. this")."""
    if _next_word(text, m.start(3)) not in rules.lower_starters:
        return False
    tok = _TOKEN_BEFORE.search(text, max(block_start, m.start() - _WINDOW), m.start())
    word = tok.group(1).lstrip(_LEADING) if tok else ""
    low = word.lower()
    if m.group(1) == "." and (
        low in rules.titles or low in rules.abbreviations or low in rules.before_number
        or _DOTTED.fullmatch(word) or len(word) <= 1 or "." in word
    ):
        return False
    return True


def _glued_ok(text: str, m: re.Match, block_start: int, rules: Rules) -> bool:
    s = m.start()
    floor = max(block_start, s - _WINDOW)
    while s > floor and not text[s - 1].isspace():
        s -= 1
    e = m.end()
    ceiling = min(len(text), e + _WINDOW)
    while e < ceiling and not text[e].isspace():
        e += 1
    token = text[s:e]
    if "@" in token or "/" in token or "www" in token.lower() or token.count(".") > 2:
        return False
    word = text[s : m.start()].lstrip(_LEADING).lower()
    return word not in rules.titles and word not in rules.abbreviations
