"""Sentence encoders that need no torch at inference (see static.py)."""

from .static import StaticEncoder

__all__ = ["StaticEncoder"]
