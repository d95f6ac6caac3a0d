"""Rows for `claims report OUT --links`: contradictions first, then updates, then clusters of
repeats (how many sources, earliest source first), each with both sentences, their documents,
dates and the reason. The CLI renders these rows; nothing here prints."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..engine.outputs import check_out_dir, load_rows

LINK_COLUMNS = ("relation", "sources", "score", "a_doc", "a_date", "a_text", "b_doc", "b_date", "b_text", "reason")
_ORDER = {"contradict": 0, "update": 1, "repeat": 2}


def _date_key(date: str | None) -> str:
    return date or "9999"


def _claim_view(claim_id: str, claims: dict, docs: dict) -> dict:
    claim = claims.get(claim_id, {})
    doc_id = claim.get("doc_id", claim_id.rsplit(":", 1)[0])
    doc = docs.get(doc_id, {})
    return {"claim_id": claim_id, "doc_id": doc_id, "date": claim.get("date") or doc.get("date"),
            "title": doc.get("title"), "kind": doc.get("kind"), "text": claim.get("text", "")}


def _keep(link: dict, claims: dict, entity: str | None, measure: str | None) -> bool:
    if measure and measure.lower() not in (link.get("measure") or link.get("reason") or "").lower():
        return False
    if entity:
        needle = entity.lower()
        for side in (link["a"], link["b"]):
            claim = claims.get(side, {})
            if any(needle == e.lower() for e in claim.get("entity_ids", ())) or needle in claim.get("text", "").lower():
                return True
        return False
    return True


def _pair_row(link: dict, a: dict, b: dict, sources: int = 2) -> dict:
    if _date_key(b["date"]) < _date_key(a["date"]):
        a, b = b, a
    return {"relation": link["relation"], "sources": sources, "score": link["score"], "reason": link["reason"],
            "a_id": a["claim_id"], "a_doc": a["doc_id"], "a_date": a["date"], "a_text": a["text"],
            "b_id": b["claim_id"], "b_doc": b["doc_id"], "b_date": b["date"], "b_text": b["text"],
            "measure": link.get("measure"), "claims": [a, b]}


def _clusters(repeats: list[dict]) -> list[list[dict]]:
    """Connected components of the repeat links (union-find over claim ids)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for link in repeats:
        parent[find(link["a"])] = find(link["b"])
    groups: dict[str, list[dict]] = defaultdict(list)
    for link in repeats:
        groups[find(link["a"])].append(link)
    return list(groups.values())


def _cluster_row(links: list[dict], claims: dict, docs: dict) -> dict:
    ids = sorted({x for link in links for x in (link["a"], link["b"])})
    views = sorted((_claim_view(c, claims, docs) for c in ids), key=lambda v: (_date_key(v["date"]), v["doc_id"]))
    best = max(links, key=lambda link: link["score"])
    first, second = views[0], views[1]
    row = _pair_row(best, first, second, sources=len({v["doc_id"] for v in views}))
    row.update({"a_id": first["claim_id"], "a_doc": first["doc_id"], "a_date": first["date"], "a_text": first["text"],
                "b_id": second["claim_id"], "b_doc": second["doc_id"], "b_date": second["date"],
                "b_text": second["text"], "claims": views, "score": max(link["score"] for link in links)})
    return row


def links_report(out_dir: str | Path, entity: str | None = None, measure: str | None = None) -> list[dict]:
    """The links of a run as report rows (contradictions, updates, then repeat clusters), filtered
    by entity (an entity id, or text in either sentence) and measure (text in the measure)."""
    out = check_out_dir(out_dir)
    claims = {c["claim_id"]: c for c in load_rows(out, "claims")}
    docs = {d["doc_id"]: d for d in load_rows(out, "documents")}
    links = [link for link in load_rows(out, "links") if _keep(link, claims, entity, measure)]
    rows = []
    for link in sorted((x for x in links if x["relation"] != "repeat"),
                       key=lambda x: (_ORDER.get(x["relation"], 3), -x["score"])):
        rows.append(_pair_row(link, _claim_view(link["a"], claims, docs), _claim_view(link["b"], claims, docs)))
    repeats = [x for x in links if x["relation"] == "repeat"]
    clusters = [_cluster_row(group, claims, docs) for group in _clusters(repeats)]
    clusters.sort(key=lambda r: (-r["sources"], -r["score"]))
    return rows + clusters


# --- by measure ---------------------------------------------------------------------------------

MEASURE_COLUMNS = ("measure", "kind", "step", "period", "value", "scope", "doc", "date", "text", "other_period",
                   "other_value", "other_doc", "other_text", "disagree", "reason")


def _frame(claim: dict):
    from ..links.frames import Frame

    return Frame.from_json(claim.get("frame"))


def _value_text(value) -> str | None:
    if value is None:
        return None
    return f"{value.text} [{value.value.describe(value.family or 'count')}]"


def _shared_value(fa, fb):
    """The values of a measure both claims give (their own measures first), or (None, None)."""
    for x in fa.values():
        for y in fb.values():
            if x.measure == y.measure:
                return x, y
    return None, None


def measure_report(out_dir: str | Path, entity: str | None = None, measure: str | None = None) -> list[dict]:
    """`claims report OUT --links --by measure`: for each measure of the vocabulary that claims
    give a value of, its timeline (each value by period and source, `kind` value), its update
    chains (consecutive steps in period order, `kind` update, `step` 1, 2, ...) and its
    contradictions (both sentences and the frame fields that disagree, `kind` contradict).
    Measures with the most sources first; `measure` keeps ids or labels containing the text."""
    from ..links.frames import compare_frames, load_vocabulary

    out = check_out_dir(out_dir)
    vocab = load_vocabulary()
    claims = {c["claim_id"]: c for c in load_rows(out, "claims")}
    docs = {d["doc_id"]: d for d in load_rows(out, "documents")}
    frames = {cid: _frame(c) for cid, c in claims.items()}
    timeline: dict[str, list[dict]] = defaultdict(list)
    for cid, frame in frames.items():
        for value in frame.values():
            claim = claims[cid]
            timeline[value.measure].append({
                "measure": value.measure, "kind": "value", "step": None,
                "period": value.period.label if value.period else None, "_month": value.period.first if value.period else 0,
                "value": _value_text(value), "scope": "/".join(frame.scope), "doc": claim["doc_id"],
                "date": claim.get("date") or docs.get(claim["doc_id"], {}).get("date"), "text": claim.get("text", ""),
                "_claim": claim})
    changes: dict[str, dict[str, list]] = defaultdict(lambda: {"update": [], "contradict": []})
    for link in load_rows(out, "links"):
        if link["relation"] not in ("update", "contradict") or link["a"] not in frames or link["b"] not in frames:
            continue
        if not _keep(link, claims, entity, None):
            continue
        x, y = _shared_value(frames[link["a"]], frames[link["b"]])
        if x is None:
            continue
        changes[x.measure][link["relation"]].append((link, x, y))
    rows = []
    measures = sorted(set(timeline) | set(changes), key=lambda m: (-len({r["doc"] for r in timeline.get(m, ())}), m))
    for mid in measures:
        label = vocab.label(mid) or mid
        if measure and measure.lower() not in mid.lower() and measure.lower() not in label.lower():
            continue
        values = [r for r in timeline.get(mid, ()) if _keep_claim(r["_claim"], entity)]
        if not values and not changes.get(mid):
            continue
        values.sort(key=lambda r: (r["_month"], r["doc"]))
        rows.extend({k: v for k, v in r.items() if not k.startswith("_")} | {"measure": label} for r in values)
        rows.extend(_update_steps(label, changes.get(mid, {}).get("update", ()), claims, frames))
        for link, x, y in changes.get(mid, {}).get("contradict", ()):
            a, b = claims[link["a"]], claims[link["b"]]
            cmp = compare_frames(frames[link["a"]], frames[link["b"]])
            disagree = [f for f in cmp.fields() if f.split("=")[1] in ("disjoint", "different", "opposite")]
            rows.append({"measure": label, "kind": "contradict", "step": None,
                         "period": x.period.label if x.period else None, "value": _value_text(x),
                         "scope": "/".join(frames[link["a"]].scope), "doc": a["doc_id"], "date": a.get("date"),
                         "text": a.get("text", ""), "other_period": y.period.label if y.period else None,
                         "other_value": _value_text(y), "other_doc": b["doc_id"], "other_text": b.get("text", ""),
                         "disagree": " ".join(disagree), "reason": link["reason"]})
    return rows


def _keep_claim(claim: dict, entity: str | None) -> bool:
    if not entity:
        return True
    needle = entity.lower()
    return any(needle == e.lower() for e in claim.get("entity_ids", ())) or needle in claim.get("text", "").lower()


def _update_steps(label: str, updates, claims: dict, frames: dict) -> list[dict]:
    """Update links of one measure as chains: connected claims in period order, one row a step."""
    def month(value) -> int:
        return value.period.first if value.period else 0

    steps = []
    for link, x, y in updates:
        (first, fv), (second, sv) = sorted(((link["a"], x), (link["b"], y)), key=lambda p: (month(p[1]), p[0]))
        steps.append((month(fv), month(sv), first, fv, second, sv, link))
    steps.sort(key=lambda s: (s[0], s[1], s[2]))
    rows = []
    for n, (_, _, first, fv, second, sv, link) in enumerate(steps, 1):
        a, b = claims[first], claims[second]
        rows.append({"measure": label, "kind": "update", "step": n, "period": fv.period.label if fv.period else None,
                     "value": _value_text(fv), "scope": "/".join(frames[first].scope), "doc": a["doc_id"],
                     "date": a.get("date"), "text": a.get("text", ""),
                     "other_period": sv.period.label if sv.period else None, "other_value": _value_text(sv),
                     "other_doc": b["doc_id"], "other_text": b.get("text", ""), "disagree": None,
                     "reason": link["reason"]})
    return rows
