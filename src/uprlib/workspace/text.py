"""Text conventions shared by every stage: the list separator of the canonical tables, and
the normalisation and similarity used when matching texts."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

# Separator of list-valued cells in the canonical tables (theme labels, affected persons,
# recommending states). Labels themselves hold commas and semicolons, so neither can serve.
LIST_SEP = " | "

_WORD = re.compile(r"[^\w]+")


def normalise_text(s: str) -> str:
    """Lower case, punctuation and runs of space folded to one space."""
    return _WORD.sub(" ", str(s).casefold()).strip()


def similarity(a: str, b: str) -> float:
    """Similarity of two texts in [0, 1] after normalisation (difflib ratio)."""
    a, b = normalise_text(a), normalise_text(b)
    if not a or not b:
        return 0.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()
