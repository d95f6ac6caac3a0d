"""Tools for annotators (annotations/GUIDELINES.md).

    python scripts/annotation_kit.py show DOC_ID              # the page: header, then numbered lines
    python scripts/annotation_kit.py check PASS_DIR DOC_ID... # place a pass file, report what fails
    python scripts/annotation_kit.py check PASS_DIR --all

A pass file is `PASS_DIR/DOC_ID.ann` in the line format of nlp/gold/passes.py. Annotators write
text, never offsets; `check` finds every sentence in order in the page and every span in order
within its sentence, and names the line of anything it cannot place or any text left uncovered.
"""

from __future__ import annotations

import argparse
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_show = sub.add_parser("show")
    p_show.add_argument("doc_ids", nargs="+")
    p_check = sub.add_parser("check")
    p_check.add_argument("pass_dir", type=Path)
    p_check.add_argument("doc_ids", nargs="*")
    p_check.add_argument("--all", action="store_true")
    args = parser.parse_args(argv)
    failed = 0
    if args.command == "show":
        for doc_id in args.doc_ids:
            show(doc_id)
        return 0
    doc_ids = sorted(p.stem for p in args.pass_dir.glob("*.ann")) if args.all else args.doc_ids
    for doc_id in doc_ids:
        try:
            print(check(args.pass_dir, doc_id))
        except (PassError, MissingDocument, FileNotFoundError) as exc:
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
