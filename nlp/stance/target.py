"""The stance target as configuration: a name, a description and a label set (nlp/data/*.toml)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, Errors

DEFAULT_TARGET = Path(__file__).resolve().parents[1] / "data" / "stance_target.toml"


@dataclass(frozen=True, slots=True)
class StanceTarget:
    """What the classifier judges stance toward, and the labels it may give."""

    name: str
    description: str
    labels: tuple[str, ...]  # in the order scores are reported
    definitions: tuple[str, ...]  # one line per label, same order
    default_label: str = "none"
    gold_field: str = "stance"

    def to_dict(self) -> dict:
        return {"name": self.name, "description": self.description, "default_label": self.default_label,
                "gold_field": self.gold_field, "labels": dict(zip(self.labels, self.definitions))}

    @classmethod
    def from_dict(cls, data: dict, *, source: str = "<dict>") -> "StanceTarget":
        try:
            labels = dict(data["labels"])
            target = cls(name=str(data["name"]), description=str(data.get("description", "")).strip(),
                         labels=tuple(labels), definitions=tuple(str(v) for v in labels.values()),
                         default_label=str(data.get("default_label", "none")),
                         gold_field=str(data.get("gold_field", "stance")))
        except (KeyError, TypeError, ValueError) as exc:
            raise ConfigError(Errors.E013.format(path=source, reason=f"stance target: {exc}")) from exc
        if len(target.labels) < 2 or target.default_label not in target.labels:
            reason = "stance target needs at least two labels, one of them the default_label"
            raise ConfigError(Errors.E013.format(path=source, reason=reason))
        return target


def load_target(path: str | Path | None = None) -> StanceTarget:
    """Read a stance target TOML file (default: nlp/data/stance_target.toml)."""
    path = Path(path) if path else DEFAULT_TARGET
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(Errors.E013.format(path=path, reason=exc)) from exc
    return StanceTarget.from_dict(data, source=str(path))
