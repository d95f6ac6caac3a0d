"""Stance toward a configurable target (nlp/data/stance_target.toml): data, features, estimators,
calibration, training and the saved model the `claims_stance` component loads."""

from .calibration import TemperatureScaledClassifier
from .data import SentenceContext, contexts_for, load_examples
from .model import StanceModel, load_model
from .target import StanceTarget, load_target

__all__ = ["SentenceContext", "StanceModel", "StanceTarget", "TemperatureScaledClassifier", "contexts_for",
           "load_examples", "load_model", "load_target"]
