"""Canonical ids from names, and labels from cue words, for entities the gazetteer does not know."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

_POSSESSIVE = re.compile(r"['’]s?$")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)


def strip_titles(words: list[str], titles: Iterable[str]) -> list[str]:
    """Drop honorifics from the front of a name (``Mr Russell`` -> ``Russell``)."""
    titles = set(titles)
    i = 0
    while i < len(words) - 1 and words[i] in titles:
        i += 1
    return words[i:]


def make_id(name: str, *, titles: Iterable[str] = ()) -> str:
    """snake_case of a name: ``the Freedom of Information Act 2000`` -> ``freedom_of_information_act_2000``.

    A leading ``the``, titles (``Dame``, ``Mr``), possessives and accents are dropped; ``&`` is ``and``.
    """
    name = _LEADING_THE.sub("", name.strip())
    words = strip_titles(name.split(), titles) if titles else name.split()
    text = _POSSESSIVE.sub("", " ".join(words)).replace("&", " and ")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _NON_WORD.sub("_", text).strip("_")


@dataclass(frozen=True)
class Cues:
    """The label cue words of entity_rules.json (``cues``), built once: the one place every rule
    asks what a name's last words make it (``... Act`` LAW, ``... Programme`` PROGRAMME, ``...
    Rehabilitation Company`` CRC)."""

    ordered: tuple[tuple[str, str], ...]  # (cue, label), longest cue first, then in file order
    crc_head: re.Pattern  # a CRC head word ending a text (``Wales Community Rehabilitation Centre``)

    @classmethod
    def from_rules(cls, cues: Mapping[str, Iterable[str]]) -> "Cues":
        ordered = sorted(((cue, label) for label, words in cues.items() for cue in words), key=lambda c: -len(c[0]))
        crc = [cue for cue, label in ordered if label == "CRC"]
        # no CRC cues: a head that never matches (an empty alternation would end every text)
        return cls(tuple(ordered), re.compile(r"(?:%s)$" % "|".join(map(re.escape, crc)) if crc else r"(?!)"))

    def label(self, name: str, labels: Collection[str] | None = None) -> str | None:
        """The label a name's last words give it, of ``labels`` only where given. Longer cues are
        tried first, so ``Rehabilitation Company`` (CRC) beats ``Company`` (ORG)."""
        name = _POSSESSIVE.sub("", name.strip())
        for cue, label in self.ordered:
            if (labels is None or label in labels) and (name == cue or name.endswith(" " + cue)):
                return label
        return None


def is_name_like(words: list[str], *, allow_function_words: bool = True) -> bool:
    """Every content word starts with a capital (``Ministry of Justice`` yes, ``the new model`` no)."""
    function = {"of", "and", "the", "for", "in", "on", "&", "-", "to", "de"}
    content = [w for w in words if not (allow_function_words and w in function)]
    return bool(content) and all(w[:1].isupper() or w[:1].isdigit() for w in content) and words[0][:1].isupper()
