"""Tools for annotators (annotations/GUIDELINES.md).

    python scripts/annotation_kit.py show DOC_ID              # the page: header, then numbered lines
    python scripts/annotation_kit.py check PASS_DIR DOC_ID... # place a pass file, report what fails
    python scripts/annotation_kit.py check PASS_DIR --all
    python scripts/annotation_kit.py export PASS_DIR DOC_ID...  # gold -> PASS_DIR/DOC_ID.ann, to correct
    python scripts/annotation_kit.py gold PASS_DIR DOC_ID...    # a checked pass file -> annotations/gold

A pass file is `PASS_DIR/DOC_ID.ann` in the line format of nlp/gold/passes.py. Annotators write
text, never offsets; `check` finds every sentence in order in the page and every span in order
within its sentence, and names the line of anything it cannot place or any text left uncovered.
`export` writes a document's gold as a pass file (the text looked up in its page); `gold` writes a
corrected pass file back as the document's gold records (offsets and hashes), stamped with the
file's `# annotator:` and `# guideline:` and the time.
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

from nlp.gold.passes import PassError, parse, place  # noqa: E402
from nlp.gold.sources import MissingDocument, doc_meta_text  # noqa: E402


def show(doc_id: str) -> None:
    meta, text = doc_meta_text(doc_id)
    for key in ("title", "kind", "date", "url"):
        print(f"{key}: {meta.get(key, '')}")
    print("---")
    for n, match in enumerate(re.finditer(r"[^\n]*\S[^\n]*", text)):
        print(f"[{n:03d}] {match.group(0)}")


def check(pass_dir: Path, doc_id: str) -> str:
    path = pass_dir / f"{doc_id}.ann"
    meta, sentences = parse(path.read_text(encoding="utf-8"), str(path))
    records = place(doc_id, doc_meta_text(doc_id)[1], sentences, {}, str(path))
    counts = {layer: sum(r["layer"] == layer for r in records) for layer in ("sentence", "entity", "quantity")}
    return f"{doc_id}: ok, {counts['sentence']} sentences, {counts['entity']} entities, {counts['quantity']} quantities"


GOLD = ROOT / "annotations" / "gold"


def _field(value) -> str:
    return "-" if value is None else str(value)


def export(pass_dir: Path, doc_id: str) -> str:
    """The document's gold records as a pass file, for an annotator to correct."""
    from nlp.gold.sources import with_text

    path = GOLD / f"{doc_id}.jsonl"
    if not path.is_file():
        raise PassError(f"{doc_id}: no gold file in {GOLD}")
    gold = {"sentence": [], "entity": [], "quantity": []}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = with_text(json.loads(line))
        gold[record["layer"]].append(record)
    spans = {}
    for layer in ("entity", "quantity"):
        for r in gold[layer]:
            spans.setdefault(r["sent_id"], []).append(r)
    annotators = sorted({r["annotator"] for r in gold["sentence"]})
    lines = [f"# annotator: {', '.join(annotators)}", f"# guideline: {gold['sentence'][0]['guideline']}"]
    for s in sorted(gold["sentence"], key=lambda r: r["start"]):
        text = " ".join(s["text"].split())
        lines.append(f"S | {s['segment']} | {s['stance']} | {s['claim_type'] if s['claim'] else 'no'} | "
                     f"{_field(s['speaker'])} | {text}")
        for r in sorted(spans.get(s["sent_id"], []), key=lambda r: (r["layer"] != "entity", r["start"])):
            span = " ".join(r["text"].split())  # one line: placement matches any white space
            if r["layer"] == "entity":
                lines.append(f"E | {span} | {r['label']} | {r['entity_id']}")
            else:
                lines.append(f"Q | {span} | {r['value']:g} | {_field(r['value_high'])} | {r['unit']} | "
                             f"{r['approx']} | {_field(r['measure'])} | {_field(r['period'])}")
    pass_dir.mkdir(parents=True, exist_ok=True)
    (pass_dir / f"{doc_id}.ann").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"{doc_id}: exported to {pass_dir / (doc_id + '.ann')}"


def gold(pass_dir: Path, doc_id: str) -> str:
    """A checked pass file written as the document's gold records."""
    path = pass_dir / f"{doc_id}.ann"
    meta, sentences = parse(path.read_text(encoding="utf-8"), str(path))
    stamp = {"annotator": meta.get("annotator") or "unknown",
             "created": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
             "guideline": meta.get("guideline") or "1.1"}
    records = place(doc_id, doc_meta_text(doc_id)[1], sentences, stamp, str(path))
    tmp = GOLD / f".{doc_id}.jsonl.tmp"
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    tmp.replace(GOLD / f"{doc_id}.jsonl")
    return f"{doc_id}: {len(records)} gold records written to {GOLD / (doc_id + '.jsonl')}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_show = sub.add_parser("show")
    p_show.add_argument("doc_ids", nargs="+")
    p_check = sub.add_parser("check")
    p_check.add_argument("pass_dir", type=Path)
    p_check.add_argument("doc_ids", nargs="*")
    p_check.add_argument("--all", action="store_true")
    for name in ("export", "gold"):
        p = sub.add_parser(name)
        p.add_argument("pass_dir", type=Path)
        p.add_argument("doc_ids", nargs="+")
    args = parser.parse_args(argv)
    failed = 0
    if args.command == "show":
        for doc_id in args.doc_ids:
            show(doc_id)
        return 0
    doc_ids = sorted(p.stem for p in args.pass_dir.glob("*.ann")) if getattr(args, "all", False) else args.doc_ids
    action = {"check": check, "export": export, "gold": gold}[args.command]
    for doc_id in doc_ids:
        try:
            print(action(args.pass_dir, doc_id))
        except (PassError, MissingDocument, FileNotFoundError) as exc:
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
