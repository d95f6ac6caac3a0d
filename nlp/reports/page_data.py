"""Everything the HTML report shows, gathered from a run's output folder into one JSON-ready dict.

Bounded for large runs: aggregates (counts, stance shares) cover every row, while the lists a page
would otherwise grow without end (the claim table, document texts, the sentences behind a stance
point, measure timelines) are capped by `Limits`; `truncated` says what was cut, so the page can say
so. Nothing here renders HTML: the page builds its DOM from this data with textContent.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlparse

from ..config import Config
from ..engine.outputs import check_out_dir, iter_rows, load_rows
from ..labels import STANCE

STANCES = tuple(label for label in STANCE if label != "none")


@dataclass(frozen=True)
class Limits:
    claims: int = 5000  # rows of the claim table
    documents: int = 200  # documents whose text the document view carries
    sentences_per_point: int = 40  # sentences listed behind one stance point
    measures: int = 25  # measure timelines
    points_per_measure: int = 300
    groups: int = 8  # kinds / speakers a stance chart splits into


def _site(url: str | None) -> str:
    host = (urlparse(url or "").hostname or "").lower()
    return host.removeprefix("www.") or "(no url)"


def _year(date: str | None) -> str:
    return (date or "")[:4] or "(undated)"


def _month(date: str | None) -> str:
    return (date or "")[:7] if len(date or "") >= 7 else "(undated)"


def build(out_dir: str | Path, limits: Limits = Limits()) -> dict:
    out = check_out_dir(out_dir)
    docs = {d["doc_id"]: d for d in iter_rows(out, "documents")}
    order = {doc_id: n for n, doc_id in enumerate(docs)}
    sentences = defaultdict(list)
    for s in iter_rows(out, "sentences"):
        sentences[s["doc_id"]].append(s)
    stance = {(r["doc_id"], r["sent_id"]): r for r in iter_rows(out, "stance")}
    entities = defaultdict(list)
    for e in iter_rows(out, "entities"):
        entities[e["doc_id"]].append(e)
    quantities = defaultdict(list)
    for q in iter_rows(out, "quantities"):
        quantities[q["doc_id"]].append(q)
    claims = load_rows(out, "claims")
    links = load_rows(out, "links")
    truncated: dict[str, str] = {}
    data = {"meta": _meta(out, limits), "truncated": truncated}
    data["overview"] = _overview(docs, sentences, entities, quantities, claims, links)
    data["stance"] = _stance(docs, sentences, stance, limits, truncated)
    data["claims"] = _claims(docs, claims, quantities, entities, stance, order, limits, truncated)
    data["measures"] = _measures(docs, quantities, claims, links, limits, truncated)
    data["documents"] = _documents(docs, sentences, entities, quantities, stance, links, limits, truncated)
    return data


def _meta(out: Path, limits: Limits) -> dict:
    run = json.loads((out / "run.json").read_text(encoding="utf-8")) if (out / "run.json").exists() else {}
    when = dt.datetime.fromtimestamp((out / "documents.jsonl").stat().st_mtime, dt.timezone.utc)
    models = {}
    for card in sorted(Path(Config().models_dir).glob("*/MODEL_CARD.md")):
        first = card.read_text(encoding="utf-8").split("\n", 1)[0].lstrip("# ").strip()
        models[card.parent.name] = first
    return {"out": str(out), "run_date": when.isoformat(timespec="seconds"), "run": run, "models": models,
            "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "limits": asdict(limits)}


def _overview(docs, sentences, entities, quantities, claims, links) -> dict:
    return {"counts": {"documents": len(docs), "sentences": sum(map(len, sentences.values())),
                       "claims": len(claims), "quantities": sum(map(len, quantities.values())),
                       "entities": sum(map(len, entities.values())), "links": len(links)},
            "links_by_relation": dict(Counter(link["relation"] for link in links)),
            "by_kind": dict(Counter(d.get("kind") or "other" for d in docs.values()).most_common()),
            "by_site": dict(Counter(_site(d.get("url")) for d in docs.values()).most_common(30)),
            "by_year": dict(sorted(Counter(_year(d.get("date")) for d in docs.values()).items()))}


def _stance(docs, sentences, stance, limits: Limits, truncated: dict) -> dict:
    """Counts per (time unit, period, split, group, label) and the sentences behind each point."""
    counts: dict = {unit: {split: defaultdict(Counter) for split in ("all", "kind", "speaker")}
                    for unit in ("year", "month")}
    behind: dict = defaultdict(list)
    speakers = Counter()
    rows = []
    for doc_id, doc_sentences in sentences.items():
        doc = docs.get(doc_id, {})
        for s in doc_sentences:
            label = stance.get((doc_id, s["sent_id"]))
            if label is None or s["segment"] == "boilerplate":
                continue
            speaker = s.get("speaker") or doc.get("author") or "(unattributed)"
            rows.append((doc, s, label, speaker))
            if label["label"] != "none":
                speakers[speaker] += 1
    top_speakers = {name for name, _ in speakers.most_common(limits.groups)}
    cut = 0
    for doc, s, label, speaker in rows:
        for unit, period in (("year", _year(doc.get("date"))), ("month", _month(doc.get("date")))):
            counts[unit]["all"][period]["all|" + label["label"]] += 1
            counts[unit]["kind"][period][f"{doc.get('kind') or 'other'}|{label['label']}"] += 1
            group = speaker if speaker in top_speakers else "(others)"
            counts[unit]["speaker"][period][f"{group}|{label['label']}"] += 1
            if label["label"] != "none":
                point = behind[f"{unit}|{period}|{label['label']}"]
                if len(point) < limits.sentences_per_point:
                    point.append({"doc": s["doc_id"], "sent": s["sent_id"], "text": s["text"],
                                  "confidence": round(label.get("confidence", 0), 3), "speaker": speaker})
                elif unit == "year":  # each sentence counted once, not once per time unit
                    cut += 1
    if cut:
        truncated["stance"] = (f"at most {limits.sentences_per_point} sentences are listed behind a point "
                               f"({cut:,} more are counted but not listed)")
    return {"labels": list(STANCES),
            "counts": {unit: {split: {p: dict(c) for p, c in sorted(groups.items())} for split, groups in by.items()}
                       for unit, by in counts.items()},
            "sentences": dict(behind)}


def _claims(docs, claims, quantities, entities, stance, order, limits: Limits, truncated: dict) -> list[dict]:
    qty_by_id = {q.get("quantity_id"): q for qs in quantities.values() for q in qs}
    names = defaultdict(set)
    for doc_id, ents in entities.items():
        for e in ents:
            names[(doc_id, e["sent_id"])].add(e["text"])
    rows = []
    for claim in sorted(claims, key=lambda c: (order.get(c["doc_id"], 0), c["sent_id"])):
        doc = docs.get(claim["doc_id"], {})
        label = stance.get((claim["doc_id"], claim["sent_id"]))
        qtys = [qty_by_id[q] for q in claim.get("quantity_ids", []) if q in qty_by_id] or [None]
        for q in qtys:
            rows.append({"doc": claim["doc_id"], "sent": claim["sent_id"], "date": doc.get("date") or "",
                         "kind": doc.get("kind") or "", "type": claim["type"], "text": claim["text"],
                         "value": q and q["value"], "unit": q and q["unit"], "approx": q and q["approx"],
                         "measure": q and q.get("measure"), "entities": ", ".join(sorted(names[(claim["doc_id"],
                                                                                                 claim["sent_id"])])),
                         "stance": label["label"] if label else None})
    if len(rows) > limits.claims:
        truncated["claims"] = (f"the table holds the first {limits.claims:,} of {len(rows):,} claim rows "
                               "(all of them: claims report OUT --format csv)")
        rows = rows[: limits.claims]
    return rows


def _measures(docs, quantities, claims, links, limits: Limits, truncated: dict) -> list[dict]:
    """One timeline per measure named in several documents: its figures by date, and the update and
    contradict links between the claims that give them."""
    points = defaultdict(list)
    for doc_id, qs in quantities.items():
        doc = docs.get(doc_id, {})
        for q in qs:
            if q.get("measure") and doc.get("date"):
                points[(q["measure"].strip().lower(), q["unit"])].append(
                    {"doc": doc_id, "sent": q["sent_id"], "date": doc["date"], "value": q["value"],
                     "text": q["text"], "site": _site(doc.get("url"))})
    shared = [(key, pts) for key, pts in points.items() if len({p["doc"] for p in pts}) >= 2]
    shared.sort(key=lambda kv: (-len({p["doc"] for p in kv[1]}), kv[0]))
    if len(shared) > limits.measures:
        truncated["measures"] = f"the {limits.measures} measures named in most documents of {len(shared):,}"
    out = []
    for (measure, unit), pts in shared[: limits.measures]:
        pts = sorted(pts, key=lambda p: p["date"])[: limits.points_per_measure]
        where = {f"{p['doc']}:{p['sent']}" for p in pts}
        pairs = [{"a": link["a"], "b": link["b"], "relation": link["relation"], "reason": link.get("reason", "")}
                 for link in links if link["relation"] in ("update", "contradict")
                 and link["a"] in where and link["b"] in where]
        out.append({"measure": measure, "unit": unit, "points": pts, "links": pairs})
    return out


def _documents(docs, sentences, entities, quantities, stance, links, limits: Limits, truncated: dict) -> list[dict]:
    leaving = defaultdict(list)
    for link in links:
        for here, there in ((link["a"], link["b"]), (link["b"], link["a"])):
            leaving[here].append({"to": there, "relation": link["relation"], "reason": link.get("reason", "")})
    out = []
    for doc_id, doc in list(docs.items())[: limits.documents]:
        out.append({"id": doc_id, "title": doc.get("title") or doc_id, "kind": doc.get("kind"),
                    "date": doc.get("date"), "url": doc.get("url"), "text": doc["text"],
                    "sentences": [{"sent": s["sent_id"], "start": s["start"], "end": s["end"], "segment": s["segment"],
                                   "stance": (stance.get((doc_id, s["sent_id"])) or {}).get("label"),
                                   "confidence": (stance.get((doc_id, s["sent_id"])) or {}).get("confidence"),
                                   "links": leaving.get(f"{doc_id}:{s['sent_id']}", [])[:10]}
                                  for s in sentences.get(doc_id, [])],
                    "entities": [{"start": e["start"], "end": e["end"], "label": e["label"], "id": e["entity_id"]}
                                 for e in entities.get(doc_id, [])],
                    "quantities": [{"start": q["start"], "end": q["end"], "unit": q["unit"], "value": q["value"]}
                                   for q in quantities.get(doc_id, [])]})
    if len(docs) > limits.documents:
        truncated["documents"] = (f"the document view carries the first {limits.documents:,} of {len(docs):,} "
                                  "documents; every document is counted in the charts")
    return out
