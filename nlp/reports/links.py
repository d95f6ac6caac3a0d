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
