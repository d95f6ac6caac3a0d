"""Rule-based sentence segmentation for claims_segmenter (SPEC §2), free of spaCy.

Modules: ``resources`` (the data file, compiled), ``lines`` (lines, list markers, wrapped
paragraphs), ``sentences`` (boundaries inside a paragraph), ``labels`` (furniture, comments,
headings), ``quotes`` (quotations and their speakers), ``core`` (``segment_text``).
"""

from .core import segment_text
from .resources import Rules, load_rules

__all__ = ["Rules", "load_rules", "segment_text"]
