"""Cheap stance variants against tfidf_char_lr, in the same grouped 5-fold CV by site on train+dev
(GroupKFold shuffle, seed 0: the folds of research/stance_experiments.py). Issue 13, brief stance2.

    .venv/bin/python research/stance_cheap_cv.py                  # every variant
    .venv/bin/python research/stance_cheap_cv.py --only base passes_soft

Scores are argmax of uncalibrated models (temperature scaling keeps the argmax), fold-mean macro-F1
± sd and pooled per-class F1 from nlp.eval.metrics.macro_f1. Anything "chosen" (biases, weights of
a stack) is chosen inside the training folds by an inner grouped CV, never on the held-out fold.
Results are appended to research/stance_cheap_cv.jsonl. Never touches the test split.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.eval.metrics import macro_f1  # noqa: E402
from nlp.gold.sources import split_sites  # noqa: E402
from nlp.stance.data import document_kinds, load_examples  # noqa: E402
from nlp.stance.features import build_table, columns  # noqa: E402
from nlp.stance.lexicon import NAMES as LEX_NAMES  # noqa: E402
from nlp.stance.target import load_target  # noqa: E402
from nlp.stance.training import blas_single_thread  # noqa: E402

OUT = ROOT / "research" / "stance_cheap_cv.jsonl"


def pass_labels(gold: Path) -> dict[tuple[str, int], tuple[str, str]]:
    """(doc_id, start) -> (pass-a stance, pass-b stance) for the sentences both passes labelled."""
    by_pass: dict[str, dict] = {}
    for name in ("pass-a", "pass-b"):
        rows = (json.loads(line) for line in (gold / "passes" / f"{name}.jsonl").read_text().splitlines() if line)
        by_pass[name] = {(r["doc_id"], r["start"]): r.get("stance") or "none" for r in rows
                         if r.get("layer") == "sentence"}
    a, b = by_pass["pass-a"], by_pass["pass-b"]
    return {k: (a[k], b[k]) for k in a.keys() & b.keys()}


def gold_starts(gold: Path, examples) -> list[int]:
    starts = {}
    for doc_id in {e.doc_id for e in examples}:
        for line in (gold / "gold" / f"{doc_id}.jsonl").read_text().splitlines():
            r = json.loads(line)
            if r.get("layer") == "sentence":
                starts[(doc_id, r["sent_id"])] = r["start"]
    return [starts[(e.doc_id, e.sent_id)] for e in examples]


class Data:
    def __init__(self, gold: Path, corpus: Path, seed: int):
        self.target = load_target()
        self.labels_set = list(self.target.labels)
        self.examples, labels = load_examples(gold, splits=("train", "dev"), target=self.target,
                                              kinds=document_kinds(corpus))
        self.y = np.asarray(labels)
        sites = split_sites(gold)
        self.groups = np.asarray([sites.get(e.doc_id, e.doc_id) for e in self.examples])
        self.docs = np.asarray([e.doc_id for e in self.examples])
        self.table = build_table(self.examples)
        passes = pass_labels(gold)
        starts = gold_starts(gold, self.examples)
        self.passes = [passes.get((e.doc_id, s)) for e, s in zip(self.examples, starts)]
        self.folds = list(GroupKFold(n_splits=5, shuffle=True, random_state=seed).split(
            self.table, self.y, self.groups))
        self.seed = seed
        self.default = ("base", None)  # the feature set variants read unless they ask for another
        self._cache: dict = {}

    def features(self, fold: int, maker=None, key: str = "base"):
        """Fitted-on-train feature matrices (train, test) of a fold; cached per key."""
        if maker is None and key == "base":
            key, maker = self.default
        if (key, fold) not in self._cache:
            train, test = self.folds[fold]
            ct = (maker or (lambda: columns(text=True, chars=True)))()
            Xtr = ct.fit_transform(self.table.iloc[train])
            Xte = ct.transform(self.table.iloc[test])
            self._cache[(key, fold)] = (sp.csr_matrix(Xtr), sp.csr_matrix(Xte))
        return self._cache[(key, fold)]


def lr(c: float = 10.0, seed: int = 0, balanced=True) -> LogisticRegression:
    return LogisticRegression(C=c, class_weight="balanced" if balanced else None, max_iter=3000, random_state=seed)


def fold_report(name: str, data: Data, preds: list[tuple[np.ndarray, np.ndarray]], seconds: float, note: str = ""):
    f1s, oof = [], np.empty(len(data.y), dtype=object)
    for (train, test), pred in zip(data.folds, preds):
        oof[test] = pred
        f1s.append(macro_f1(list(data.y[test]), list(pred), data.labels_set)["macro_f1"])
    pooled = macro_f1(list(data.y), list(oof), data.labels_set)
    per = {label: round(pooled[f"f1_{label}"], 3) for label in data.labels_set}
    row = {"variant": name, "seed": data.seed, "macro_f1_mean": round(float(np.mean(f1s)), 4), "macro_f1_sd": round(float(np.std(f1s)), 4),
           "pooled_macro_f1": round(pooled["macro_f1"], 4), "accuracy": round(pooled["accuracy"], 4),
           "per_class_f1": per, "folds": [round(f, 4) for f in f1s], "seconds": round(seconds, 1),
           "note": note or ("token matcher (shipped)" if name.startswith("lex") else "")}
    print(f"{name:28s} {row['macro_f1_mean']:.3f} ± {row['macro_f1_sd']:.3f}  pooled {row['pooled_macro_f1']:.3f}  "
          f"{per}  ({seconds:.0f}s)", flush=True)
    with OUT.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")
    return row


def run_simple(name, data: Data, fit_predict, note=""):
    """fit_predict(fold_index, train_idx, test_idx) -> predicted labels of test_idx."""
    started = time.perf_counter()
    preds = [fit_predict(i, tr, te) for i, (tr, te) in enumerate(data.folds)]
    return fold_report(name, data, preds, time.perf_counter() - started, note)


def inner_folds(data: Data, train: np.ndarray, k: int = 4):
    return [(train[a], train[b]) for a, b in GroupKFold(n_splits=k, shuffle=True, random_state=data.seed).split(
        train, groups=data.groups[train])]


def tune_bias(proba: np.ndarray, y: np.ndarray, classes: np.ndarray, labels, grid=np.linspace(-2, 2, 21)):
    """Per-class additive log-probability offsets maximising macro-F1 (coordinate ascent, 2 sweeps)."""
    logp = np.log(np.clip(proba, 1e-9, 1))
    bias = np.zeros(len(classes))
    gold = np.searchsorted(classes, y)

    def f1(b):
        return fast_macro_f1(gold, (logp + b).argmax(1), len(classes))

    best = f1(bias)
    for _ in range(2):
        for j in range(len(classes)):
            for g in grid:
                trial = bias.copy()
                trial[j] = g
                s = f1(trial)
                if s > best + 1e-9:
                    best, bias = s, trial
    return bias


def fast_macro_f1(gold: np.ndarray, pred: np.ndarray, k: int) -> float:
    scores = []
    for j in range(k):
        tp = np.sum((gold == j) & (pred == j))
        p, g = np.sum(pred == j), np.sum(gold == j)
        scores.append(2 * tp / (p + g) if p + g else 0.0)
    return float(np.mean(scores))


# ---- variants -------------------------------------------------------------------------------

def v_base(data: Data, c: float = 10.0, key="base", maker=None):
    def fp(i, train, test):
        Xtr, Xte = data.features(i, maker, key)
        return lr(c, data.seed).fit(Xtr, data.y[train]).predict(Xte)
    return fp


def pass_weighted(data: Data, train: np.ndarray, *, extra: float, disagree: float = 1.0):
    """Rows, labels and weights of a training fold: every gold label at weight 1 (or `disagree`
    where the two passes differ); where a pass's label differs from gold it is added as another
    row at weight `extra` (soft label)."""
    rows, labels, weights = [], [], []
    for r in train:
        p = data.passes[r]
        w = disagree if p and p[0] != p[1] else 1.0
        rows.append(r), labels.append(data.y[r]), weights.append(w)
        for lab in (p or ()):
            if extra and lab != data.y[r]:
                rows.append(r), labels.append(lab), weights.append(extra)
    return np.asarray(rows), np.asarray(labels), np.asarray(weights)


def v_passes(data: Data, *, extra: float, disagree: float = 1.0):
    def fp(i, train, test):
        Xtr, Xte = data.features(i)
        pos = {r: j for j, r in enumerate(train)}
        rows, labels, weights = pass_weighted(data, train, extra=extra, disagree=disagree)
        X = Xtr[[pos[r] for r in rows]]
        return lr(10.0, data.seed).fit(X, labels, sample_weight=weights).predict(Xte)
    return fp


class Hier:
    """none-vs-stance, then support/oppose/qualified among stance sentences; P = P(stance) P(c|stance)."""

    def __init__(self, c1=10.0, c2=10.0, seed=0):
        self.c1, self.c2, self.seed = c1, c2, seed

    def fit(self, X, y):
        stance = y != "none"
        self.one = lr(self.c1, self.seed).fit(X, np.where(stance, "stance", "none"))
        self.two = lr(self.c2, self.seed).fit(X[np.flatnonzero(stance)], y[stance])
        self.classes_ = np.asarray(sorted(set(y)))
        return self

    def predict_proba(self, X):
        p1 = self.one.predict_proba(X)[:, list(self.one.classes_).index("stance")]
        p2 = self.two.predict_proba(X)
        out = np.zeros((X.shape[0], len(self.classes_)))
        for j, c in enumerate(self.classes_):
            out[:, j] = (1 - p1) if c == "none" else p1 * p2[:, list(self.two.classes_).index(c)]
        return out

    def predict(self, X):
        return self.classes_[self.predict_proba(X).argmax(1)]


def v_model(data: Data, make, *, bias: bool = False):
    """Any estimator with fit/predict_proba over the base features; with `bias`, per-class offsets
    tuned for macro-F1 on inner grouped-CV out-of-fold probabilities of the training fold."""
    def fp(i, train, test):
        Xtr, Xte = data.features(i)
        pos = {r: j for j, r in enumerate(train)}
        model = make().fit(Xtr, data.y[train])
        if not bias:
            return model.predict(Xte)
        oof = np.zeros((len(train), len(model.classes_)))
        for itr, ite in inner_folds(data, train):
            m = make().fit(Xtr[[pos[r] for r in itr]], data.y[itr])
            oof[[pos[r] for r in ite]] = m.predict_proba(Xtr[[pos[r] for r in ite]])
        b = tune_bias(oof, data.y[train], model.classes_, data.labels_set)
        print(f"   fold {i} bias {np.round(b, 2)}", flush=True)
        return model.classes_[(np.log(np.clip(model.predict_proba(Xte), 1e-9, 1)) + b).argmax(1)]
    return fp


def context_features(data: Data, rows: np.ndarray, proba: np.ndarray) -> np.ndarray:
    """Per row: its document's mean probabilities over its other sentences (leave-self-out), and
    the previous and next sentences' probabilities (zeros at the edges)."""
    rows = np.asarray(rows)
    out = np.zeros((len(rows), 3 * proba.shape[1]))
    docs = data.docs[rows]
    for d in np.unique(docs):
        idx = np.flatnonzero(docs == d)
        idx = idx[np.argsort(rows[idx])]
        P = proba[idx]
        total = P.sum(0)
        n = len(idx)
        out[idx, :P.shape[1]] = (total - P) / max(n - 1, 1)
        out[idx[1:], P.shape[1]:2 * P.shape[1]] = P[:-1]
        out[idx[:-1], 2 * P.shape[1]:] = P[1:]
    return out


def v_stack(data: Data, *, scale: float = 1.0, own: bool = False):
    """Stacked context: first-pass probabilities, out-of-fold inside the training fold, of the
    document's other sentences and the neighbours, appended to the TF-IDF features."""
    def fp(i, train, test):
        Xtr, Xte = data.features(i)
        pos = {r: j for j, r in enumerate(train)}
        first = lr(10.0, data.seed).fit(Xtr, data.y[train])
        oof = np.zeros((len(train), len(first.classes_)))
        for itr, ite in inner_folds(data, train, k=5):
            m = lr(10.0, data.seed).fit(Xtr[[pos[r] for r in itr]], data.y[itr])
            oof[[pos[r] for r in ite]] = m.predict_proba(Xtr[[pos[r] for r in ite]])
        pte = first.predict_proba(Xte)
        ctr, cte = context_features(data, train, oof), context_features(data, test, pte)
        if own:
            ctr, cte = np.hstack([ctr, oof]), np.hstack([cte, pte])
        A = sp.hstack([Xtr, sp.csr_matrix(ctr * scale)]).tocsr()
        B = sp.hstack([Xte, sp.csr_matrix(cte * scale)]).tocsr()
        return lr(10.0, data.seed).fit(A, data.y[train]).predict(B)
    return fp


def v_lexicon(data: Data, *, scale: float = 1.0, hier: bool = False, keep=None):
    from nlp.stance.lexicon import NAMES, LexiconFeatures

    lex = LexiconFeatures().fit(None)
    cache = lex.transform(data.table)
    if keep is not None:
        cache = cache[:, [NAMES.index(n) for n in keep]]

    def fp(i, train, test):
        Xtr, Xte = data.features(i)
        A = sp.hstack([Xtr, sp.csr_matrix(cache[train] * scale)]).tocsr()
        B = sp.hstack([Xte, sp.csr_matrix(cache[test] * scale)]).tocsr()
        model = Hier(seed=data.seed) if hier else lr(10.0, data.seed)
        return model.fit(A, data.y[train]).predict(B)
    return fp


def v_sklearn(data: Data, make):
    def fp(i, train, test):
        Xtr, Xte = data.features(i)
        return make().fit(Xtr, data.y[train]).predict(Xte)
    return fp


def mixed(char_weight: float):
    def maker():
        from sklearn.compose import ColumnTransformer

        from nlp.stance.features import char_tfidf, word_tfidf
        return ColumnTransformer([("text", word_tfidf(), "text"), ("chars", char_tfidf(), "text")],
                                 transformer_weights={"text": 1.0, "chars": char_weight})
    return maker


def v_encoder(data: Data, *, scale: float, blocks=("e",)):
    from sklearn.preprocessing import StandardScaler

    from nlp.stance.encoder import embedding_lookup, load_encoder

    lookup = embedding_lookup(load_encoder(), [e.text for e in data.examples])
    table = build_table(data.examples, lookup)
    emb = np.hstack([table[[c for c in table.columns if c[:1] == b and c[1:].isdigit()]].to_numpy() for b in blocks])

    def fp(i, train, test):
        Xtr, Xte = data.features(i)
        sc = StandardScaler().fit(emb[train])
        f = scale / np.sqrt(emb.shape[1])
        A = sp.hstack([Xtr, sp.csr_matrix(sc.transform(emb[train]) * f)]).tocsr()
        B = sp.hstack([Xte, sp.csr_matrix(sc.transform(emb[test]) * f)]).tocsr()
        return lr(10.0, data.seed).fit(A, data.y[train]).predict(B)
    return fp


def site_weights(data: Data, rows: np.ndarray, how: str) -> np.ndarray:
    """Weights that stop the largest sites (two hold 40% of the sentences) dominating the fit:
    1/sqrt(n) or min(1, cap/n) per sentence of a site with n sentences; mean 1 over the rows."""
    sites, counts = np.unique(data.groups[rows], return_counts=True)
    n = dict(zip(sites, counts))
    size = np.asarray([n[g] for g in data.groups[rows]], dtype=float)
    w = 1 / np.sqrt(size) if how == "sqrt" else np.minimum(1.0, float(how) / size)
    return w / w.mean()


def v_sites(data: Data, how: str, *, drop_boilerplate: bool = False, c: float = 10.0):
    def fp(i, train, test):
        Xtr, Xte = data.features(i)
        w = site_weights(data, train, how)
        keep = np.ones(len(train), bool)
        if drop_boilerplate:
            keep = data.table.segment.to_numpy()[train] != "boilerplate"
        model = lr(c, data.seed).fit(Xtr[np.flatnonzero(keep)], data.y[train][keep], sample_weight=w[keep])
        pred = model.predict(Xte)
        if drop_boilerplate:
            pred[data.table.segment.to_numpy()[test] == "boilerplate"] = "none"
        return pred
    return fp


def with_lexicon():
    from sklearn.compose import ColumnTransformer

    from nlp.stance.features import char_tfidf, word_tfidf
    from nlp.stance.lexicon import LexiconFeatures
    return ColumnTransformer([("text", word_tfidf(), "text"), ("chars", char_tfidf(), "text"),
                              ("lexicon", LexiconFeatures(), ["text"])], sparse_threshold=0.3)


def gazetteer_normaliser():
    """Names of CRCs, regions and people (nlp/data/gazetteer.jsonl) replaced by their class, so a
    sentence about one site's CRC reads like another's."""
    import re

    names: dict[str, str] = {}
    for line in (ROOT / "nlp" / "data" / "gazetteer.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if r.get("label") in ("CRC", "REGION", "PERSON"):
            for name in [r["name"], *r.get("aliases", [])]:
                if len(name) > 3:
                    names[name.lower()] = f" {r['label'].lower()}name "
    pattern = re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b",
                         re.IGNORECASE)
    return lambda text: pattern.sub(lambda m: names[m.group(0).lower()], text)


def with_normalised(lexicon: bool):
    from sklearn.compose import ColumnTransformer
    from sklearn.preprocessing import FunctionTransformer

    from nlp.stance.features import char_tfidf, word_tfidf
    from nlp.stance.lexicon import LexiconFeatures
    norm = gazetteer_normaliser()
    mapped = FunctionTransformer(lambda col: [norm(t) for t in col])

    def maker():
        from sklearn.pipeline import make_pipeline
        parts = [("text", make_pipeline(mapped, word_tfidf()), "text"),
                 ("chars", make_pipeline(mapped, char_tfidf()), "text")]
        if lexicon:
            parts.append(("lexicon", LexiconFeatures(), ["text"]))
        return ColumnTransformer(parts, sparse_threshold=0.3)
    return maker


def lex(data: Data, factory):
    """A variant over the TF-IDF + word-list features."""
    data.default = ("lex", with_lexicon)
    return factory()


def variants(data: Data) -> dict:
    from sklearn.linear_model import SGDClassifier
    from sklearn.naive_bayes import ComplementNB
    from sklearn.svm import LinearSVC

    seed = data.seed
    return {
        "base": lambda: v_base(data),
        "lr_c3": lambda: v_base(data, c=3.0),
        "lr_c30": lambda: v_base(data, c=30.0),
        "char_w0.5": lambda: v_base(data, key="cw0.5", maker=mixed(0.5)),
        "char_w2": lambda: v_base(data, key="cw2", maker=mixed(2.0)),
        "passes_soft0.5": lambda: v_passes(data, extra=0.5),
        "passes_soft0.25": lambda: v_passes(data, extra=0.25),
        "passes_disagree0.5": lambda: v_passes(data, extra=0.0, disagree=0.5),
        "passes_soft0.5_disagree0.5": lambda: v_passes(data, extra=0.5, disagree=0.5),
        "hier": lambda: v_model(data, lambda: Hier(seed=seed)),
        "hier_c3_c30": lambda: v_model(data, lambda: Hier(3.0, 30.0, seed=seed)),
        "hier_bias": lambda: v_model(data, lambda: Hier(seed=seed), bias=True),
        "flat_bias": lambda: v_model(data, lambda: lr(10.0, seed), bias=True),
        "stack_ctx": lambda: v_stack(data),
        "stack_ctx_x3": lambda: v_stack(data, scale=3.0),
        "stack_ctx_own": lambda: v_stack(data, own=True),
        "lexicon": lambda: v_lexicon(data),
        "lexicon_x3": lambda: v_lexicon(data, scale=3.0),
        "lexicon_no_interactions": lambda: v_lexicon(data, keep=("private", "public", "negative", "positive",
                                                                 "qualified", "modal", "negation")),
        "lexicon_sides_evaluation": lambda: v_lexicon(data, keep=("private", "public", "negative", "positive",
                                                                  "private_negative", "private_positive",
                                                                  "public_negative", "public_positive")),
        "lexicon_no_modal_negation": lambda: v_lexicon(data, keep=tuple(n for n in LEX_NAMES
                                                                        if n not in ("modal", "negation"))),
        "lexicon_hier": lambda: v_lexicon(data, hier=True),
        "cnb": lambda: v_sklearn(data, lambda: ComplementNB(alpha=0.3)),
        "svm_c0.3": lambda: v_sklearn(data, lambda: LinearSVC(C=0.3, class_weight="balanced", random_state=seed)),
        "svm_c1": lambda: v_sklearn(data, lambda: LinearSVC(C=1.0, class_weight="balanced", random_state=seed)),
        "sgd_mhuber": lambda: v_sklearn(data, lambda: SGDClassifier(loss="modified_huber", alpha=1e-5,
                                                                    class_weight="balanced", random_state=seed)),
        "sites_sqrt": lambda: v_sites(data, "sqrt"),
        "sites_cap150": lambda: v_sites(data, "150"),
        "sites_cap300": lambda: v_sites(data, "300"),
        "sites_sqrt_c3": lambda: v_sites(data, "sqrt", c=3.0),
        "sites_sqrt_c30": lambda: v_sites(data, "sqrt", c=30.0),
        "boilerplate_none": lambda: v_sites(data, "1e9", drop_boilerplate=True),
        "lex_base": lambda: lex(data, lambda: v_base(data)),
        "lex_passes_soft0.5_disagree0.5": lambda: lex(data, lambda: v_passes(data, extra=0.5, disagree=0.5)),
        "lex_stack_ctx": lambda: lex(data, lambda: v_stack(data)),
        "lex_flat_bias": lambda: lex(data, lambda: v_model(data, lambda: lr(10.0, seed), bias=True)),
        "gaz_norm": lambda: v_base(data, key="gaz", maker=with_normalised(False)),
        "lex_gaz_norm": lambda: v_base(data, key="lexgaz", maker=with_normalised(True)),
        "lex_c5": lambda: lex(data, lambda: v_base(data, c=5.0)),
        "lex_c20": lambda: lex(data, lambda: v_base(data, c=20.0)),
        "encoder_e": lambda: v_encoder(data, scale=1.0),
        "encoder_ed": lambda: v_encoder(data, scale=1.0, blocks=("e", "d")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gold", type=Path, default=ROOT / "annotations")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--to-card", type=Path, metavar="MODEL_DIR",
                        help="write the measured rows (latest per variant and seed) into MODEL_DIR/figures.json "
                             "and refresh its MODEL_CARD.md; runs nothing")
    args = parser.parse_args()
    if args.to_card:
        from nlp.stance.training import refresh_card, write_figures

        rows = {}
        for line in OUT.read_text(encoding="utf-8").splitlines():
            r = json.loads(line)
            rows[(r["variant"], r.get("seed", 0))] = r
        ordered = sorted(rows.values(), key=lambda r: (r.get("seed", 0), -r["macro_f1_mean"]))
        write_figures(args.to_card, "cheap_cv", ordered)
        refresh_card(args.to_card)
        return
    started = time.perf_counter()
    data = Data(args.gold, args.corpus, args.seed)
    both = sum(p is not None for p in data.passes)
    differ = sum(p is not None and p[0] != p[1] for p in data.passes)
    print(f"{len(data.y)} sentences, {len(set(data.groups))} sites; both passes on {both}, they differ on "
          f"{differ} ({time.perf_counter() - started:.0f}s)", flush=True)
    table = variants(data)
    with blas_single_thread():
        for name in args.only or list(table):
            data.default = ("base", None)
            run_simple(name, data, table[name]())


if __name__ == "__main__":
    main()
