"""Labelled sentences with their document context, from gold annotations or from pipeline Docs.

A `SentenceContext` is what every feature sees: the sentence, its neighbours, its segment and
speaker, and its document's kind. Gold loading and the spaCy component build the same records, so
training and prediction cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import Errors, InputError
from ..gold.sources import GoldDrift, MissingDocument, with_text
from .target import StanceTarget

_WS = str.maketrans({"\n": " ", "\t": " ", "\r": " "})


@dataclass(frozen=True, slots=True)
class SentenceContext:
    doc_id: str
    sent_id: int
    text: str
    prev: str = ""
    next: str = ""
    segment: str = "body"
    speaker: str | None = None
    kind: str = "other"


def clean(text: str) -> str:
    return " ".join(text.translate(_WS).split())


def contexts_for(doc_id: str, texts: Sequence[str], *, segments: Sequence[str] | None = None,
                 speakers: Sequence[str | None] | None = None, kind: str = "other",
                 sent_ids: Sequence[int] | None = None) -> list[SentenceContext]:
    """One document's sentences, in order, as SentenceContexts with neighbours filled in."""
    texts = [clean(t) for t in texts]
    n = len(texts)
    segments = segments or ["body"] * n
    speakers = speakers or [None] * n
    sent_ids = sent_ids if sent_ids is not None else range(n)
    return [SentenceContext(doc_id=doc_id, sent_id=sid, text=texts[i], prev=texts[i - 1] if i else "",
                            next=texts[i + 1] if i + 1 < n else "", segment=segments[i] or "body",
                            speaker=speakers[i] or None, kind=kind or "other")
            for i, sid in enumerate(sent_ids)]


def run_contexts(doc_id: str, sentences: Sequence[dict], *, piece_starts: Sequence[int] = (0,),
                 kind: str = "other") -> list[SentenceContext]:
    """One document's sentences as `claims run` gave them to the stance model, rebuilt from its
    sentences.jsonl rows (`text`, `segment`, `speaker`, `start`, `sent_id`).

    The claims_stance component sees one spaCy Doc at a time: a document cut into pieces (runner
    `split_text`; `piece_starts` are the pieces' offsets) has no neighbours across a cut. `kind` is
    the document's kind (documents.jsonl), which the runner hands every Doc: keep the two in step."""
    rows = sorted(sentences, key=lambda r: r["sent_id"])
    starts = sorted(piece_starts) or [0]
    out: list[SentenceContext] = []
    for i, piece_start in enumerate(starts):
        piece_end = starts[i + 1] if i + 1 < len(starts) else None
        piece = [r for r in rows if r["start"] >= piece_start and (piece_end is None or r["start"] < piece_end)]
        out.extend(contexts_for(doc_id, [r["text"] for r in piece], segments=[r.get("segment") for r in piece],
                                speakers=[r.get("speaker") for r in piece], sent_ids=[r["sent_id"] for r in piece],
                                kind=kind))
    return out


def split_doc_ids(gold_dir: str | Path, splits: Iterable[str]) -> list[str]:
    data = json.loads((Path(gold_dir) / "split.json").read_text(encoding="utf-8"))
    return [doc_id for split in splits for doc_id in data[split]]


def _gold_sentences(path: Path) -> list[dict]:
    """The file's sentence records in page order, each with its text looked up from its page."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    try:
        return sorted((with_text(r) for r in rows if r.get("layer") == "sentence"), key=lambda r: r["start"])
    except (MissingDocument, GoldDrift) as exc:
        raise InputError(Errors.E021.format(path=path, reason=exc), path=str(path)) from None


def load_examples(gold_dir: str | Path, *, splits: Iterable[str] = ("train", "dev"),
                  target: StanceTarget, kinds: dict[str, str] | None = None,
                  ) -> tuple[list[SentenceContext], list[str]]:
    """Gold sentences of the named splits (documents not yet annotated are skipped) with their
    labels for the target. `kinds` maps doc_id to document kind (see `document_kinds`)."""
    gold_dir, kinds = Path(gold_dir), kinds or {}
    examples: list[SentenceContext] = []
    labels: list[str] = []
    for doc_id in split_doc_ids(gold_dir, splits):
        path = gold_dir / "gold" / f"{doc_id}.jsonl"
        if not path.is_file():
            continue
        rows = _gold_sentences(path)
        examples.extend(contexts_for(doc_id, [r["text"] for r in rows], segments=[r.get("segment") for r in rows],
                                     speakers=[r.get("speaker") for r in rows], kind=kinds.get(doc_id, "other"),
                                     sent_ids=[r["sent_id"] for r in rows]))
        labels.extend(r.get(target.gold_field) or target.default_label for r in rows)
    if not examples:
        raise InputError(Errors.E015.format(path=gold_dir / "gold"), path=str(gold_dir))
    unknown = sorted(set(labels) - set(target.labels))
    if unknown:
        raise InputError(Errors.E012.format(value=unknown[0], option=target.gold_field,
                                            allowed=", ".join(target.labels)), path=str(gold_dir))
    return examples, labels


def gold_kinds(gold_dir: str | Path, splits: Iterable[str], corpus_dir: str | Path | None = None) -> dict[str, str]:
    """doc_id -> kind of the gold documents of `splits`: the annotated pages' headers, and the
    corpus files' headers (the seeds) where `corpus_dir` is a folder."""
    kinds = page_kinds(split_doc_ids(gold_dir, splits))
    if corpus_dir and Path(corpus_dir).is_dir():
        kinds.update(document_kinds(corpus_dir))
    return kinds


def document_kinds(corpus_dir: str | Path) -> dict[str, str]:
    """doc_id -> kind, from the corpus files' headers."""
    from ..ingest import read_documents

    return {d.doc_id: d.kind for d in read_documents([corpus_dir]) if not isinstance(d, InputError)}


def page_kinds(doc_ids: Iterable[str]) -> dict[str, str]:
    """doc_id -> kind, as `claims run` reads it, from the headers of the annotated pages found here."""
    from ..gold.sources import doc_meta_text, is_page
    from ..ingest.metadata import normalise_kind

    return {d: normalise_kind(doc_meta_text(d)[0].get("kind")) for d in doc_ids if is_page(d)}
