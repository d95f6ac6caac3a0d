"""Page furniture as a learned decision: a linear model over each block's features.

The rules in ``labels.py`` catch the furniture they name (``ReplyDelete``, share buttons, contact
lines). Pages from new sites bring their own: site names and taglines, bylines and date lines,
"Contents" menus, breadcrumbs, photo captions, ticker rows, journal metadata. A block the rules
did not call furniture is looked at again by a small gradient-boosted tree model trained on the
annotated pages (``training.py``, ``claims train furniture``): what the block says (its words,
first and last word), how it looks (length, case, digits, end punctuation, numbering), where it
stands (before the first or after the last paragraph of running text, next to other furniture)
and whether the page repeats it. Trees, because the signal is in combinations (short *and* before
the article *and* title-cased); a linear model over the same features makes 9 % more errors in
grouped cross-validation (``models/furniture/MODEL_CARD.md``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .labels import BlockLabel
from .lines import Block

FEATURES_VERSION = 1
MODEL_FILE = "model.joblib"
_MAX_CHARS = 600  # longer blocks are running text, never furniture
_WORD = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+|[^\w\s]")
_TOKEN = re.compile(r"\S+")
_MONTH = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b\.?\s*\d|\d\s*"
                    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b", re.I)
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_TIME = re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:am|pm)?\b", re.I)
_LINKISH = re.compile(r"https?://|www\.|@|\.com\b|\.org\b|\.uk\b|#\w")
_SEPARATORS = re.compile(r"[|»›>/]\s")
_NUMBERED = re.compile(r"^\(?\d{1,3}(?:\.\d{1,3})*[.)]?(?:\s|$)")
_RUNNING_WORDS = 25  # a block this long ending in a full stop is running text


@dataclass(frozen=True)
class FurnitureModel:
    """A fitted classifier over block features: ``vectorizer`` (a DictVectorizer) turns feature
    dicts into rows, ``classifier`` gives P(furniture); blocks at or above ``threshold`` are furniture."""

    vectorizer: object
    classifier: object
    threshold: float = 0.5
    meta: dict | None = None

    def probabilities(self, features: list[dict[str, float]]) -> list[float]:
        if not features:
            return []
        from threadpoolctl import threadpool_limits

        rows = self.vectorizer.transform(features)
        with threadpool_limits(limits=1):  # a few hundred rows: threads cost more than they save
            return [float(p) for p in self.classifier.predict_proba(rows)[:, 1]]

    def save(self, path: str | Path) -> Path:
        import joblib

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({"features_version": FEATURES_VERSION, "vectorizer": self.vectorizer,
                     "classifier": self.classifier, "threshold": self.threshold, "meta": self.meta or {}}, path,
                    compress=3)
        return path

    @classmethod
    def load(cls, path: str | Path) -> "FurnitureModel":
        import joblib

        data = joblib.load(path)
        if data.get("features_version") != FEATURES_VERSION:
            raise ValueError(f"{path}: furniture model built for features version {data.get('features_version')}, "
                             f"this code computes version {FEATURES_VERSION}; retrain with `claims train furniture`")
        return cls(data["vectorizer"], data["classifier"], float(data["threshold"]), data.get("meta"))


@lru_cache(maxsize=4)
def load_model(path: str) -> FurnitureModel | None:
    """The model at ``path``, or None where there is none (the rules then decide alone)."""
    return FurnitureModel.load(path) if Path(path).is_file() else None


def model_path(models_dir: str | Path) -> Path:
    """Where the furniture model lives under a models folder."""
    return Path(models_dir) / "furniture" / MODEL_FILE


def default_model_path() -> Path:
    from ..config import Config

    return model_path(Config().models_dir)


def _norm(line: str) -> str:
    return " ".join(line.lower().split())


def _bin(value: float, edges: tuple[float, ...]) -> str:
    for edge in edges:
        if value <= edge:
            return f"<={edge:g}"
    return f">{edges[-1]:g}"


@dataclass(frozen=True)
class PageContext:
    """What a block's features need to know about the rest of its page."""

    n_blocks: int
    first_running: int  # index of the first block of running text (n_blocks when none)
    last_running: int  # index of the last (-1 when none)
    repeats: Counter  # normalised short line -> times it occurs on the page


def page_context(text: str, blocks: list[Block]) -> PageContext:
    running = [b.index for b in blocks if _is_running(text, b)]
    repeats = Counter(_norm(text[b.start : b.end]) for b in blocks if b.end - b.start <= 200)
    return PageContext(len(blocks), running[0] if running else len(blocks), running[-1] if running else -1, repeats)


def _is_running(text: str, block: Block) -> bool:
    return text.count(" ", block.start, block.end) + 1 >= _RUNNING_WORDS and text[block.end - 1] in ".!?\"”’)"


def block_features(text: str, blocks: list[Block], labels: list[BlockLabel], k: int,
                   page: PageContext) -> dict[str, float]:
    """The features of block ``k`` (names -> values; most are indicators)."""
    block = blocks[k]
    line = text[block.start : block.end]
    low = line.lower()
    words = _WORD.findall(low)
    tokens = _TOKEN.findall(line)
    f: dict[str, float] = {"bias_rule=" + labels[k].segment: 1.0}
    for w in set(words[:20]):
        f["w=" + w] = 1.0
    if words:
        f["first=" + words[0]] = 1.0
        f["last=" + words[-1]] = 1.0
    for a, b in set(zip(words[:12], words[1:13])):
        f[f"bi={a}_{b}"] = 1.0
    n_tokens = len(tokens)
    f["chars" + _bin(len(line), (3, 10, 20, 40, 80, 160, 300))] = 1.0
    f["tokens" + _bin(n_tokens, (1, 2, 3, 5, 8, 12, 20, 40))] = 1.0
    last = line[-1]
    f["end=" + (last if last in ".!?:;,)\"”’-" else "alnum" if last.isalnum() else "other")] = 1.0
    alpha = [t for t in tokens if t[:1].isalpha()]
    if alpha:
        caps = sum(t[0].isupper() for t in alpha) / len(alpha)
        f["caps" + _bin(caps, (0.0, 0.5, 0.99))] = 1.0
        f["upper" + _bin(sum(t.isupper() and len(t) > 1 for t in alpha) / len(alpha), (0.0, 0.5, 0.99))] = 1.0
    else:
        f["no_words"] = 1.0
    digits = sum(map(str.isdigit, line)) / len(line)
    f["digits" + _bin(digits, (0.0, 0.1, 0.3, 0.6))] = 1.0
    f["lower_start"] = float(line[0].islower())
    f["date"] = float(bool(_MONTH.search(line) or _NUMERIC_DATE.search(line)))
    f["time"] = float(bool(_TIME.search(line)))
    f["linkish"] = float(bool(_LINKISH.search(low)))
    f["separators"] = float(bool(_SEPARATORS.search(line)))
    f["numbered"] = float(bool(_NUMBERED.match(line)))
    f["bullet"] = float(block.bullet)
    f["multi_line"] = float(block.n_lines > 1)
    f["sentence_inside"] = float(". " in line[:-1])
    position = k / max(page.n_blocks - 1, 1)
    f["position" + _bin(position, (0.02, 0.1, 0.3, 0.7, 0.9, 0.98))] = 1.0
    f["before_running"] = float(k < page.first_running)
    f["after_running"] = float(k > page.last_running)
    f["no_running"] = float(page.last_running < 0)
    if len(line) <= 200:
        times = page.repeats[_norm(line)]
        f["repeated" + _bin(times, (1, 2, 4))] = 1.0
    for side, j in (("prev", k - 1), ("next", k + 1)):
        if 0 <= j < len(blocks):
            f[f"{side}_rule=" + labels[j].segment] = 1.0
            other = blocks[j]
            f[f"{side}_tokens" + _bin(text.count(" ", other.start, other.end) + 1, (2, 5, 12))] = 1.0
            first = _WORD.match(text[other.start : min(other.end, other.start + 40)].lower())
            if first:
                f[f"{side}_first=" + first.group()] = 1.0  # a caption before "Photograph: …"
        else:
            f[f"{side}=edge"] = 1.0
    return f


def relabel(pages: list[tuple[str, list[Block], list[BlockLabel]]],
            model: FurnitureModel) -> list[list[BlockLabel]]:
    """For each page (text, blocks, the rules' labels): the labels with the blocks the model calls
    furniture relabelled `boilerplate` (the rules' furniture stays furniture). All pages are scored
    in one call: the model's fixed cost per call is larger than its cost per block."""
    rows, where = [], []
    for p, (text, blocks, labels) in enumerate(pages):
        context = page_context(text, blocks)
        for k in candidates(blocks, labels):
            rows.append(block_features(text, blocks, labels, k, context))
            where.append((p, k))
    out = [list(labels) for _text, _blocks, labels in pages]
    for (p, k), probability in zip(where, model.probabilities(rows)):
        if probability >= model.threshold:
            out[p][k] = BlockLabel("boilerplate", None, True)
    return out


def candidates(blocks: list[Block], labels: list[BlockLabel]) -> list[int]:
    """The blocks the model decides on: those the rules left to it, but for reader comments (the
    rules found the comment area; in site-grouped cross-validation the model caught no furniture
    among comment lines and lost ten comment sentences)."""
    return [k for k, b in enumerate(blocks)
            if labels[k].segment not in ("boilerplate", "comment") and b.end - b.start <= _MAX_CHARS]
