"""Names learned from gold annotations: the gazetteer's second layer (``nlp/data/learned_names.jsonl``).

Every name the annotators marked (``Policy Exchange``, ``Catch22``, ``Lord Ramsbotham``) becomes a
surface form of its gold id, unless it would do more harm than good when matched everywhere:

- a form the gazetteer already knows (ours wins), or one starting in lower case (``probation
  trusts``: generic words, marked in one context and not in the next), or a person's bare surname
  (resolved within its document, ``people.py``);
- a form whose mentions do not agree on one label and one id (``Committee`` is the Justice
  Committee in one document and the Public Accounts Committee in the next);
- a form that, matched as the gazetteer matches it, is a gold mention of its label in fewer than
  ``min_precision`` of the places it occurs in the learning documents (``Reform`` the think tank
  against ``Reform`` of probation), places inside a longer gold mention not counted.

Learned entries carry their gold id; a form of an id the gazetteer has becomes one more alias of
that entry. ``claims train entities`` rebuilds the file from annotations/ (train and dev splits) in
seconds; measure it honestly by building from train only and scoring dev (``--splits train``).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .gazetteer import DATA_DIR, Gazetteer

DEFAULT_LEARNED = DATA_DIR / "learned_names.jsonl"
_POSSESSIVE = re.compile(r"\w['’]s?$")  # a span that kept its possessive (the guidelines leave it out)


@dataclass(frozen=True, slots=True)
class FormStats:
    form: str
    label: str
    entity_id: str
    mentions: int  # gold mentions written this way
    agree: float  # share of them with the majority label and id
    occurrences: int  # places the form occurs, those inside a longer gold mention left out
    hits: int  # of which gold mentions with the majority label
    documents: int

    @property
    def precision(self) -> float:
        return self.hits / self.occurrences if self.occurrences else 0.0


def _form_pattern(form: str) -> re.Pattern:
    words = [re.escape(w) for w in form.split()]
    return re.compile(r"(?<![\w&’'-])" + r"\s+".join(words) + r"(?![\w&-])")


def form_stats(texts: dict[str, str], mentions: dict[str, list[dict]]) -> list[FormStats]:
    """For each surface form of the gold mentions (white space normalised): how the annotators
    labelled it and how often it occurs where it is not marked.

    ``texts``: doc_id -> text; ``mentions``: doc_id -> gold entity records (start, end, label, entity_id).
    """
    by_form: dict[str, Counter] = defaultdict(Counter)
    docs: dict[str, set[str]] = defaultdict(set)
    for doc_id, records in mentions.items():
        text = texts[doc_id]
        for r in records:
            form = " ".join(text[r["start"]:r["end"]].split())
            if form:
                by_form[form][(r["label"], r["entity_id"])] += 1
                docs[form].add(doc_id)
    spans = {doc_id: {(r["start"], r["end"]): r["label"] for r in records} for doc_id, records in mentions.items()}
    out = []
    for form, counts in by_form.items():
        (label, entity_id), top = counts.most_common(1)[0]
        total = sum(counts.values())
        pattern = _form_pattern(form)
        occurrences = hits = 0
        for doc_id, text in texts.items():
            if form.split()[0] not in text:
                continue
            gold_spans = spans.get(doc_id, {})
            for m in pattern.finditer(text):
                key = (m.start(), m.end())
                if key in gold_spans:
                    occurrences += 1
                    hits += gold_spans[key] == label
                elif not any(s <= m.start() and m.end() <= e and (s, e) != key for s, e in gold_spans):
                    occurrences += 1
        out.append(FormStats(form, label, entity_id, total, top / total, occurrences, hits, len(docs[form])))
    return out


def learned_entries(stats: Iterable[FormStats], gazetteer: Gazetteer, *, min_precision: float = 0.6,
                    min_agree: float = 0.8) -> list[dict]:
    """Gazetteer records (our JSONL format) for the forms that pass; see the module's docstring."""
    known = gazetteer.alias_index()
    by_id: dict[str, list[FormStats]] = defaultdict(list)
    for s in stats:
        if s.form in known or not s.form[:1].isupper() and not s.form[:1].isdigit() or _POSSESSIVE.search(s.form):
            continue
        if len(s.form) < 3 and not s.form.isupper():
            continue  # a fragment of a word broken over a line ("Cs"), no name
        if s.label == "PERSON" and " " not in s.form:
            continue  # a bare surname is resolved within its document (people.py), never everywhere
        if s.agree < min_agree or s.precision < min_precision or s.hits == 0:
            continue
        by_id[s.entity_id].append(s)
    records = []
    for entity_id, forms in sorted(by_id.items()):
        forms.sort(key=lambda s: (-s.mentions, s.form))
        base = gazetteer.get(entity_id)
        label = base.label if base is not None else Counter(s.label for s in forms).most_common(1)[0][0]
        seen = ", ".join(f"{s.form!r} {s.hits}/{s.occurrences}" for s in forms)
        records.append({"id": entity_id, "label": label, "name": forms[0].form,
                        "aliases": [s.form for s in forms[1:]],
                        "notes": f"learned: gold mentions/occurrences {seen}"})
    return records


def learn_names(gold_dir: str | Path, *, splits: Sequence[str] = ("train", "dev"), gazetteer: Gazetteer,
                min_precision: float = 0.6, min_agree: float = 0.8) -> list[dict]:
    """Learned gazetteer records from the gold entities of ``splits`` (pages read from ../shared)."""
    from ..eval.scoring import load_gold
    from ..gold.sources import doc_text

    mentions: dict[str, list[dict]] = {}
    for split in splits:
        for doc_id, layers in load_gold(gold_dir, split=split).items():
            mentions[doc_id] = list(layers.get("entity", []))
    texts = {doc_id: doc_text(doc_id) for doc_id in mentions}
    return learned_entries(form_stats(texts, mentions), gazetteer, min_precision=min_precision, min_agree=min_agree)


def write_learned(records: list[dict], path: str | Path = DEFAULT_LEARNED) -> Path:
    path = Path(path)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path
