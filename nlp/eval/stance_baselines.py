"""What the run's stance figures stand beside, on the same gold sentences of one split.

- `majority`: every sentence gets the training splits' most frequent label;
- `tfidf_lr`: TF-IDF of word 1-2 grams with a class-balanced logistic regression,
  fitted on the splits before this one (`train` for `dev`; `train` + `dev` for `test`);
- `shipped_before`: the model shipped before the pool was annotated (`models/stance-minilm`);
- `human`: the second, independent annotation pass (`annotations/passes/pass-b.jsonl`) scored
  against the adjudicated gold, on the sentences the two passes align: the ceiling.

The baselines read the gold sentences (text, segment, speaker, neighbours, the page's kind), so
they are what a model scores when segmentation is perfect; the run's own figure pays for its
segmentation too.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from ..labels import STANCE as STANCE_LABELS
from .metrics import macro_f1

BEFORE_MODEL = Path("models") / "stance-minilm"
TRAIN_SPLITS = {"dev": ("train",), "test": ("train", "dev")}


def stance_baselines(gold_dir: str | Path, split: str, *, kinds: dict[str, str] | None = None,
                     before_model: str | Path | None = BEFORE_MODEL, seed: int = 0) -> dict[str, dict]:
    """`stance_<name>` -> macro-F1 and per-label F1 of each baseline on `split`'s gold sentences
    (see the module docstring); {} for a split no baseline can be fitted for (`train`)."""
    from ..stance.data import load_examples, page_kinds, split_doc_ids
    from ..stance.target import load_target

    if split not in TRAIN_SPLITS:
        return {}
    target = load_target()
    doc_ids = split_doc_ids(gold_dir, TRAIN_SPLITS[split] + (split,))
    kinds = page_kinds(doc_ids) | dict(kinds or {})
    examples, gold = load_examples(gold_dir, splits=(split,), target=target, kinds=kinds)
    train, train_labels = load_examples(gold_dir, splits=TRAIN_SPLITS[split], target=target, kinds=kinds)
    labels = list(STANCE_LABELS)
    majority = Counter(train_labels).most_common(1)[0][0]
    out = {"stance_majority": macro_f1(gold, [majority] * len(gold), labels),
           "stance_tfidf_lr": macro_f1(gold, _tfidf_predictions(train, train_labels, examples, seed), labels)}
    if before_model is not None and (Path(before_model) / "meta.json").is_file():
        out["stance_shipped_before"] = macro_f1(gold, _model_predictions(before_model, examples), labels)
    human = human_agreement(gold_dir, split)
    if human:
        out["stance_human"] = human
    return out


def _tfidf_predictions(train, train_labels, examples, seed: int) -> list[str]:
    from ..stance.evaluation import fit_estimator
    from ..stance.features import build_table
    from ..stance.models import make_approach
    from ..stance.training import blas_single_thread

    with blas_single_thread():
        estimator = fit_estimator(make_approach("tfidf_lr", seed=seed), build_table(train), train_labels)
        return list(estimator.predict(build_table(examples)))


def _model_predictions(model_dir: str | Path, examples) -> list[str]:
    from ..stance.model import load_model

    model = load_model(model_dir)
    lookup = None
    if model.needs_embeddings:
        from ..stance.encoder import embedding_lookup, load_encoder

        lookup = embedding_lookup(load_encoder(model.encoder), [e.text for e in examples])
    proba = model.predict_proba(examples, lookup)
    return [model.target.labels[i] for i in proba.argmax(axis=1)]


def human_agreement(gold_dir: str | Path, split: str) -> dict | None:
    """Pass B against the gold (pass A, adjudicated) on the split's pages both passes read, with
    Cohen's kappa of the raw passes; None without the passes."""
    from ..annotate.agreement import cohen_kappa
    from ..gold.merge import align, by_doc
    from ..stance.data import split_doc_ids
    from .scoring import load_gold

    passes = Path(gold_dir) / "passes"
    if not (passes / "pass-a.jsonl").is_file() or not (passes / "pass-b.jsonl").is_file():
        return None
    wanted = set(split_doc_ids(gold_dir, (split,)))
    pass_a, pass_b = (by_doc(r for r in _read(passes / name) if r["doc_id"] in wanted)
                      for name in ("pass-a.jsonl", "pass-b.jsonl"))
    gold_rows = {(doc_id, r["start"], r["end"]): r["stance"]
                 for doc_id, layers in load_gold(gold_dir, split=split).items() for r in layers["sentence"]}
    gold, second, first = [], [], []
    for doc_id in sorted(pass_a):
        for a, b in align(pass_a[doc_id]["sentence"], pass_b.get(doc_id, {}).get("sentence", [])):
            adjudicated = gold_rows.get((doc_id, a["start"], a["end"]))
            if b is None or adjudicated is None:
                continue
            gold.append(adjudicated)
            second.append(b["stance"])
            first.append(a["stance"])
    if not gold:
        return None
    out = macro_f1(gold, second, list(STANCE_LABELS))
    out["kappa"] = round(cohen_kappa(first, second), 3)
    return out


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
