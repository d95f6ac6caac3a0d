"""Processed Docs to the rows of SPEC §1's output files.

A long document is processed in pieces; `piece_result` and `merge_results` put them back together with absolute
offsets, so everything downstream sees one result per document.
"""

from __future__ import annotations

import bisect
import dataclasses
from dataclasses import dataclass

from spacy.tokens import Doc

from .. import PIPELINE_VERSION
from ..ingest import document_sha256
from ..links.frames import claim_frame
from ..records import Claim, Document, EntityMention, Quantity, Segment, Stance

SCHEMA = 1
OUTPUT_FILES = ("documents", "sentences", "entities", "quantities", "claims", "stance", "links")


@dataclass(frozen=True, slots=True)
class DocResult:
    """Everything the pipeline found in one document, offsets into the document's text."""

    segments: tuple[Segment, ...]
    entities: tuple[EntityMention, ...]
    quantities: tuple[Quantity, ...]
    claims: tuple[Claim, ...]
    stance: tuple[Stance, ...] | None


def _shift(record, offset: int):
    if offset == 0:
        return record
    return dataclasses.replace(record, start=record.start + offset, end=record.end + offset)


def piece_result(offset: int, doc: Doc) -> DocResult:
    """One piece's records, shifted to the document's offsets (the piece's Doc can then be freed)."""
    stance = doc._.stance
    return DocResult(tuple(_shift(s, offset) for s in doc._.segments or ()),
                     tuple(_shift(e, offset) for e in doc._.entities or ()),
                     tuple(_shift(q, offset) for q in doc._.quantities or ()),
                     tuple(doc._.claims or ()), None if stance is None else tuple(stance))


def merge_results(pieces: list[DocResult]) -> DocResult:
    """Combine the results of one document's pieces, in order (sentence ids run on)."""
    segments, entities, quantities, claims, stances = [], [], [], [], []
    has_stance = all(piece.stance is not None for piece in pieces)
    for piece in pieces:
        base = len(segments)
        segments.extend(piece.segments)
        entities.extend(piece.entities)
        quantities.extend(piece.quantities)
        claims.extend(dataclasses.replace(c, sent_id=c.sent_id + base) for c in piece.claims)
        if has_stance:
            stances.extend(dataclasses.replace(s, sent_id=s.sent_id + base) for s in piece.stance)
    return DocResult(tuple(segments), tuple(entities), tuple(quantities), tuple(claims),
                     tuple(stances) if has_stance else None)


def sentence_index(segments: tuple[Segment, ...]):
    """A function from a character offset to the sent_id of the segment holding it."""
    starts = [s.start for s in segments]

    def sent_of(offset: int) -> int:
        return max(bisect.bisect_right(starts, offset) - 1, 0)

    return sent_of


def document_row(document: Document, result: DocResult) -> dict:
    row = {
        "doc_id": document.doc_id, "schema": SCHEMA, "title": document.title, "kind": document.kind,
        "date": document.date, "url": document.url, "sha256": document_sha256(document.text),
        "text": document.text, "author": document.author, "source": document.source,
        "pipeline_version": PIPELINE_VERSION, "n_sentences": len(result.segments),
    }
    row.update({k: v for k, v in document.extra.items() if k not in row})
    return row


def rows_for(document: Document, result: DocResult) -> dict[str, list[dict]]:
    """The rows each output file gets for one document."""
    doc_id, text = document.doc_id, document.text
    sent_of = sentence_index(result.segments)
    rows: dict[str, list[dict]] = {name: [] for name in OUTPUT_FILES}
    rows["documents"].append(document_row(document, result))
    for sent_id, seg in enumerate(result.segments):
        rows["sentences"].append({"doc_id": doc_id, "sent_id": sent_id, "start": seg.start, "end": seg.end,
                                  "text": text[seg.start : seg.end], "segment": seg.segment, "speaker": seg.speaker})
    ents_by_sent: dict[int, list[str]] = {}
    for n, ent in enumerate(result.entities):
        sent_id = sent_of(ent.start)
        ents_by_sent.setdefault(sent_id, []).append(ent.entity_id)
        rows["entities"].append({"doc_id": doc_id, "sent_id": sent_id, "start": ent.start, "end": ent.end,
                                 "text": text[ent.start : ent.end], "label": ent.label, "entity_id": ent.entity_id,
                                 "mention_id": f"{doc_id}:e{n}", "source": ent.source})
    qty_by_sent: dict[int, list[str]] = {}
    for n, qty in enumerate(result.quantities):
        sent_id, quantity_id = sent_of(qty.start), f"{doc_id}:q{n}"
        qty_by_sent.setdefault(sent_id, []).append(quantity_id)
        rows["quantities"].append({"doc_id": doc_id, "sent_id": sent_id, "start": qty.start, "end": qty.end,
                                   "text": text[qty.start : qty.end], "value": qty.value, "value_high": qty.value_high,
                                   "unit": qty.unit, "approx": qty.approx, "measure": qty.measure,
                                   "period": qty.period, "quantity_id": quantity_id})
    qty_rows = {q["quantity_id"]: q for q in rows["quantities"]}
    ent_labels: dict[int, set] = {}
    for ent in rows["entities"]:
        ent_labels.setdefault(ent["sent_id"], set()).add((ent["entity_id"], ent["label"]))
    for claim in result.claims:
        seg = result.segments[claim.sent_id]
        sentence = text[seg.start : seg.end]
        quantity_ids = qty_by_sent.get(claim.sent_id, [])
        frame = claim_frame(sentence, [qty_rows[q] for q in quantity_ids],
                            sorted(ent_labels.get(claim.sent_id, ()), key=str), document.date)
        rows["claims"].append({"claim_id": f"{doc_id}:{claim.sent_id}", "doc_id": doc_id, "sent_id": claim.sent_id,
                               "text": sentence, "type": claim.type, "quantity_ids": quantity_ids,
                               "entity_ids": sorted(set(ents_by_sent.get(claim.sent_id, []))),
                               "score": round(claim.score, 4), "kind": document.kind, "date": document.date,
                               "frame": frame.to_json()})
    for stance in result.stance or ():
        rows["stance"].append({"doc_id": doc_id, "sent_id": stance.sent_id, "label": stance.label,
                               "confidence": round(stance.confidence, 4),
                               "scores": {k: round(v, 4) for k, v in stance.scores.items()}})
    return rows
