"""Cross-source linking of claims (SPEC §6): repeats, contradictions and updates, with reasons.

Corpus-level code over tables of claims, never spaCy Docs. `build_links` is the entry point;
`link_from_embeddings` is the same without the encoder, for tests and cached vectors.
"""

from .build import build_links, iter_links, link_from_embeddings, links_for_out_dir, write_links
from .config import LinkConfig
from .table import ClaimTable, claim_table

__all__ = ["LinkConfig", "ClaimTable", "build_links", "claim_table", "link_from_embeddings", "links_for_out_dir",
           "iter_links", "write_links"]
