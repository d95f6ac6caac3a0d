"""List the errors of a run against the gold, layer by layer, for error analysis (issue 16).

    .venv/bin/python research/mech_errors.py OUT --split dev [--layer sentences|entities|quantities|ids] [--site S]

Sentences: each gold sentence (not boilerplate) missed and each predicted one (not boilerplate)
that matches no gold sentence, with its segment labels, grouped by document. Entities: misses,
false positives and label errors on exact spans. Quantities: misses and false positives by overlap
(as `claims eval` matches them), value/unit and approximation errors. ``ids``: the predicted ids that merge
mentions of more than one gold id (what costs same-id pair precision), with the pairs each costs.
Scores come from `claims eval`; this only shows where they are lost.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nlp.engine.outputs import check_out_dir, load_rows  # noqa: E402
from nlp.eval.scoring import _strip, load_gold  # noqa: E402
from nlp.gold.sources import split_sites  # noqa: E402


def _short(text: str, n: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--gold", default="annotations")
    ap.add_argument("--split", default="dev")
    ap.add_argument("--layer", default="sentences", choices=("sentences", "entities", "quantities", "ids"))
    ap.add_argument("--site")
    args = ap.parse_args()
    if args.split == "test":
        sys.exit("the test split is scored once, by the lead")
    out = check_out_dir(args.out)
    gold = load_gold(args.gold, split=args.split)
    sites = split_sites(args.gold)
    if args.site:
        gold = {d: g for d, g in gold.items() if sites.get(d) == args.site}
    texts = {r["doc_id"]: r["text"] for r in load_rows(out, "documents") if r["doc_id"] in gold}
    rows: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for name in ("sentences", "entities", "quantities"):
        for r in load_rows(out, name):
            if r["doc_id"] in gold:
                rows[name][r["doc_id"]].append(r)
    globals()["_" + args.layer](gold, texts, rows, sites)


def _unmatched(mine: dict, theirs: dict, tag: str, as_furniture: str, side: str, text: str, kinds: Counter) -> list:
    """Sentences of one side (not furniture there) that the other side has not as text: a miss (gold
    side) or a false sentence (predicted side), with why: furniture on the other side, or split differently."""
    lines = []
    for span, row in sorted(mine.items()):
        if row["segment"] == "boilerplate":
            continue
        other = theirs.get(span)
        if other is None or other["segment"] == "boilerplate":
            why = as_furniture if other is not None else "split differently"
            kinds[f"{tag.lower()} {why}"] += 1
            lines.append((span[0], f"  {tag} ({why}, {side} {row['segment']}) {span[0]}-{span[1]}: "
                                   f"{_short(text[span[0]:span[1]])}"))
    return lines


def _sentences(gold, texts, rows, sites) -> None:
    kinds = Counter()
    for doc_id in sorted(gold):
        text = texts.get(doc_id, "")
        g_all = {_strip(text, g["start"], g["end"]): g for g in gold[doc_id]["sentence"]}
        p_all = {_strip(text, p["start"], p["end"]): p for p in rows["sentences"][doc_id]}
        lines = _unmatched(g_all, p_all, "MISS", "as furniture", "gold", text, kinds) \
            + _unmatched(p_all, g_all, "FALSE", "gold furniture", "pred", text, kinds)
        if lines:
            print(f"== {doc_id} ({sites.get(doc_id)})")
            for _, line in sorted(lines):
                print(line)
    print(dict(kinds))


def _entities(gold, texts, rows, sites) -> None:
    kinds = Counter()
    for doc_id in sorted(gold):
        text = texts.get(doc_id, "")
        g_spans = {(g["start"], g["end"]): g for g in gold[doc_id]["entity"]}
        p_spans = {(p["start"], p["end"]): p for p in rows["entities"][doc_id]}
        lines = []
        for span, g in g_spans.items():
            p = p_spans.get(span)
            if p is None:
                near = [q for s, q in p_spans.items() if s[0] < span[1] and span[0] < s[1]]
                why = f"boundary: pred {near[0]['text']!r} {near[0]['label']}" if near else "missed"
                kinds["miss " + ("boundary" if near else g["label"])] += 1
                lines.append((span[0], f"  MISS {g['label']} {text[span[0]:span[1]]!r} ({g['entity_id']}) {why}"))
            elif p["label"] != g["label"]:
                kinds[f"label {g['label']}->{p['label']}"] += 1
                lines.append((span[0], f"  LABEL {text[span[0]:span[1]]!r} gold {g['label']} pred {p['label']} ({p['source']})"))
        for span, p in p_spans.items():
            if span not in g_spans:
                near = [g for s, g in g_spans.items() if s[0] < span[1] and span[0] < s[1]]
                if near:
                    continue  # counted as a boundary miss
                kinds[f"false {p['label']} ({p['source']})"] += 1
                lines.append((span[0], f"  FALSE {p['label']} {p['text']!r} ({p['source']}) in: {_short(text[max(0, span[0]-40):span[1]+40], 100)}"))
        if lines:
            print(f"== {doc_id} ({sites.get(doc_id)})")
            for _, line in sorted(lines):
                print(line)
    for k, v in kinds.most_common():
        print(f"{v:5d} {k}")


def _quantities(gold, texts, rows, sites) -> None:
    kinds = Counter()
    for doc_id in sorted(gold):
        text = texts.get(doc_id, "")
        preds = list(rows["quantities"][doc_id])
        used, lines = set(), []
        for g in gold[doc_id]["quantity"]:
            best, best_len = None, 0
            for i, p in enumerate(preds):
                if i in used:
                    continue
                overlap = min(p["end"], g["end"]) - max(p["start"], g["start"])
                if overlap > best_len:
                    best, best_len = i, overlap
            gtext = text[g["start"]:g["end"]]
            if best is None:
                kinds["miss"] += 1
                lines.append((g["start"], f"  MISS {gtext!r} {g['value']} {g['unit']} in: {_short(text[max(0, g['start']-40):g['end']+40], 100)}"))
                continue
            used.add(best)
            p = preds[best]
            if abs(p["value"] - g["value"]) > 0.005 * max(abs(g["value"]), 1e-9) or p["unit"] != g["unit"]:
                kinds["value/unit"] += 1
                lines.append((g["start"], f"  VALUE {gtext!r} gold {g['value']} {g['unit']} pred {p['text']!r} {p['value']} {p['unit']}"))
            if p["approx"] != g["approx"]:
                kinds["approx"] += 1
                lines.append((g["start"], f"  APPROX {gtext!r} gold {g['approx']} pred {p['text']!r} {p['approx']}"))
        for i, p in enumerate(preds):
            if i not in used:
                kinds["false"] += 1
                lines.append((p["start"], f"  FALSE {p['text']!r} {p['value']} {p['unit']} in: {_short(text[max(0, p['start']-40):p['end']+40], 100)}"))
        if lines:
            print(f"== {doc_id} ({sites.get(doc_id)})")
            for _, line in sorted(lines):
                print(line)
    print(dict(kinds))


def _ids(gold, texts, rows, sites) -> None:
    """Predicted ids joining mentions of several gold ids: the false same-id pairs each makes."""
    groups = defaultdict(Counter)  # ids are corpus-wide: pairs count across documents too
    examples = defaultdict(Counter)
    for doc_id in sorted(gold):
        text = texts.get(doc_id, "")
        by_span = {(p["start"], p["end"]): p for p in rows["entities"][doc_id]}
        for g in gold[doc_id]["entity"]:
            p = by_span.get((g["start"], g["end"]))
            if p is not None:
                groups[p["entity_id"]][g["entity_id"]] += 1
                examples[p["entity_id"]][(g["entity_id"], text[g["start"]:g["end"]])] += 1
    cost = Counter()
    for pid, counts in groups.items():
        n = sum(counts.values())
        cost[pid] = n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in counts.values())
    for pid, c in cost.most_common(40):
        if c:
            print(f"{c:6d} {pid}: {dict(examples[pid].most_common(6))}")


if __name__ == "__main__":
    main()
