"""Entity tagging for claims_entities (SPEC §3): gazetteer, abbreviations, NER fallback, people."""

from .gazetteer import Gazetteer, GazetteerEntry, load_gazetteer, load_rules
from .normalise import make_id
from .tagger import EntityFinder

__all__ = ["EntityFinder", "Gazetteer", "GazetteerEntry", "load_gazetteer", "load_rules", "make_id"]
