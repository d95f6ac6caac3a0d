"""The entity gazetteer: canonical ids, labels, names and aliases, read from JSONL data files.

One entry a line::

    {"id": "national_probation_service", "label": "ORG", "name": "National Probation Service",
     "aliases": ["NPS"], "uncased": true}

``uncased`` entries also match their multi-word names in any letter case (``unpaid work``,
``Unpaid Work``), except the forms listed in ``cased`` (``Prison and Probation Service`` is HMPPS,
``the prison and probation service`` is no name); abbreviations (``NPS``, ``OMiC``) always match exactly. ``anchored`` aliases count
only in a document that also names the entry another way or contains one of its ``context``
strings (``Inspectorate`` is HMI Probation only where HMI Probation is named). ``since`` (an ISO
date, ``2021-06``) limits an entry to documents dated on or after it: ``Probation Service`` is the
unified service only from June 2021, before that it is probation in general. ``owner`` is the id of
the company that ran a CRC or a CRC brand (a CRC without a ``region``: ``Interserve CRCs`` are
``purple_futures``, crcs.py); ``region`` and ``notes`` are for people reading the file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError, Errors, InputError

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
DEFAULT_GAZETTEER = DATA_DIR / "gazetteer.jsonl"
RULES_PATH = DATA_DIR / "entity_rules.json"
LEARNED_PATH = DATA_DIR / "learned_names.jsonl"  # written by `claims train entities` (learn.py)


def load_rules(path: str | Path = RULES_PATH) -> dict:
    """The label cues, NER label map, titles and stop lists (nlp/data/entity_rules.json)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(Errors.E001.format(path=path, reason=exc), path=str(path)) from exc
    except json.JSONDecodeError as exc:
        raise InputError(Errors.E005.format(path=path, line=exc.lineno, reason=exc.msg), path=str(path)) from exc


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    id: str
    label: str
    name: str
    aliases: tuple[str, ...] = ()
    uncased: bool = False
    anchored: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    since: str | None = None
    owner: str | None = None
    region: str | None = None
    notes: str | None = None
    cased: tuple[str, ...] = ()  # forms matched only as written, though the entry is ``uncased`` (learned ones)

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """Name and aliases, without repeats, in file order."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


def dated_from(since: str | None, date: str | None) -> bool:
    """Whether a document dated ``date`` (ISO, perhaps only a year or a month; None or anything else
    when unknown) is on or after ``since``. A partial date counts as its first day (``2021`` is
    before ``2021-06``); an unknown date is not after anything."""
    if since is None:
        return True
    return bool(date) and _ISO_DATE.fullmatch(date[:10]) is not None and date[:10] >= since


def is_abbreviation(alias: str) -> bool:
    """A one-word alias with two or more capitals or digits (``NPS``, ``OMiC``, ``CRC's``, ``P3``)."""
    if " " in alias:
        return False
    return sum(ch.isupper() or ch.isdigit() for ch in alias) >= 2


@dataclass(frozen=True)
class Gazetteer:
    entries: tuple[GazetteerEntry, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {e.id: e for e in self.entries})

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def get(self, entity_id: str) -> GazetteerEntry | None:
        return self._by_id.get(entity_id)

    def alias_index(self) -> dict[str, str]:
        """Every surface form (exact) -> the id that claims it."""
        return {form: e.id for e in self.entries for form in e.surface_forms}


_FIELDS = ("id", "label", "name", "aliases", "uncased", "anchored", "context", "since", "owner", "region", "notes",
           "cased")
_ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def parse_entry(record: dict, *, labels: Iterable[str], path: str, line: int) -> GazetteerEntry:
    """Check one JSON record and turn it into an entry."""
    for key in ("id", "label", "name"):
        if not isinstance(record.get(key), str) or not record[key].strip():
            raise InputError(Errors.E005.format(path=path, line=line, reason=f"entry needs a string {key!r}"), path=path)
    labels = tuple(labels)
    if record["label"] not in labels:
        raise ConfigError(Errors.E012.format(value=record["label"], option=f"label ({path}:{line})", allowed=", ".join(labels)))
    lists = {}
    for key in ("aliases", "anchored", "context", "cased"):
        value = record.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise InputError(Errors.E005.format(path=path, line=line, reason=f"{key!r} must be a list of strings"), path=path)
        lists[key] = tuple(v.strip() for v in value)
    since = record.get("since")
    if since is not None and not (isinstance(since, str) and _ISO_DATE.fullmatch(since)):
        raise InputError(Errors.E005.format(path=path, line=line, reason=f"'since' must be an ISO date, not {since!r}"), path=path)
    extra = {k: record.get(k) for k in ("since", "owner", "region", "notes")}
    return GazetteerEntry(
        id=record["id"].strip(), label=record["label"], name=record["name"].strip(),
        aliases=tuple(a for a in lists["aliases"] if a != record["name"].strip()),
        uncased=bool(record.get("uncased", False)), anchored=lists["anchored"], context=lists["context"],
        cased=lists["cased"], **extra,
    )


def read_gazetteer_file(path: str | Path, *, labels: Iterable[str]) -> list[GazetteerEntry]:
    """All entries of one JSONL file; a repeated id or an alias claimed by two ids is an error."""
    path = str(path)
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(Errors.E001.format(path=path, reason=exc), path=path) from exc
    entries: list[GazetteerEntry] = []
    seen_ids: set[str] = set()
    claimed: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(Errors.E005.format(path=path, line=number, reason=exc.msg), path=path) from exc
        entry = parse_entry(record, labels=labels, path=path, line=number)
        if entry.id in seen_ids:
            raise InputError(Errors.E005.format(path=path, line=number, reason=f"duplicate id {entry.id!r}"), path=path)
        seen_ids.add(entry.id)
        for form in entry.surface_forms:
            owner = claimed.setdefault(form, entry.id)
            if owner != entry.id:
                reason = f"alias {form!r} of {entry.id!r} already belongs to {owner!r}"
                raise InputError(Errors.E005.format(path=path, line=number, reason=reason), path=path)
        entries.append(entry)
    return entries


def merge_entries(base: list[GazetteerEntry], extra: list[GazetteerEntry]) -> list[GazetteerEntry]:
    """``extra`` over ``base``: a same-id entry replaces ours, an alias it claims leaves ours."""
    extra_ids = {e.id for e in extra}
    extra_forms = {form for e in extra for form in e.surface_forms}
    merged = []
    for entry in base:
        if entry.id in extra_ids:
            continue
        kept = tuple(a for a in entry.aliases if a not in extra_forms)
        if entry.name in extra_forms:
            if not kept:
                continue
            entry = GazetteerEntry(**{**_as_dict(entry), "name": kept[0], "aliases": kept[1:]})
        elif kept != entry.aliases:
            entry = GazetteerEntry(**{**_as_dict(entry), "aliases": kept})
        merged.append(entry)
    return merged + list(extra)


def _as_dict(entry: GazetteerEntry) -> dict:
    return {name: getattr(entry, name) for name in _FIELDS}


def add_learned(base: list[GazetteerEntry], learned: list[GazetteerEntry]) -> list[GazetteerEntry]:
    """``learned`` under ``base``: a form ``base`` claims stays ``base``'s; a learned id that ``base``
    has adds its other forms as aliases of ``base``'s entry (label and name stay ``base``'s), matched
    only as written even where ``base``'s entry is ``uncased``: the form was learned, and its
    precision measured, in the case the annotators saw (``Transforming Rehabilitation Programme``
    is a name, ``Transforming Rehabilitation programme`` is the name and a common noun)."""
    claimed = {form for e in base for form in e.surface_forms}
    by_id = {e.id: e for e in base}
    added: list[GazetteerEntry] = []
    for entry in learned:
        forms = [f for f in entry.surface_forms if f not in claimed]
        if not forms:
            continue
        claimed.update(forms)
        old = by_id.get(entry.id)
        if old is not None:
            by_id[entry.id] = GazetteerEntry(**{**_as_dict(old), "aliases": old.aliases + tuple(forms),
                                                "cased": old.cased + tuple(forms)})
        else:
            added.append(GazetteerEntry(**{**_as_dict(entry), "name": forms[0], "aliases": tuple(forms[1:])}))
    return [by_id[e.id] for e in base] + added


def load_gazetteer(extra_paths: Iterable[str | Path] = (), *, labels: Iterable[str] | None = None,
                   base_path: str | Path = DEFAULT_GAZETTEER,
                   learned_path: str | Path | None = LEARNED_PATH) -> Gazetteer:
    """Our gazetteer, the learned names under it (where the file exists), then each extra file
    merged over it in turn."""
    labels = tuple(labels) if labels is not None else tuple(load_rules()["labels"])
    entries = read_gazetteer_file(base_path, labels=labels)
    if learned_path is not None and Path(learned_path).is_file():
        entries = add_learned(entries, read_gazetteer_file(learned_path, labels=labels))
    for path in extra_paths:
        entries = merge_entries(entries, read_gazetteer_file(path, labels=labels))
    return Gazetteer(tuple(entries))
