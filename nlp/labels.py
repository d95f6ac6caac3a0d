"""The label sets of SPEC §1–§6, in one place for the pipeline, the scorer and the annotation tools."""

from __future__ import annotations

STANCE = ("support", "oppose", "qualified", "none")
ENTITY_LABELS = ("CRC", "ORG", "REGION", "PROGRAMME", "PERSON", "LAW")
UNITS = ("count", "percent", "fraction", "gbp", "ratio", "days", "weeks", "months", "years", "other")
APPROX = ("exact", "about", "more_than", "less_than", "at_least", "at_most")
SEGMENTS = ("body", "heading", "list-item", "quote", "comment", "boilerplate")
CLAIM_TYPES = ("numeric", "factual", "evaluative")

