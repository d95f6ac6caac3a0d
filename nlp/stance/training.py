"""Train the stance classifier on gold annotations (`claims train stance`) and write it to disk."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..gold.sources import split_sites
from .card import write_model_card
from .data import SentenceContext, gold_kinds, load_examples
from .evaluation import fit_estimator, grouped_cv
from .features import build_table
from .model import StanceModel
from .models import APPROACHES, make_approach
from .target import StanceTarget, load_target

# Chosen by grouped cross-validation on train+dev (research/stance_experiments.py,
# research/stance_transformer_cv.py; MODEL_CARD.md).
CASCADE = "cascade_minilm"  # first pass + fine-tuned MiniLM (nlp/stance/cascade.py)
CASCADE_FIRST = "tfidf_char_lr"
WINNER = "stack_lex_lr"
FIGURES_FILE = "figures.json"


@dataclass
class TrainReport:
    model: StanceModel
    files: list[Path]
    seconds: float
    cv: dict | None


def blas_single_thread():
    """One BLAS thread for the small linear models: on a busy 2-core machine, threaded BLAS inside
    L-BFGS is 20x slower than one thread (measured)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def embed_examples(examples: list[SentenceContext], *, encoder=None, encoder_name: str | None = None,
                   batch_size: int = 64) -> dict:
    from .encoder import DEFAULT_ENCODER, embedding_lookup, load_encoder

    encoder = encoder or load_encoder(encoder_name or DEFAULT_ENCODER)
    return embedding_lookup(encoder, [e.text for e in examples], batch_size=batch_size)


def fit_model(examples: list[SentenceContext], labels: list[str], *, target: StanceTarget,
              approach: str = WINNER, seed: int = 0, lookup: dict | None = None,
              cv_folds: int = 5, sites: dict[str, str] | None = None) -> tuple[StanceModel, dict | None]:
    """Fit one approach (calibrated) on all examples; also its grouped-CV figures when the data
    has enough groups: sites (`sites`: doc_id -> site), else documents. Returns the model and the
    CV summary (or None)."""
    needs = APPROACHES[approach].needs_embeddings
    table = build_table(examples, lookup if needs else None)
    groups = [(sites or {}).get(e.doc_id, e.doc_id) for e in examples]
    with blas_single_thread():
        cv = None
        if cv_folds and len(set(groups)) >= cv_folds:
            result = grouped_cv(approach, make_approach(approach, seed=seed), table, labels, groups,
                                labels=target.labels, n_splits=cv_folds, seed=seed)
            cv = result.summary(labels, target.labels)
        estimator = fit_estimator(make_approach(approach, seed=seed), table, np.asarray(labels), np.asarray(groups))
    counts = {label: int(sum(y == label for y in labels)) for label in target.labels}
    meta = {"trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "seed": seed,
            "n_sentences": len(examples), "n_documents": len({e.doc_id for e in examples}), "label_counts": counts,
            "documents": sorted({e.doc_id for e in examples}), "cv_groups": "site" if sites else "document",
            "n_groups": len(set(groups)), "grouped_cv": cv,
            "temperature": round(float(getattr(estimator, "temperature_", 1.0)), 4)}
    return StanceModel(estimator, target, approach, needs, meta), cv


def train_cascade(examples: list[SentenceContext], labels: list[str], *, target: StanceTarget, seed: int = 0,
                  sites: dict[str, str] | None = None, settings=None):
    """The cascade (nlp/stance/cascade.py): the first pass fitted as `fit_model` fits it (with its
    grouped-CV figures), then the transformer's top layers trained on every example. `tau` and the
    transformer's temperature are the grouped-CV choices in `transformer.Settings`."""
    import torch

    from .cascade import CascadeModel
    from .transformer import Cache, Settings, train_top

    settings = settings or Settings(seed=seed)
    first, cv = fit_model(examples, labels, target=target, approach=CASCADE_FIRST, seed=seed, sites=sites)
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        cache = Cache.build(examples, settings.frozen, max_tokens=settings.max_tokens)
        top = train_top(cache, labels, list(target.labels), settings)
    finally:
        torch.set_num_threads(before)
    meta = dict(first.meta, transformer=dict(settings.__dict__))
    model = CascadeModel(first=first, top=top, frozen=settings.frozen, tau=settings.tau,
                         temperature=settings.temperature, target=target, meta=meta,
                         max_tokens=settings.max_tokens)
    return model, cv


def train_stance(gold_dir: str | Path = "annotations", out_dir: str | Path = "models/stance", *,
                 seed: int = 0, approach: str = WINNER, target_path: str | Path | None = None,
                 corpus_dir: str | Path | None = "corpus", splits: tuple[str, ...] = ("train", "dev"),
                 encoder=None, encoder_name: str | None = None) -> TrainReport:
    """Train on the gold sentences of `splits`, write model files and MODEL_CARD.md into out_dir.

    encoder_name: `static` (default) or `minilm` (nlp/stance/encoder.py), recorded in the model
    so the pipeline embeds with the same one; `encoder` passes a loaded one (tests)."""
    from .encoder import DEFAULT_ENCODER

    encoder_name = encoder_name or DEFAULT_ENCODER
    started = time.perf_counter()
    target = load_target(target_path)
    examples, labels = load_examples(gold_dir, splits=splits, target=target,
                                     kinds=gold_kinds(gold_dir, splits, corpus_dir))
    if approach == CASCADE:
        needs = False
        model, cv = train_cascade(examples, labels, target=target, seed=seed, sites=split_sites(gold_dir))
    else:
        needs = APPROACHES[approach].needs_embeddings
        lookup = embed_examples(examples, encoder=encoder, encoder_name=encoder_name) if needs else None
        model, cv = fit_model(examples, labels, target=target, approach=approach, seed=seed, lookup=lookup,
                              sites=split_sites(gold_dir))
    seconds = time.perf_counter() - started
    model.meta.update(gold_dir=str(gold_dir), splits=list(splits), train_seconds=round(seconds, 1))
    if needs:
        model.meta["encoder"] = encoder_name
    files = model.save(out_dir)
    files.append(write_model_card(out_dir, model, figures=read_figures(out_dir)))
    return TrainReport(model=model, files=files, seconds=seconds, cv=cv)


def refresh_card(model_dir: str | Path) -> Path:
    """Rewrite MODEL_CARD.md from the saved model and figures.json (after new figures)."""
    from .model import load_model

    return write_model_card(model_dir, load_model(model_dir), figures=read_figures(model_dir))


def read_figures(out_dir: str | Path) -> dict:
    path = Path(out_dir) / FIGURES_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def write_figures(out_dir: str | Path, key: str, value) -> Path:
    """Merge one entry (`cv` table or `test` table) into out_dir/figures.json."""
    figures = read_figures(out_dir)
    figures[key] = value
    path = Path(out_dir) / FIGURES_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return path
