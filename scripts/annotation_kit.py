"""Tools for annotators: show a document, and build gold JSONL with offsets from a raw file.

    python scripts/annotation_kit.py show DOC_ID          # the text, with numbered paragraphs
    python scripts/annotation_kit.py build DOC_ID [...]   # raw/DOC_ID.json -> gold/DOC_ID.jsonl
    python scripts/annotation_kit.py build --all

Annotators write text, never offsets; this script finds every sentence in order in the document
text and every span in order within its sentence, and refuses anything it cannot place.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.ingest.header import normalise_newlines, split_header  # noqa: E402
from nlp.labels import APPROX, CLAIM_TYPES, SEGMENTS, UNITS  # noqa: E402
from nlp.labels import ENTITY_LABELS as LABELS  # noqa: E402
from nlp.labels import STANCE as STANCES  # noqa: E402

CORPUS = ROOT / "corpus"
RAW = ROOT / "annotations" / "raw"
GOLD = ROOT / "annotations" / "gold"
GUIDELINE = "1.0"


class KitError(Exception):
    pass


def doc_text(doc_id: str) -> str:
    path = next(CORPUS.glob(f"{doc_id}.*"), None)
    if path is None:
        raise KitError(f"{doc_id}: no such document in corpus/")
    return split_header(normalise_newlines(path.read_text(encoding="utf-8")))[1]


def show(doc_id: str) -> None:
    text = doc_text(doc_id)
    for n, match in enumerate(re.finditer(r"[^\n]*\S[^\n]*", text)):
        print(f"[{n:03d} @{match.start()}] {match.group(0)}")


def _find(haystack: str, needle: str, start: int, where: str) -> int:
    pos = haystack.find(needle, start)
    if pos < 0:
        near = haystack[start : start + 80].replace("\n", "\\n")
        raise KitError(f"{where}: {needle[:60]!r} not found after offset {start} (text there: {near!r})")
    return pos


def _check(value, allowed: tuple, what: str, where: str) -> None:
    if value not in allowed:
        raise KitError(f"{where}: {what} {value!r} is not one of {sorted(allowed)}")


def _built_at(doc_id: str) -> str | None:
    """When the gold file was first built: rebuilding unchanged labels keeps their time."""
    path = GOLD / f"{doc_id}.jsonl"
    if not path.exists():
        return None
    first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    return json.loads(first).get("created") if first.strip() else None


def build(doc_id: str) -> list[dict]:
    raw = json.loads((RAW / f"{doc_id}.json").read_text(encoding="utf-8"))
    text = doc_text(doc_id)
    annotator = raw["annotator"]
    created = raw.get("created") or _built_at(doc_id) or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    stamp = {"annotator": annotator, "created": created, "guideline": GUIDELINE}
    records: list[dict] = []
    cursor = 0
    for sent_id, sent in enumerate(raw["sentences"]):
        where = f"{doc_id} sentence {sent_id}"
        s_text = sent["text"]
        if s_text != s_text.strip() or not s_text:
            raise KitError(f"{where}: sentence text must be non-empty with no surrounding white space")
        start = _find(text, s_text, cursor, where)
        gap = text[cursor:start]
        if gap.strip() and gap.strip() not in {"•", "·", "-", "*"} and not re.fullmatch(r"\s*(\d+[.)]|[a-z][.)]|[•·*-])\s*", gap):
            raise KitError(f"{where}: text left uncovered before it: {gap.strip()[:80]!r}")
        end = start + len(s_text)
        _check(sent["segment"], SEGMENTS, "segment", where)
        _check(sent["stance"], STANCES, "stance", where)
        if sent.get("claim"):
            _check(sent.get("claim_type"), CLAIM_TYPES, "claim_type", where)
        records.append({"layer": "sentence", "doc_id": doc_id, "sent_id": sent_id, "start": start, "end": end,
                        "text": s_text, "segment": sent["segment"], "speaker": sent.get("speaker"),
                        "claim": bool(sent.get("claim")), "claim_type": sent.get("claim_type") if sent.get("claim") else None,
                        "stance": sent["stance"], **stamp})
        span_cursor = 0
        for ent in sent.get("entities", []):
            e_text, label, entity_id = ent
            _check(label, LABELS, "label", f"{where} entity {e_text!r}")
            pos = _find(s_text, e_text, span_cursor, f"{where} entity")
            span_cursor = pos + len(e_text)
            records.append({"layer": "entity", "doc_id": doc_id, "sent_id": sent_id, "start": start + pos,
                            "end": start + span_cursor, "text": e_text, "label": label, "entity_id": entity_id, **stamp})
        span_cursor = 0
        for qty in sent.get("quantities", []):
            q_where = f"{where} quantity {qty.get('text')!r}"
            _check(qty["unit"], UNITS, "unit", q_where)
            _check(qty["approx"], APPROX, "approx", q_where)
            pos = _find(s_text, qty["text"], span_cursor, q_where)
            span_cursor = pos + len(qty["text"])
            records.append({"layer": "quantity", "doc_id": doc_id, "sent_id": sent_id, "start": start + pos,
                            "end": start + span_cursor, "text": qty["text"], "value": float(qty["value"]),
                            "value_high": None if qty.get("value_high") is None else float(qty["value_high"]),
                            "unit": qty["unit"], "approx": qty["approx"], "measure": qty.get("measure"),
                            "period": qty.get("period"), **stamp})
        cursor = end
    if text[cursor:].strip():
        raise KitError(f"{doc_id}: text left uncovered at the end: {text[cursor:].strip()[:80]!r}")
    for rec in records:
        assert text[rec["start"] : rec["end"]] == rec["text"]
    return records


def write(doc_id: str, records: list[dict]) -> None:
    GOLD.mkdir(parents=True, exist_ok=True)
    tmp = GOLD / f".{doc_id}.jsonl.tmp"
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    tmp.replace(GOLD / f"{doc_id}.jsonl")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["show", "build"])
    parser.add_argument("doc_ids", nargs="*")
    parser.add_argument("--all", action="store_true", help="build every raw file")
    args = parser.parse_args(argv)
    doc_ids = sorted(p.stem for p in RAW.glob("*.json")) if args.all else args.doc_ids
    failed = 0
    for doc_id in doc_ids:
        try:
            if args.command == "show":
                show(doc_id)
                continue
            records = build(doc_id)
            write(doc_id, records)
            counts = {layer: sum(r["layer"] == layer for r in records) for layer in ("sentence", "entity", "quantity")}
            print(f"{doc_id}: {counts['sentence']} sentences, {counts['entity']} entities, {counts['quantity']} quantities")
        except (KitError, KeyError, json.JSONDecodeError, FileNotFoundError) as exc:
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
