"""Stance aggregated for `claims report OUT --stance`: by document, speaker, document kind or
date, with counts and shares, and the sentences behind any cell."""

from __future__ import annotations

from collections import Counter, defaultdict
from pathlib import Path

from ..engine.outputs import check_out_dir, load_rows
from ..labels import STANCE as LABELS

GROUPINGS = ("document", "speaker", "kind", "year", "month")
UNATTRIBUTED = "(unattributed)"


def _stance_rows(out_dir) -> list[dict]:
    """Every sentence with its stance, speaker (sentence speaker, else the document's author) and document."""
    out = check_out_dir(out_dir)
    docs = {d["doc_id"]: d for d in load_rows(out, "documents")}
    stance = {(r["doc_id"], r["sent_id"]): r for r in load_rows(out, "stance")}
    rows = []
    for sent in load_rows(out, "sentences"):
        label = stance.get((sent["doc_id"], sent["sent_id"]))
        if label is None or sent["segment"] == "boilerplate":
            continue
        doc = docs[sent["doc_id"]]
        date = doc.get("date") or ""
        rows.append({"doc_id": sent["doc_id"], "sent_id": sent["sent_id"], "text": sent["text"],
                     "label": label["label"], "confidence": label["confidence"],
                     "speaker": sent.get("speaker") or doc.get("author") or UNATTRIBUTED,
                     "kind": doc.get("kind"), "document": sent["doc_id"],
                     "year": date[:4] or "(undated)", "month": date[:7] if len(date) >= 7 else "(undated)"})
    return rows


def stance_table(out_dir, *, by: str = "document") -> list[dict]:
    """One row per group: sentence count, count and share of each label, and the stance-bearing
    share that supports (support / (support + oppose + qualified))."""
    groups: dict[str, Counter] = defaultdict(Counter)
    for row in _stance_rows(out_dir):
        groups[row[by]][row["label"]] += 1
    table = []
    for group, counts in groups.items():
        total = sum(counts.values())
        stance_bearing = total - counts["none"]
        row = {by: group, "sentences": total}
        for label in LABELS:
            row[label] = counts[label]
            row[f"{label}_share"] = round(counts[label] / total, 3) if total else 0.0
        row["support_of_stance"] = round(counts["support"] / stance_bearing, 3) if stance_bearing else None
        table.append(row)
    order = (lambda r: r[by]) if by in {"year", "month"} else (lambda r: (-(r["sentences"] - r["none"]), r[by]))
    return sorted(table, key=order)


def stance_columns(by: str) -> tuple[str, ...]:
    return (by, "sentences", *LABELS, *(f"{label}_share" for label in LABELS), "support_of_stance")


def cell_sentences(out_dir, *, by: str, group: str, label: str | None = None) -> list[dict]:
    """The sentences behind one cell of stance_table (a group, optionally one label)."""
    return [r for r in _stance_rows(out_dir) if r[by] == group and (label is None or r["label"] == label)]


def default_model_dir() -> Path:
    """The stance model `claims run` uses unless configured otherwise (run.json does not record it)."""
    from ..config import Config

    config = Config()
    return Path(config.models_dir) / config.stance_model


def run_contexts_of(out_dir, doc_ids, *, pieces: bool = False) -> tuple[dict, ...]:
    """(doc_id, sent_id) -> the SentenceContext the stance model saw in that run, and -> the
    sentence row, for the named documents (nlp/stance/data.py `run_contexts`; a document longer
    than Config.max_chars was cut into pieces as the runner cuts it). With `pieces`, also
    (doc_id, sent_id) -> the contexts the model saw together with it (its piece, in order)."""
    from bisect import bisect_right

    from ..config import Config
    from ..engine.runner import split_text
    from ..stance.data import run_contexts

    out, wanted, max_chars = check_out_dir(out_dir), set(doc_ids), Config().max_chars
    sentences: dict[str, list[dict]] = defaultdict(list)
    for sent in load_rows(out, "sentences"):
        if sent["doc_id"] in wanted:
            sentences[sent["doc_id"]].append(sent)
    contexts, rows, together = {}, {}, {}
    for doc in load_rows(out, "documents"):
        doc_id = doc["doc_id"]
        if doc_id in wanted:
            starts = [s for s, _ in split_text(doc["text"], max_chars)] if len(doc["text"]) > max_chars else [0]
            rebuilt = run_contexts(doc_id, sentences[doc_id], piece_starts=starts, kind=doc.get("kind") or "other")
            contexts.update(((doc_id, c.sent_id), c) for c in rebuilt)
            rows.update(((doc_id, s["sent_id"]), s) for s in sentences[doc_id])
            piece_of = {s["sent_id"]: bisect_right(sorted(starts), s["start"]) for s in sentences[doc_id]}
            grouped: dict[int, list] = defaultdict(list)
            for c in rebuilt:
                grouped[piece_of[c.sent_id]].append(c)
            together.update(((doc_id, c.sent_id), grouped[piece_of[c.sent_id]]) for c in rebuilt)
    return (contexts, rows, together) if pieces else (contexts, rows)


def _document_cues(explanation, context, sentence: dict) -> list[dict]:
    """The cues as dicts, offsets moved from the cleaned text the model saw to the document: word k
    of the cleaned sentence is word k of the sentence as written."""
    from ..stance.explain import word_spans

    index = {a: k for k, (a, _) in enumerate(word_spans(context.text))}
    spans = word_spans(sentence["text"])
    cues = []
    for cue in [c.to_dict() for c in explanation.cues]:
        if cue["start"] is not None:
            a, b = spans[index[cue["start"]]]
            cue.update(start=sentence["start"] + a, end=sentence["start"] + b)
        cues.append(cue)
    return cues


def explain_rows(out_dir, rows: list[dict], *, model_dir=None, top: int = 3) -> tuple[list[dict], int]:
    """`rows` (from cell_sentences) each with `why`: the words (or "context") that drove the model's
    label, strongest first, as {cue, weight, start, end}; a weight is the drop in the label's
    probability when the unit is removed, start/end are document offsets (None for context).

    The model sees each sentence as it did at run time (`run_contexts_of`). Also returns how many
    sentences it does not reproduce (another label, or a confidence off by more than 0.01): a sign
    that the run used another model."""
    from ..stance.explain import explain_one
    from ..stance.model import load_model

    model = load_model(model_dir or default_model_dir())
    contexts, sentences, documents = run_contexts_of(out_dir, {r["doc_id"] for r in rows}, pieces=True)
    explained, differ = [], 0
    for row in rows:
        key = (row["doc_id"], row["sent_id"])
        result = explain_one(model, contexts[key], top=top, document=documents[key])
        differ += result.label != row["label"] or abs(result.probability - row["confidence"]) > 0.01
        explained.append(dict(row, why=_document_cues(result, contexts[key], sentences[key])))
    return explained, differ
