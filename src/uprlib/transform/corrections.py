"""Documented corrections of known errors in raw files, applied on load.

Raw files stay as published; ``data/source_corrections.csv`` lists each fix (file pattern,
column, value, action ``replace`` or ``drop``, corrected value, reason). Every applied fix is
counted so the data-quality report can show it.
"""

from __future__ import annotations

from fnmatch import fnmatch
from functools import cache

import pandas as pd

from uprlib.errors import DataError
from uprlib.workspace.paths import PACKAGE_DATA

CORRECTIONS_FILE = PACKAGE_DATA / "source_corrections.csv"


@cache
def corrections() -> pd.DataFrame:
    """The committed list of corrections."""
    df = pd.read_csv(CORRECTIONS_FILE, dtype=str, keep_default_na=False)
    bad = df.loc[~df["action"].isin(["replace", "drop"])]
    if len(bad):
        raise DataError(f"{CORRECTIONS_FILE}: unknown action {bad['action'].iloc[0]!r}")
    return df


def apply(df: pd.DataFrame, file_column: str = "source_file") -> pd.DataFrame:
    """Apply every matching correction; record them in ``df.attrs['corrections']``."""
    df = df.copy()
    applied = []
    for fix in corrections().itertuples(index=False):
        if fix.column not in df.columns:
            continue
        hit = df[file_column].map(lambda f, pat=fix.source_file: fnmatch(f, pat)) & (
            df[fix.column] == fix.value)
        n = int(hit.sum())
        if not n:
            continue
        if fix.action == "drop":
            df = df.loc[~hit]
        else:
            df.loc[hit, fix.column] = fix.corrected
        applied.append({"source_file": fix.source_file, "column": fix.column,
                        "value": fix.value, "action": fix.action, "rows": n,
                        "reason": fix.reason})
    df = df.reset_index(drop=True)
    df.attrs["corrections"] = applied
    return df
