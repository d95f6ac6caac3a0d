"""Build the pool's gold annotations from two independent passes and an adjudication.

    python scripts/pool_annotations.py queue --a A_DIR --b B_DIR --out QUEUE.tsv
        the stance disagreements to adjudicate, the two readings in a seeded random order
    python scripts/pool_annotations.py build --a A_DIR --b B_DIR --adjudication ADJ_DIR
        annotations/passes/{pass-a,pass-b,adjudication}.jsonl and annotations/gold/DOC_ID.jsonl
    python scripts/pool_annotations.py agreement [--sample DOC_ID ...]
        agreement between the passes kept in annotations/passes/ (JSON)

Pass directories hold one `DOC_ID.ann` per page (nlp/gold/passes.py); adjudication files hold
`KEY | label | reason` lines (KEY as in the queue). Nothing here copies page text into the
repository: records carry offsets and a hash of each span.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.gold.merge import by_doc, disagreements, gold_for, key, span_agreement, stance_agreement  # noqa: E402
from nlp.gold.passes import PassError, decisions, parse, place  # noqa: E402
from nlp.gold.sources import doc_text  # noqa: E402
from nlp.labels import STANCE  # noqa: E402

PASSES = ROOT / "annotations" / "passes"
# Ids that annotators coined apart for one thing (found by listing the surface forms given more
# than one id across the pool); gold uses the first, the passes keep what each annotator wrote.
ID_MERGES = {"kss_crc": "kent_surrey_and_sussex_crc", "bgsw_crc": "bristol_gloucestershire_somerset_and_wiltshire_crc",
             "pa_media": "press_association", "howard_league_for_penal_reform": "howard_league",
             "peterborough_sib": "peterborough_social_impact_bond", "the_daily_telegraph": "the_telegraph",
             "third_sector_research_council": "third_sector_research_centre", "dyfed_and_powys": "dyfed_powys",
             "tr_target_operating_model": "target_operating_model",
             "draft_target_operating_model": "target_operating_model"}
GOLD = ROOT / "annotations" / "gold"


def _stamp(path: Path, meta: dict) -> dict:
    created = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc).isoformat(timespec="seconds")
    return {"annotator": meta.get("annotator") or "unknown", "created": meta.get("created") or created,
            "guideline": meta.get("guideline") or "1.1"}


def load_pass(folder: Path) -> list[dict]:
    records, failed = [], 0
    for path in sorted(folder.glob("*.ann")):
        try:
            meta, sentences = parse(path.read_text(encoding="utf-8"), str(path))
            records.extend(place(path.stem, doc_text(path.stem), sentences, _stamp(path, meta), str(path)))
        except PassError as exc:
            failed += 1
            print(f"error: {exc}", file=sys.stderr)
    if failed:
        raise SystemExit(f"{failed} pass file(s) in {folder} could not be placed")
    return records


def load_adjudication(folder: Path) -> dict[str, dict]:
    out = {}
    for path in sorted(folder.glob("*.adj")):
        meta, rows = decisions(path, STANCE)
        for item, label, reason in rows:
            out[item] = {"key": item, "stance": label, "reason": reason, **_stamp(path, meta)}
    return out


def queue(args) -> None:
    pass_a, pass_b = by_doc(load_pass(args.a)), by_doc(load_pass(args.b))
    lines = []
    for a, b in disagreements(pass_a, pass_b):
        first, second = sorted([a["stance"], b["stance"]], key=lambda s: hashlib.sha1((key(a) + s).encode()).hexdigest())
        text = doc_text(a["doc_id"])[a["start"]:a["end"]].replace("\n", " ")
        lines.append(f"{key(a)}\t{first}\t{second}\t{text}")
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} disagreements -> {args.out}")


def _write_jsonl(path: Path, records: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    tmp.replace(path)


def build(args) -> None:
    a_records, b_records = load_pass(args.a), load_pass(args.b)
    decisions = load_adjudication(args.adjudication)
    pass_a, pass_b = by_doc(a_records), by_doc(b_records)
    wanted = {key(a) for a, _ in disagreements(pass_a, pass_b)}
    missing = sorted(wanted - set(decisions))
    if missing:
        raise SystemExit(f"{len(missing)} disagreements not adjudicated, e.g. {missing[:3]}")
    adjudication = []
    for a, b in disagreements(pass_a, pass_b):
        d = decisions[key(a)]
        adjudication.append({"doc_id": a["doc_id"], "start": a["start"], "end": a["end"], "hash": a["hash"],
                             "pass_a": a["stance"], "pass_b": b["stance"], "stance": d["stance"],
                             "reason": d["reason"], "annotator": d["annotator"], "created": d["created"],
                             "guideline": d["guideline"]})
    _write_jsonl(PASSES / "pass-a.jsonl", a_records)
    _write_jsonl(PASSES / "pass-b.jsonl", b_records)
    _write_jsonl(PASSES / "adjudication.jsonl", adjudication)
    by_key = {key(r): {"stance": r["stance"], "annotator": r["annotator"]} for r in adjudication}
    for r in a_records:
        if r["layer"] == "entity":
            r["entity_id"] = ID_MERGES.get(r["entity_id"], r["entity_id"])
    for doc_id in sorted(pass_a):
        _write_jsonl(GOLD / f"{doc_id}.jsonl", gold_for(pass_a[doc_id], pass_b.get(doc_id), by_key))
    added = _list_new_ids([r for r in a_records if r["layer"] == "entity"])
    print(f"{len(pass_a)} pages -> {GOLD}; {len(adjudication)} adjudicated sentences; {added} new ids listed")


def _list_new_ids(entities: list[dict]) -> int:
    """Append the ids coined in the pool to annotations/entity_ids.md (label, names as written)."""
    path = ROOT / "annotations" / "entity_ids.md"
    text = path.read_text(encoding="utf-8")
    known = set(re.findall(r"^- `([a-z0-9_]+)`", text, flags=re.M))
    labels, names = defaultdict(Counter), defaultdict(Counter)
    for r in entities:
        labels[r["entity_id"]][r["label"]] += 1
        names[r["entity_id"]][doc_text(r["doc_id"])[r["start"]:r["end"]].replace("\n", " ")] += 1
    new = sorted(set(labels) - known)
    if not new:
        return 0
    heading = "\n## Coined in the pool annotation (guideline 1.1)\n\n"
    lines = [f"- `{i}` — {labels[i].most_common(1)[0][0]} — " + " — ".join(n for n, _ in names[i].most_common(4))
             for i in new]
    path.write_text(text.rstrip("\n") + "\n" + (heading if heading.strip() not in text else "\n")
                    + "\n".join(lines) + "\n", encoding="utf-8")
    return len(new)


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def agreement(args) -> None:
    pass_a, pass_b = by_doc(_read(PASSES / "pass-a.jsonl")), by_doc(_read(PASSES / "pass-b.jsonl"))
    sample = args.sample or sorted(d for d in pass_b if pass_b[d]["entity"] or pass_b[d]["quantity"])
    report = {"stance": stance_agreement(pass_a, pass_b), "spans": span_agreement(pass_a, pass_b, sample)}
    adjudication = _read(PASSES / "adjudication.jsonl") if (PASSES / "adjudication.jsonl").exists() else []
    report["adjudication"] = {"n": len(adjudication),
                              "sided_with_a": sum(r["stance"] == r["pass_a"] for r in adjudication),
                              "sided_with_b": sum(r["stance"] == r["pass_b"] for r in adjudication),
                              "third_label": sum(r["stance"] not in (r["pass_a"], r["pass_b"]) for r in adjudication)}
    print(json.dumps(report, indent=1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("queue", "build"):
        p = sub.add_parser(name)
        p.add_argument("--a", type=Path, required=True)
        p.add_argument("--b", type=Path, required=True)
        if name == "queue":
            p.add_argument("--out", type=Path, required=True)
        else:
            p.add_argument("--adjudication", type=Path, required=True)
    p = sub.add_parser("agreement")
    p.add_argument("--sample", nargs="*")
    args = parser.parse_args(argv)
    {"queue": queue, "build": build, "agreement": agreement}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
