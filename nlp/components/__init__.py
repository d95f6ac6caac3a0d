"""Pipeline components; importing this package registers their factories with spaCy."""

from . import claims, entities, quantities, segmenter  # noqa: F401
