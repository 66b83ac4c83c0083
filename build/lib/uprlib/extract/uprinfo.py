"""Reader for the UPR Info database export (sessions 1-20, compiled by R. Terman).

The CSVs are MacRoman text with old-Mac CR line endings; some names carry HTML entities
("&#40;Unknown&#41;"). Columns: To, To-Rgrp, To-Org, Text, From, From-Rgrp, From-Org,
Response, Action (UPR Info action category 1-5), Issue (comma-separated), Session.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from uprlib.errors import UprInfoFormatError
from uprlib.workspace.text import fold_spaces, unescape_html

COLUMNS = ("To", "To-Rgrp", "To-Org", "Text", "From", "From-Rgrp", "From-Org", "Response",
           "Action", "Issue", "Session")
RESPONSES = {"accepted": "accepted", "noted": "noted"}
UNKNOWN_STATE = "(Unknown)"


def _decode(raw: bytes, path: Path) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("mac_roman")  # the export's encoding; any byte sequence decodes
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_csv(path: Path | str) -> pd.DataFrame:
    """Read one export file into a frame of clean strings, with ``row`` (1-based data row)."""
    path = Path(path)
    text = _decode(path.read_bytes(), path)
    try:
        df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as err:
        raise UprInfoFormatError(f"{path}: cannot parse as CSV: {err}") from err
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise UprInfoFormatError(
            f"{path}: missing column(s) {missing}; found {list(df.columns)}"
        )
    df = df[list(COLUMNS)].apply(lambda col: fold_spaces(unescape_html(col)))
    df.insert(0, "row", range(2, len(df) + 2))
    df["source_file"] = path.name
    _check_values(df, path)
    return df


def _check_values(df: pd.DataFrame, path: Path) -> None:
    bad_resp = df.loc[~df["Response"].str.casefold().isin(RESPONSES)]
    if len(bad_resp):
        r = bad_resp.iloc[0]
        raise UprInfoFormatError(
            f"{path}: row {r['row']}: unknown Response {r['Response']!r} "
            f"({len(bad_resp)} such rows); expected Accepted or Noted"
        )
    bad_session = df.loc[~df["Session"].str.fullmatch(r"\d+")]
    if len(bad_session):
        r = bad_session.iloc[0]
        raise UprInfoFormatError(
            f"{path}: row {r['row']}: Session {r['Session']!r} is not a number"
        )
    bad_action = df.loc[~df["Action"].isin(["", "1", "2", "3", "4", "5"])]
    if len(bad_action):
        r = bad_action.iloc[0]
        raise UprInfoFormatError(f"{path}: row {r['row']}: Action {r['Action']!r} is not 1-5")
    empty = df.loc[df["Text"].eq("") | df["To"].eq("")]
    if len(empty):
        raise UprInfoFormatError(f"{path}: row {empty['row'].iloc[0]}: empty To or Text")


def read_all(paths: Iterable[Path | str]) -> pd.DataFrame:
    """Read and stack several export files; a session found in two files is an error."""
    frames = [read_csv(p) for p in paths]
    seen: dict[str, str] = {}
    for df in frames:
        name = df["source_file"].iloc[0] if len(df) else "?"
        for session in df["Session"].unique():
            if session in seen:
                raise UprInfoFormatError(
                    f"session {session} appears in both {seen[session]} and {name}: "
                    "it would be counted twice"
                )
            seen[session] = name
    return pd.concat(frames, ignore_index=True)


def split_issues(value: str) -> list[str]:
    """UPR Info's comma-separated issue list."""
    return [s.strip() for s in value.split(",") if s.strip()]
