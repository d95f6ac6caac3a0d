"""`claims export` / `claims import`: the store to and from files.

- `jsonl`: the project's gold format, one file per document (annotations/gold/DOC_ID.jsonl), the
  resolved labels (adjudications first, then the majority).
- `labelstudio`: a Label Studio task list (JSON), one task per labelled sentence and one annotation
  per annotator (an adjudication is the `ground_truth` annotation), model suggestions as predictions.
- `docbin`: a spaCy DocBin of the resolved gold, one Doc per sentence, spans in `doc.spans`, stance
  in `doc.cats`, every field of the gold records in `doc.user_data`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import AnnotateErrors, AnnotationError
from ..store import Store
from . import docbin, jsonl, labelstudio

FORMATS = ("jsonl", "labelstudio", "docbin")
_MODULES = {"jsonl": jsonl, "labelstudio": labelstudio, "docbin": docbin}


def _module(fmt: str):
    if fmt not in _MODULES:
        raise AnnotationError(AnnotateErrors.A013.format(value=fmt, allowed=", ".join(FORMATS)))
    return _MODULES[fmt]


def export_labels(store: Store, fmt: str, out: str | Path, *, annotator: str | None = None,
                  unfinished: bool = False) -> dict[str, int]:
    """Write the store's labels to `out` (a folder for jsonl, a file otherwise); returns counts,
    `left_out` being the labelled sentences not marked done (`unfinished=True` writes them too)."""
    return _module(fmt).export(store, Path(out), annotator=annotator, unfinished=unfinished)


def import_labels(store: Store, fmt: str, path: str | Path, *, annotator: str | None = None) -> dict[str, int]:
    """Read labels from `path` into the store as events (with their original annotator and time)."""
    path = Path(path)
    if not path.exists():
        raise AnnotationError(AnnotateErrors.A012.format(path=path, where="-", reason="no such file or folder"))
    return _module(fmt).load(store, path, annotator=annotator)


__all__ = ["FORMATS", "export_labels", "import_labels"]
