"""The claims pipeline: en_core_web_sm with our components added, usable as any spaCy pipeline.

    >>> import nlp
    >>> pipeline = nlp.load()
    >>> doc = pipeline("Eight out of ten CRCs were rated inadequate.")
    >>> doc._.quantities
"""

from __future__ import annotations

import spacy
from spacy.language import Language

from . import components  # noqa: F401  (registers the factories)
from .config import STATISTICAL, Config
from .extensions import register_extensions
from .segmentation.furniture import model_path as furniture_model_path

# Our components in pipeline order, with the spaCy component each must follow when present.
COMPONENTS = (
    ("claims_segmenter", None),  # first: the parser then respects its sentence boundaries
    ("claims_entities", "ner"),
    ("claims_quantities", "parser"),
    ("claims_claims", None),
    ("claims_stance", None),
)


def load(config: Config | None = None, *, components: tuple[str, ...] | None = None) -> Language:
    """Load the spaCy model and add our components (all, or just those named).

    With `config.analysis == "sentences"` (the default) spaCy's statistical components are loaded
    disabled; claims_quantities and claims_entities call them on the sentences that need them.
    """
    config = config or Config()
    register_extensions()
    exclude = list(config.exclude)
    if not config.use_ner and "ner" not in exclude:
        exclude.append("ner")
    disable = [name for name in STATISTICAL if name not in exclude] if config.analysis == "sentences" else []
    nlp = spacy.load(config.spacy_model, exclude=exclude, disable=disable)
    component_config = {
        "claims_segmenter": {"furniture_path": str(furniture_model_path(config.models_dir))},
        "claims_entities": {"gazetteer_paths": list(config.gazetteer_paths), "use_ner": config.use_ner},
        "claims_claims": {"threshold": config.claim_threshold, "models_dir": config.models_dir},
        "claims_stance": {"models_dir": config.models_dir, "model_subdir": config.stance_model},
    }
    for name, _after in COMPONENTS:
        if components is not None and name not in components:
            continue
        if name == "claims_segmenter":
            nlp.add_pipe(name, first=True, config=component_config[name])
        else:
            nlp.add_pipe(name, config=component_config.get(name, {}))
    return nlp
