"""claims: turn writing about a public policy into evidence a researcher can check."""

from __future__ import annotations

__version__ = "0.1.0"
# Bumped whenever a change alters what the pipeline writes (part of the run cache key).
PIPELINE_VERSION = "0.2.1"


def load(config=None, **kwargs):
    """The full spaCy pipeline with our components (see nlp.pipeline.load)."""
    from .pipeline import load as _load

    return _load(config, **kwargs)
