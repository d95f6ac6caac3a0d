"""One annotator's pass over one page, written as text lines, and its placement in the page.

An annotator writes what they read, never offsets (annotations/GUIDELINES.md, "Pass files"):

    S | segment | stance | claim_type or no | speaker or - | the sentence exactly as in the page
    E | span text | label | entity_id
    Q | span text | value | value_high or - | unit | approx | measure or - | period or -

`E` and `Q` lines belong to the `S` line above them, in the order they appear in it. `place`
finds every sentence in order in the page and every span in order in its sentence, refuses what
it cannot place or any text left uncovered, and returns records with character offsets and a
hash of each span instead of the text itself.
"""

from __future__ import annotations

import re

from ..labels import APPROX, CLAIM_TYPES, ENTITY_LABELS, SEGMENTS, STANCE, UNITS
from .sources import span_hash

# What may lie between two sentences uncovered: white space and one list marker (a bullet glyph,
# `1.`, `2.1`, `(a)`, `iv)`, `3:`, `[4]`), which SPEC §2 leaves out of the segment.
GAP = re.compile(r"\s*(\(?(\d{1,3}(\.\d+)*\.?|[a-zA-Z]|[ivxIVX]{1,4})[.):]?|[•·*\-–—▪►○●◦]|\[\d+\])?\s*")


class PassError(ValueError):
    pass


def _none(value: str) -> str | None:
    value = value.strip()
    return None if value in {"-", "", "null", "None"} else value


def _check(value, allowed, what: str, where: str) -> None:
    if value not in allowed:
        raise PassError(f"{where}: {what} {value!r} is not one of {sorted(allowed)}")


def parse(lines: str, where: str) -> tuple[dict, list[dict]]:
    """The pass file's `# key: value` comments and its sentences, each with entities and quantities."""
    meta: dict = {}
    sentences: list[dict] = []
    for n, line in enumerate(lines.split("\n"), 1):
        at = f"{where}:{n}"
        if not line.strip():
            continue
        if line.startswith("#"):
            key, _, value = line[1:].partition(":")
            if value.strip():
                meta[key.strip()] = value.strip()
            continue
        kind = line[:1]
        if kind == "S":
            parts = line.split(" | ", 5)
            if len(parts) != 6:
                raise PassError(f"{at}: an S line needs 6 fields separated by ' | '")
            _, segment, stance, claim, speaker, text = (p.strip() if i < 5 else p for i, p in enumerate(parts))
            _check(segment, SEGMENTS, "segment", at)
            _check(stance, STANCE, "stance", at)
            if claim != "no":
                _check(claim, CLAIM_TYPES, "claim type", at)
            if text != text.strip() or not text:
                raise PassError(f"{at}: sentence text must be non-empty with no surrounding white space")
            sentences.append({"text": text, "segment": segment, "stance": stance, "speaker": _none(speaker),
                              "claim": claim != "no", "claim_type": None if claim == "no" else claim,
                              "entities": [], "quantities": [], "line": n})
        elif kind in "EQ" and line[1:4] == " | ":
            if not sentences:
                raise PassError(f"{at}: an {kind} line before any S line")
            body = line[4:]
            if kind == "E":
                parts = body.rsplit(" | ", 2)
                if len(parts) != 3:
                    raise PassError(f"{at}: an E line needs text | label | entity_id")
                text, label, entity_id = parts[0], parts[1].strip(), parts[2].strip()
                _check(label, ENTITY_LABELS, "label", at)
                if not re.fullmatch(r"[a-z0-9_]+", entity_id):
                    raise PassError(f"{at}: entity_id {entity_id!r} must be snake_case")
                sentences[-1]["entities"].append({"text": text, "label": label, "entity_id": entity_id, "line": n})
            else:
                parts = body.rsplit(" | ", 6)
                if len(parts) != 7:
                    raise PassError(f"{at}: a Q line needs text | value | value_high | unit | approx | measure | period")
                text, value, high, unit, approx, measure, period = parts
                _check(unit.strip(), UNITS, "unit", at)
                _check(approx.strip(), APPROX, "approx", at)
                try:
                    value_f = float(value.replace(",", ""))
                    high_f = None if _none(high) is None else float(high.replace(",", ""))
                except ValueError:
                    raise PassError(f"{at}: value and value_high must be numbers ({value!r}, {high!r})") from None
                sentences[-1]["quantities"].append({"text": text, "value": value_f, "value_high": high_f,
                                                    "unit": unit.strip(), "approx": approx.strip(),
                                                    "measure": _none(measure), "period": _none(period), "line": n})
        else:
            raise PassError(f"{at}: a line must start with 'S | ', 'E | ', 'Q | ' or '#'")
    return meta, sentences


def decisions(path, labels: tuple[str, ...]) -> tuple[dict, list[tuple[str, str, str]]]:
    """A file of one judgement a line, `ITEM | label | reason` (adjudications, link judgements),
    with `# key: value` comments (annotator, guideline): (comments, [(item, label, reason)])."""
    meta: dict = {}
    rows = []
    with open(path, encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if line.startswith("#"):
                key, _, value = line[1:].partition(":")
                meta[key.strip()] = value.strip()
            elif line.strip():
                parts = [p.strip() for p in line.split(" | ", 2)]
                if len(parts) != 3 or parts[1] not in labels or not parts[2]:
                    raise PassError(f"{path}:{n}: expected 'ITEM | {'|'.join(labels)} | reason'")
                rows.append((parts[0], parts[1], parts[2]))
    return meta, rows


def _find(haystack: str, needle: str, start: int, where: str) -> tuple[int, int]:
    """(start, end) of the first occurrence of `needle` in `haystack` at or after `start`; a run
    of white space in the needle matches any run in the page (a sentence wrapped over a line
    break is written on one line)."""
    pattern = r"\s+".join(re.escape(part) for part in needle.split())
    match = re.compile(pattern).search(haystack, start)
    if match is None:
        near = haystack[start : start + 80].replace("\n", "\\n")
        raise PassError(f"{where}: {needle[:60]!r} not found after offset {start} (text there: {near!r})")
    return match.start(), match.end()


def place(doc_id: str, text: str, sentences: list[dict], stamp: dict, where: str) -> list[dict]:
    """Gold records (annotations/GUIDELINES.md) with offsets into `text` and span hashes."""
    records: list[dict] = []
    cursor = 0
    for sent_id, sent in enumerate(sentences):
        at = f"{where}:{sent.get('line', '?')}"
        s_text = sent["text"]
        start, end = _find(text, s_text, cursor, at)
        gap = text[cursor:start]
        if not GAP.fullmatch(gap):
            raise PassError(f"{at}: text left uncovered before this sentence: {gap.strip()[:80]!r}")
        s_text = text[start:end]
        records.append({"layer": "sentence", "doc_id": doc_id, "sent_id": sent_id, "start": start, "end": end,
                        "hash": span_hash(s_text), "segment": sent["segment"], "speaker": sent.get("speaker"),
                        "claim": bool(sent.get("claim")), "claim_type": sent.get("claim_type") if sent.get("claim") else None,
                        "stance": sent["stance"], **stamp})
        for layer, fields in (("entity", ("label", "entity_id")),
                              ("quantity", ("value", "value_high", "unit", "approx", "measure", "period"))):
            span_cursor = 0
            for span in sent.get("entities" if layer == "entity" else "quantities", []):
                pos, span_cursor = _find(s_text, span["text"], span_cursor, f"{where}:{span.get('line', '?')} {layer}")
                records.append({"layer": layer, "doc_id": doc_id, "sent_id": sent_id, "start": start + pos,
                                "end": start + span_cursor, "hash": span_hash(s_text[pos:span_cursor]),
                                **{f: span.get(f) for f in fields}, **stamp})
        cursor = end
    if not GAP.fullmatch(text[cursor:]):
        raise PassError(f"{where}: text left uncovered at the end: {text[cursor:].strip()[:80]!r}")
    return records
