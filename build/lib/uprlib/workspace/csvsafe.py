"""CSV files that a spreadsheet program opens as text, never as formulas.

A cell whose text begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or the
full-width ``＝ ＋ － ＠`` that some spreadsheet programs also accept) is read by Excel,
LibreOffice and Google Sheets as a formula: ``=cmd|' /C calc'!A0`` runs a program,
``=HYPERLINK(...)`` leaks data. Following the OWASP guidance on CSV injection, such a cell is
written with a leading apostrophe, which every spreadsheet program shows as text; a plain
number (``-1``, ``+2.5``, ``-3e4``) is left as it is. Every CSV the project writes goes through
:func:`write_csv` (or :func:`neutralise_frame` before its own writer), and
:func:`formula_like` lets ``uprlib check`` point at such cells in curated files.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from uprlib.workspace.atomic import atomic_path

if TYPE_CHECKING:  # pandas is imported by the callers that have frames
    import pandas as pd

__all__ = ["FORMULA_PREFIXES", "formula_like", "neutralise", "neutralise_frame", "write_csv"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?%?")


def formula_like(value: Any) -> bool:
    """True when ``value`` is text a spreadsheet program would evaluate as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_PREFIXES):
        return False
    return _NUMBER.fullmatch(value.strip()) is None


def neutralise(value: Any) -> Any:
    """``value`` with a leading apostrophe if it is formula-like, else unchanged."""
    return "'" + value if formula_like(value) else value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are neutralised."""
    out = frame.copy()
    for column in _text_columns(out):
        out[column] = out[column].map(neutralise, na_action="ignore")
    out.columns = [neutralise(c) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, target: Path | str, **to_csv: Any) -> Path:
    """Write ``frame`` as UTF-8 CSV to ``target`` atomically, formula-like cells neutralised."""
    target = Path(target)
    to_csv.setdefault("index", False)
    safe = neutralise_frame(frame)
    if _has_carriage_return(safe):
        # the csv module quotes a field holding its line terminator ("\n") but not a bare
        # "\r", which a reader would take for the end of the row: quote every text field
        to_csv.setdefault("quoting", csv.QUOTE_NONNUMERIC)
    with atomic_path(target, suffix=".csv") as tmp:
        safe.to_csv(tmp, **to_csv)
    return target


def _has_carriage_return(frame: pd.DataFrame) -> bool:
    return any(frame[c].map(lambda v: isinstance(v, str) and "\r" in v).any()
               for c in _text_columns(frame))


def _text_columns(frame: pd.DataFrame) -> list:
    """Columns that may hold text: object, pandas' string dtypes and categories."""
    return [c for c in frame.columns
            if frame[c].dtype == object or str(frame[c].dtype) in ("string", "str", "category")]
