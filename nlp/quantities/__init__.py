"""Reading numbers in prose: pure functions on strings, testable without spaCy.

    >>> from nlp.quantities import parse_quantity, find_quantities
    >>> parse_quantity("more than a quarter of a million")
    Parsed(value=250000.0, value_high=None, unit='count', approx='more_than')
"""

from .parse import Parsed, parse_number, parse_quantity, parse_words
from .scan import Found, exclusion_spans, find_quantities, warm_up

__all__ = ["Found", "Parsed", "exclusion_spans", "find_quantities", "parse_number", "parse_quantity",
           "parse_words", "warm_up"]
