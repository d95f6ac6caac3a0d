"""Score a run folder against gold annotations, every layer, with SPEC §7's definitions."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from ..engine.outputs import check_out_dir, iter_rows, load_rows
from ..errors import Errors, InputError
from ..gold.sources import GoldDrift, MissingDocument, split_sites, with_text
from ..labels import STANCE as STANCE_LABELS
from .metrics import expected_calibration_error, macro_f1, pairwise_id_agreement, prf

# What SPEC §7 strips before comparing spans: white space, bullet glyphs and (SPEC §2) list
# numbers opening the span (`1.`, `(a)`, `ii)`).
_GLYPHS = re.compile(r"^(?:[\s•·*-]|\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)](?=\s))+\s*")


def load_gold(gold_dir: str | Path, *, split: str | None = None,
              text: bool = False) -> dict[str, dict[str, list[dict]]]:
    """doc_id -> {'sentence': [...], 'entity': [...], 'quantity': [...]} from gold/*.jsonl.

    Gold records hold offsets and a hash of each span, not the text (other people's pages stay in
    `../shared/`); `text=True` looks every span up from its page and checks its hash."""
    gold_dir = Path(gold_dir)
    files = sorted((gold_dir / "gold").glob("*.jsonl"))
    if not files:
        raise InputError(Errors.E015.format(path=gold_dir / "gold"), path=str(gold_dir))
    keep = None
    if split:
        keep = set(json.loads((gold_dir / "split.json").read_text(encoding="utf-8"))[split])
    gold: dict[str, dict[str, list[dict]]] = {}
    for path in files:
        if keep is not None and path.stem not in keep:
            continue
        layers: dict[str, list[dict]] = defaultdict(list)
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                if text:
                    try:
                        record = with_text(record)
                    except (MissingDocument, GoldDrift) as exc:
                        raise InputError(Errors.E021.format(path=path, reason=exc), path=str(path)) from None
                layers[record["layer"]].append(record)
        gold[path.stem] = layers
    return gold


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    span = text[start:end]
    lead = _GLYPHS.match(span)
    s = start + (lead.end() if lead and lead.group(0) else 0)
    return s, s + len(text[s:end].rstrip())


def _best_overlap(spans: list[tuple[int, int]], start: int, end: int) -> int | None:
    best, best_len = None, 0
    for i, (s, e) in enumerate(spans):
        overlap = min(e, end) - max(s, start)
        if overlap > best_len:
            best, best_len = i, overlap
    return best


def evaluate_run(out_dir, gold_dir, *, split: str | None = None, by: str | None = None,
                 baselines: bool = True) -> dict:
    """Every layer's scores over the gold documents (of `split`); with `by` (`site` or `kind`),
    also `by_site` / `by_kind`: the same per-document layers for each group of documents. On the
    dev or test split, the stance baselines and the human agreement beside the run's stance
    (stance_baselines.py) unless `baselines` is False."""
    out = check_out_dir(out_dir)
    gold = load_gold(gold_dir, split=split)
    pred = _load_predictions(out, set(gold))
    scores = _score_documents(gold, pred)
    links_path = Path(gold_dir) / "links.jsonl"
    if links_path.exists() and (out / "links.jsonl").exists():
        scores.update(_score_links(out, links_path, split=split, doc_ids=set(gold)))
    if baselines and split and pred["has_stance"]:
        from .stance_baselines import stance_baselines

        scores.update(stance_baselines(gold_dir, split, kinds={d: k for d, k in pred["kind"].items() if k}))
    if by is not None:
        groups: dict[str, list[str]] = defaultdict(list)
        for doc_id, group in document_groups(gold_dir, gold, pred, by).items():
            groups[group].append(doc_id)
        scores[f"by_{by}"] = {group: _score_documents({d: gold[d] for d in doc_ids}, pred)
                              for group, doc_ids in sorted(groups.items())}
    return scores


def _score_documents(gold, pred) -> dict:
    missing = sorted(set(gold) - set(pred["text"]))
    scores = {"documents": {"n": len(gold), "missing_from_run": len(missing)}}
    scores["sentences"] = _score_sentences(gold, pred)
    scores["entities"] = _score_entities(gold, pred)
    scores["quantities"] = _score_quantities(gold, pred)
    scores["claims"] = _score_claims(gold, pred)
    if pred["has_stance"]:
        scores["stance"] = _score_stance(gold, pred)
    return scores


def document_groups(gold_dir: str | Path, gold: dict, pred: dict, by: str) -> dict[str, str]:
    """doc_id -> its site (split.json's `sites`, the rule that made the split) or its kind (the
    run's documents.jsonl)."""
    if by == "kind":
        return {doc_id: pred["kind"].get(doc_id) or "unknown" for doc_id in gold}
    if by != "site":
        raise InputError(Errors.E012.format(value=by, option="--by", allowed="site, kind"))
    sites = split_sites(gold_dir)
    return {doc_id: sites.get(doc_id, "unknown") for doc_id in gold}


def _score_links(out: Path, links_path: Path, *, split: str | None, doc_ids: set[str]) -> dict:
    """Link precision and recall per relation. With a split, the gold pairs of that split
    (eval.links.pair_split_rule: test touches a test document, dev a dev one, train has both in
    train); predictions are judged against them."""
    from .links import gold_for_split, load_judged_links, pair_split_rule, score_links

    split_path = links_path.parent / "split.json"
    pairs = gold_for_split(load_judged_links(links_path), split_path, split)
    keep_link = None
    if split:
        rule = pair_split_rule(split_path)
        keep_link = None if rule is None else (lambda a, b: rule(a, b) == split)
    scores = score_links(pairs, load_rows(out, "links"), load_rows(out, "sentences"), keep_link=keep_link)
    per_relation = {f"links_{name}": value for name, value in scores.items() if isinstance(value, dict)}
    candidates = _candidate_recall(out, pairs)
    if candidates:
        per_relation["links_candidates"] = candidates
    return per_relation | {"links": {name: value for name, value in scores.items() if not isinstance(value, dict)}}


def _candidate_recall(out: Path, pairs: list[dict]) -> dict:
    """Candidate recall of the run's link step, its candidates found again from the run's files
    (the link step keeps none)."""
    from ..links.build import candidates_for_out_dir
    from .links import candidate_recall

    first = next(iter_rows(out, "claims"), None)
    if first is None or "claim_id" not in first or "text" not in first:
        return {}  # claims without ids or texts (a hand-made folder): nothing to find candidates in
    ids, candidate_pairs, _ = candidates_for_out_dir(out)
    return candidate_recall(pairs, ids, candidate_pairs, load_rows(out, "sentences"))


def _load_predictions(out: Path, doc_ids: set[str]) -> dict:
    pred = {"text": {}, "kind": {}, "sentences": defaultdict(list), "entities": defaultdict(list),
            "quantities": defaultdict(list), "claims": defaultdict(dict), "stance": defaultdict(dict)}
    for doc in load_rows(out, "documents"):
        if doc["doc_id"] in doc_ids:
            pred["text"][doc["doc_id"]] = doc["text"]
            pred["kind"][doc["doc_id"]] = doc.get("kind")
    for name in ("sentences", "entities", "quantities"):
        for row in load_rows(out, name):
            if row["doc_id"] in doc_ids:
                pred[name][row["doc_id"]].append(row)
    for row in load_rows(out, "claims"):
        if row["doc_id"] in doc_ids:
            pred["claims"][row["doc_id"]][row["sent_id"]] = row
    stance_rows = load_rows(out, "stance")
    for row in stance_rows:
        if row["doc_id"] in doc_ids:
            pred["stance"][row["doc_id"]][row["sent_id"]] = row
    pred["has_stance"] = bool(stance_rows)
    return pred


def _score_sentences(gold, pred) -> dict:
    tp = n_pred = n_gold = 0
    segment_ok = speaker_ok = matched = 0
    for doc_id, layers in gold.items():
        text = pred["text"].get(doc_id, "")
        gold_rows = [g for g in layers["sentence"] if g["segment"] != "boilerplate"]
        pred_rows = [p for p in pred["sentences"].get(doc_id, []) if p["segment"] != "boilerplate"]
        gold_spans = {_strip(text, g["start"], g["end"]): g for g in gold_rows}
        n_gold += len(gold_rows)
        n_pred += len(pred_rows)
        for p in pred_rows:
            g = gold_spans.get(_strip(text, p["start"], p["end"]))
            if g is not None:
                tp += 1
                matched += 1
                segment_ok += p["segment"] == g["segment"]
                speaker_ok += (p.get("speaker") or None) == (g.get("speaker") or None)
    out = prf(tp, n_pred, n_gold)
    out["segment_accuracy"] = round(segment_ok / matched, 4) if matched else 0.0
    out["speaker_accuracy"] = round(speaker_ok / matched, 4) if matched else 0.0
    return out


def _score_entities(gold, pred) -> dict:
    tp = n_pred = n_gold = 0
    gold_ids, pred_ids = [], []
    for doc_id, layers in gold.items():
        by_span = {(p["start"], p["end"]): p for p in pred["entities"].get(doc_id, [])}
        n_pred += len(by_span)
        for g in layers["entity"]:
            n_gold += 1
            p = by_span.get((g["start"], g["end"]))
            tp += p is not None and p["label"] == g["label"]
            gold_ids.append(g["entity_id"])
            pred_ids.append(None if p is None else p["entity_id"])
    out = prf(tp, n_pred, n_gold)
    out.update(pairwise_id_agreement(gold_ids, pred_ids))
    return out


def _score_quantities(gold, pred) -> dict:
    tp = n_pred = n_gold = value_ok = approx_ok = 0
    for doc_id, layers in gold.items():
        preds = pred["quantities"].get(doc_id, [])
        n_pred += len(preds)
        used: set[int] = set()
        for g in layers["quantity"]:
            n_gold += 1
            candidates = [(i, (p["start"], p["end"])) for i, p in enumerate(preds) if i not in used]
            hit = _best_overlap([span for _, span in candidates], g["start"], g["end"])
            if hit is None:
                continue
            i = candidates[hit][0]
            used.add(i)
            p = preds[i]
            tp += 1
            close = abs(p["value"] - g["value"]) <= 0.005 * max(abs(g["value"]), 1e-9)
            value_ok += close and p["unit"] == g["unit"]
            approx_ok += p["approx"] == g["approx"]
    out = prf(tp, n_pred, n_gold)
    out["value_unit_accuracy"] = round(value_ok / tp, 4) if tp else 0.0
    out["approx_accuracy"] = round(approx_ok / tp, 4) if tp else 0.0
    return out


def _sentence_map(gold_rows, pred_rows):
    """For each gold sentence, the predicted sentence overlapping it most (or None)."""
    spans = [(p["start"], p["end"]) for p in pred_rows]
    return [None if (i := _best_overlap(spans, g["start"], g["end"])) is None else pred_rows[i] for g in gold_rows]


def _score_claims(gold, pred) -> dict:
    tp = n_pred = n_gold = type_ok = 0
    for doc_id, layers in gold.items():
        gold_rows = layers["sentence"]
        claims = pred["claims"].get(doc_id, {})
        for g, p in zip(gold_rows, _sentence_map(gold_rows, pred["sentences"].get(doc_id, []))):
            predicted = p is not None and p["sent_id"] in claims
            n_gold += bool(g["claim"])
            n_pred += predicted
            if predicted and g["claim"]:
                tp += 1
                type_ok += claims[p["sent_id"]]["type"] == g["claim_type"]
    out = prf(tp, n_pred, n_gold)
    out["type_accuracy"] = round(type_ok / tp, 4) if tp else 0.0
    return out


def _score_stance(gold, pred) -> dict:
    gold_labels, pred_labels, confidences = [], [], []
    for doc_id, layers in gold.items():
        gold_rows = layers["sentence"]
        stance = pred["stance"].get(doc_id, {})
        for g, p in zip(gold_rows, _sentence_map(gold_rows, pred["sentences"].get(doc_id, []))):
            row = stance.get(p["sent_id"]) if p is not None else None
            gold_labels.append(g["stance"])
            pred_labels.append(row["label"] if row else "none")
            confidences.append(row["confidence"] if row else 1.0)
    out = macro_f1(gold_labels, pred_labels, STANCE_LABELS)
    out["ece"] = expected_calibration_error(confidences, [g == p for g, p in zip(gold_labels, pred_labels)])
    return out
