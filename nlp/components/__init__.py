"""Pipeline components; importing this package registers their factories with spaCy."""

from . import claims, entities, quantities, segmenter, stance  # noqa: F401
