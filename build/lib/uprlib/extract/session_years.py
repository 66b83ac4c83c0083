"""Reader for the table of UPR Working Group sessions and their years."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from uprlib.errors import SourceFormatError


def read_session_years(path: Path | str) -> dict[int, int]:
    """Map session number to the year it was held."""
    path = Path(path)
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    if not {"session", "year"} <= set(df.columns):
        raise SourceFormatError(f"{path}: expected columns session, year; found {list(df.columns)}")
    try:
        return {int(s): int(y) for s, y in zip(df["session"], df["year"], strict=True)}
    except ValueError as err:
        raise SourceFormatError(f"{path}: non-numeric session or year: {err}") from err
