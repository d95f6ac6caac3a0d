"""Claim detection and typing (SPEC §6): a learned model over sentence text and segment type."""

from .model import ClaimModel, featurise, load_model

__all__ = ["ClaimModel", "featurise", "load_model"]
