"""`claims eval`: the one scorer for every figure the project reports (SPEC §7)."""

from .scoring import evaluate_run, load_gold

__all__ = ["evaluate_run", "load_gold"]
