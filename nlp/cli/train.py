"""claims train stance|claims|entities|furniture|links [--gold annotations] [--splits train,dev] [--out models/NAME] [--seed 0] [--target FILE] [--encoder static|minilm] [--approach NAME] [--run OUT]"""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import ClaimsError
from ._console import err, fail

_WHAT = ("stance", "claims", "entities", "furniture", "links")


def train(
    what: str = typer.Argument(..., help="What to train: stance, claims, entities (learned names), furniture "
                                         "(page furniture for the segmenter) or links (the pair model; needs --run)."),
    gold: Path = typer.Option(Path("annotations"), "--gold", help="Annotations folder (gold/*.jsonl, split.json)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Model folder to write (default models/WHAT)."),
    seed: int = typer.Option(0, "--seed", help="Seed for folds and estimators (same seed, same model)."),
    target: Path | None = typer.Option(None, "--target", help="Stance target TOML (default nlp/data/stance_target.toml)."),
    corpus: Path = typer.Option(Path("corpus"), "--corpus", help="Corpus folder (document kinds from headers)."),
    encoder: str = typer.Option("static", "--encoder",
                                help="Sentence encoder of the stance features: static (fast) or minilm "
                                     "(better in CV, ~7x slower runs; train into models/stance-minilm)."),
    approach: str | None = typer.Option(None, "--approach",
                                        help="stance: the model (nlp/stance/models.py; default the grouped-CV "
                                             "winner, nlp/stance/training.py WINNER), or cascade_minilm (a fine-tuned "
                                             "MiniLM behind the first pass; opt-in, slower: train into models/stance-cascade)."),
    splits: str = typer.Option("train,dev", "--splits",
                               help="entities, furniture, links: the gold splits to learn from (train alone to "
                                    "score dev)."),
    run: Path | None = typer.Option(None, "--run", help="links: a finished `claims run` folder whose claims the "
                                                        "judged pairs are placed on."),
) -> None:
    """Train a model from gold annotations (train+dev splits) and write it with its model card."""
    if what not in _WHAT:
        fail(f"cannot train {what!r}; expected one of: {', '.join(_WHAT)}")
    if what == "entities":
        _train_entities(gold, out, splits=tuple(s.strip() for s in splits.split(",") if s.strip()))
        return
    out = out or Path("models") / what
    if what == "links":
        _train_links(gold, out, run, seed=seed, splits=tuple(s.strip() for s in splits.split(",") if s.strip()))
        return
    if what == "claims":
        _train_claims(gold, out, seed=seed)
        return
    if what == "furniture":
        _train_furniture(gold, out, seed=seed, splits=tuple(s.strip() for s in splits.split(",") if s.strip()))
        return
    from ..stance.encoder import ENCODERS
    from ..stance.models import APPROACHES
    from ..stance.training import CASCADE, WINNER, train_stance

    approach = approach or WINNER
    if encoder not in ENCODERS:
        fail(f"unknown encoder {encoder!r}; expected one of: {', '.join(ENCODERS)}")
    if approach not in APPROACHES and approach != CASCADE:
        fail(f"unknown stance approach {approach!r}; expected one of: {', '.join([*APPROACHES, CASCADE])}")
    try:
        with err.status("training stance model", spinner="dots"):
            report = train_stance(gold, out, seed=seed, target_path=target, corpus_dir=corpus, encoder_name=encoder,
                                  approach=approach)
    except ClaimsError as exc:
        fail(str(exc))
    size = sum(p.stat().st_size for p in report.files)
    cv = report.cv or {}
    err.print(f"stance ({report.model.approach}) trained on {report.model.meta['n_sentences']} sentences in "
              f"{report.seconds:.0f}s; grouped-CV macro-F1 {cv.get('macro_f1_mean', float('nan')):.3f}; "
              f"{size / 1e6:.1f} MB written to {out}/")


def _train_claims(gold: Path, out: Path, *, seed: int) -> None:
    from ..claimcheck.train import train_and_save

    try:
        with err.status("training claim model", spinner="dots"):
            report = train_and_save(gold, out, seed=seed)
    except ClaimsError as exc:
        fail(str(exc))
    cv = report["grouped_cv"]
    err.print(f"claims trained on {report['trained_on']['sentences']} sentences; grouped-CV claim F1 "
              f"{cv['f1']:.3f}, type accuracy {cv['type_accuracy']:.3f}; written to {out}/")


def _train_links(gold: Path, out: Path, run: Path | None, *, seed: int, splits: tuple[str, ...]) -> None:
    from ..engine.outputs import check_out_dir
    from ..links.train import train_links

    if run is None:
        fail("claims train links needs --run OUT: a finished `claims run` folder over the judged documents")
    if "test" in splits:
        fail("the test split is never trained on")
    try:
        check_out_dir(run)
        with err.status("training the link pair model", spinner="dots"):
            figures = train_links(run, gold, out, splits=splits, seed=seed)
    except (ClaimsError, ValueError) as exc:
        fail(str(exc))
    sel, cv, rules = figures["selection"], figures["cv"]["repeat"], figures["cv_rules_only"]["repeat"]
    err.print(f"links: pair model trained on {figures['trained_on']['pairs']} judged pairs "
              f"({'+'.join(splits)}) in {figures['seconds']:.0f}s; C={sel['C']}, threshold {sel['threshold']}; "
              f"site-grouped CV repeat P {cv['precision']:.3f} R {cv['recall']:.3f} (rules alone P "
              f"{rules['precision']:.3f} R {rules['recall']:.3f}); written to {out}/")


def _train_furniture(gold: Path, out: Path, *, seed: int, splits: tuple[str, ...]) -> None:
    from ..segmentation.training import train_furniture

    try:
        with err.status("training page-furniture model", spinner="dots"):
            model, cv, seconds = train_furniture(gold, out, seed=seed, splits=splits)
    except ClaimsError as exc:
        fail(str(exc))
    best, rules = cv["best"], cv["rules_only"]
    err.print(f"furniture trained on {cv['n_blocks']} blocks of {cv['n_sites']} sites in {seconds:.0f}s; grouped CV: "
              f"{best['errors']} sentence errors against {rules['errors']} for the rules alone (furniture P "
              f"{best['precision']:.3f}, R {best['recall']:.3f}); written to {out}/")


def _train_entities(gold: Path, out: Path | None, *, splits: tuple[str, ...]) -> None:
    from ..entities.gazetteer import LEARNED_PATH, load_gazetteer
    from ..entities.learn import learn_names, write_learned

    try:
        records = learn_names(gold, splits=splits, gazetteer=load_gazetteer(learned_path=None))
    except ClaimsError as exc:
        fail(str(exc))
    path = write_learned(records, out or LEARNED_PATH)
    forms = sum(1 + len(r["aliases"]) for r in records)
    err.print(f"entities: {forms} names of {len(records)} ids learned from {'+'.join(splits)}; written to {path}")
