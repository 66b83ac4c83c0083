"""Text conventions shared by every stage: the list separator of the canonical tables, and
the normalisation and similarity used when matching texts."""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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


# Vectorised forms for whole columns (pyarrow compute: one pass in C++ over a column).
_NEEDS_FOLDING = r"\s\s|[\t\n\r\f\v]|^\s|\s$"
_NOT_WORD = r"[^\p{L}\p{N}_]+"  # the complement of Python's \w, in RE2 syntax


def _arrow(values: pd.Series) -> pa.Array:
    return pa.array(values.astype(str), from_pandas=True)


def fold_spaces(values: pd.Series) -> pd.Series:
    """Runs of white space (line feeds too) folded to one space and ends stripped.

    Only the cells that need it are rewritten, found by one vectorised regex, so a column of
    tens of thousands of clean cells costs almost nothing.
    """
    needs = pc.match_substring_regex(_arrow(values), _NEEDS_FOLDING).to_numpy(
        zero_copy_only=False)
    if not needs.any():
        return values
    out = values.copy()
    out[needs] = [" ".join(v.split()) for v in values[needs]]
    return out


def normalise_texts(values: pd.Series) -> pd.Series:
    """:func:`normalise_text` of a whole column: lower case, runs of anything but letters,
    digits and ``_`` folded to one space, ends stripped."""
    arr = pc.utf8_trim(pc.replace_substring_regex(pc.utf8_lower(_arrow(values)), _NOT_WORD, " "),
                       " ")
    return pd.Series(arr, index=values.index, dtype=pd.StringDtype("pyarrow", na_value=np.nan))


def unescape_html(values: pd.Series) -> pd.Series:
    """HTML entities ("&#40;Unknown&#41;") decoded, touching only the cells that hold a "&"."""
    has = pc.match_substring(_arrow(values), "&").to_numpy(zero_copy_only=False)
    if not has.any():
        return values
    out = values.copy()
    out[has] = [html.unescape(v) for v in values[has]]
    return out


def extract(values: pd.Series, pattern: str) -> pd.DataFrame:
    """Named groups of ``pattern`` (RE2 syntax) in each cell, one column per group; null where
    the cell does not match (vectorised, like ``Series.str.extract`` but in one C++ pass)."""
    arr = _arrow(values)
    groups = pc.extract_regex(arr, pattern)  # a null struct where the cell does not match
    out = pd.DataFrame({f.name: pd.Series(groups.field(f.name), dtype=values.dtype)
                        for f in groups.type}, index=values.index)
    return out.where(groups.is_valid().to_numpy(zero_copy_only=False)[:, None].repeat(
        out.shape[1], axis=1), None)
