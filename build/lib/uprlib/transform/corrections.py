"""Documented corrections of known errors in raw files, applied on load.

Raw files stay as published; ``data/source_corrections.csv`` lists each fix (file pattern,
column, value, action, corrected value, reason). Actions: ``replace`` (a cell equal to value
becomes corrected), ``drop`` (rows whose cell equals value go), ``replace_text`` (the literal
substring value becomes corrected inside the cell: for artefacts of Word files such as
"huma n rights", where a word is split by a text-run boundary). Every applied fix is counted
so the data-quality report can show it.
"""

from __future__ import annotations

from fnmatch import fnmatch
from functools import cache

import pandas as pd

from uprlib.errors import DataError
from uprlib.workspace.paths import PACKAGE_DATA

CORRECTIONS_FILE = PACKAGE_DATA / "source_corrections.csv"
ACTIONS = ("replace", "drop", "replace_text")


@cache
def corrections() -> pd.DataFrame:
    """The committed list of corrections."""
    df = pd.read_csv(CORRECTIONS_FILE, dtype=str, keep_default_na=False)
    bad = df.loc[~df["action"].isin(ACTIONS)]
    if len(bad):
        raise DataError(f"{CORRECTIONS_FILE}: unknown action {bad['action'].iloc[0]!r}")
    return df


def apply(df: pd.DataFrame, file_column: str = "source_file") -> pd.DataFrame:
    """Apply every matching correction; record them in ``df.attrs['corrections']``."""
    files = df[file_column].unique()
    fixes = [fix for fix in corrections().itertuples(index=False)
             if fix.column in df.columns and any(fnmatch(f, fix.source_file) for f in files)]
    df = df.copy(deep=bool(fixes))  # shallow when nothing applies: only attrs change
    applied = []
    for fix in fixes:
        in_file = df[file_column].isin([f for f in files if fnmatch(f, fix.source_file)])
        cells = df.loc[in_file, fix.column]
        hit = pd.Series(False, index=df.index)
        if fix.action == "replace_text":
            hit[in_file] = cells.str.contains(fix.value, regex=False).fillna(False)
        else:
            hit[in_file] = cells == fix.value
        n = int(hit.sum())
        if not n:
            continue
        if fix.action == "drop":
            df = df.loc[~hit]
        elif fix.action == "replace_text":
            df.loc[hit, fix.column] = cells[hit[in_file]].str.replace(fix.value, fix.corrected,
                                                                      regex=False)
        else:
            df.loc[hit, fix.column] = fix.corrected
        applied.append({"source_file": fix.source_file, "column": fix.column,
                        "value": fix.value, "action": fix.action, "rows": n,
                        "reason": fix.reason})
    if fixes:
        df = df.reset_index(drop=True)
    df.attrs["corrections"] = applied
    return df
