"""`claims annotate`: annotators correct the pipeline's labels in a local web app.

- store.py: SQLite (WAL) event store; every change is an event row, nothing is updated in place.
- loader.py: a `claims run` folder -> documents, sentences and model suggestions in the store.
- actions.py: what an annotator can do to a sentence (label, edit spans, accept, skip).
- queue.py: least confident first, then document order; filters.
- agreement.py: Cohen's kappa, Krippendorff's alpha, span F1, disagreements.
- gold.py, formats/: export and import (gold JSONL, Label Studio, spaCy DocBin).
- api.py, server.py, static/: the web app (standard library HTTP server, plain HTML/JS/CSS).
"""

from __future__ import annotations

from .agreement import agreement_report, cohen_kappa, krippendorff_alpha
from .formats import FORMATS, export_labels, import_labels
from .loader import load_run
from .server import make_server
from .store import Store

__all__ = ["FORMATS", "Store", "agreement_report", "cohen_kappa", "export_labels", "import_labels",
           "krippendorff_alpha", "load_run", "make_server"]
