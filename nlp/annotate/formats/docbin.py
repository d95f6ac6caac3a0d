"""The resolved gold as a spaCy DocBin: one Doc per sentence (its text), entity spans in
`doc.spans["entities"]` (label = entity label), quantity spans in `doc.spans["quantities"]`
(label = unit), stance in `doc.cats`, and every gold field in `doc.user_data["claims"]`, so the
records come back exactly on import."""

from __future__ import annotations

from pathlib import Path

from ..errors import AnnotateErrors, AnnotationError
from ..gold import gold_records, import_records
from ..labels import STANCE
from ..store import Store

USER_KEY = "claims"


def _blank():
    import spacy

    return spacy.blank("en")


def _span(doc, record: dict, offset: int, label: str):
    span = doc.char_span(record["start"] - offset, record["end"] - offset, label=label, alignment_mode="expand")
    return span


def records_to_docs(records_by_doc: dict[str, list[dict]]) -> list:
    nlp = _blank()
    docs = []
    for doc_id in sorted(records_by_doc):
        records = records_by_doc[doc_id]
        sentences = [r for r in records if r["layer"] == "sentence"]
        for sent in sentences:
            spans = [r for r in records if r["layer"] != "sentence" and r["sent_id"] == sent["sent_id"]]
            doc = nlp.make_doc(sent["text"] or "")
            offset = sent["start"] or 0
            groups = {"entities": [], "quantities": []}
            for record in spans:
                label = record["label"] if record["layer"] == "entity" else (record.get("unit") or "other")
                span = _span(doc, record, offset, label)
                if span is not None:
                    groups["entities" if record["layer"] == "entity" else "quantities"].append(span)
            for name, group in groups.items():
                doc.spans[name] = group
            if sent.get("stance") in STANCE:
                doc.cats = {label: float(label == sent["stance"]) for label in STANCE}
            doc.user_data[USER_KEY] = {"sentence": sent, "spans": spans}
            docs.append(doc)
    return docs


def export(store: Store, out: Path, *, annotator: str | None = None, unfinished: bool = False) -> dict[str, int]:
    from spacy.tokens import DocBin

    ties: list = []
    left_out: list = []
    records = gold_records(store, annotator=annotator, ties=ties, text=True, unfinished=unfinished,
                           left_out=left_out)
    if not records:
        raise AnnotationError(AnnotateErrors.A014)
    docs = records_to_docs(records)
    doc_bin = DocBin(attrs=["ORTH"], store_user_data=True, docs=docs)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(doc_bin.to_bytes())
    tmp.replace(out)
    return {"documents": len(records), "sentences": len(docs), "ties": len(ties), "left_out": len(left_out)}


def read_records(path: Path) -> list[dict]:
    from spacy.tokens import DocBin

    try:
        doc_bin = DocBin(store_user_data=True).from_bytes(path.read_bytes())
    except Exception as exc:  # spaCy raises plain ValueError/zlib errors on a bad file
        raise AnnotationError(AnnotateErrors.A012.format(path=path, where="-", reason=f"not a DocBin ({exc})")) from exc
    records = []
    for n, doc in enumerate(doc_bin.get_docs(_blank().vocab)):
        data = doc.user_data.get(USER_KEY)
        if not isinstance(data, dict) or "sentence" not in data:
            raise AnnotationError(AnnotateErrors.A012.format(path=path, where=f"doc {n}",
                                                             reason=f"no user_data[{USER_KEY!r}]"))
        records.append(dict(data["sentence"]))
        records.extend(dict(span) for span in data.get("spans", []))
    return records


def load(store: Store, path: Path, *, annotator: str | None = None) -> dict[str, int]:
    return import_records(store, read_records(path), source=f"docbin:{path.name}", default_annotator=annotator)
