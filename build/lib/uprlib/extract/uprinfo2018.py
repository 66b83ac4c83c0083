r"""Reader for the UPR Info database export of 25 July 2018 (sessions 1-27, seven CSV files).

Format: UTF-8 with a byte-order mark, ``;``-separated, records ending in CRLF, fields quoted
where needed. The header ``SuR;Rgrp;Org;Recommendation;RS;Rgrp;Org;Response;Action;Issue;
Session`` repeats ``Rgrp`` and ``Org`` (first for the state under review, then for the
recommending state), so columns are named by position (:data:`COLUMNS`). Response is
Supported or Noted, Action the UPR Info action category 1-5, Issue a comma-separated list.

Quirks of the files, each handled explicitly and counted in ``df.attrs``:

- a line feed inside a quoted name ("Trinidad and Tobago\n"): white space in every cell is
  collapsed, so the name reads as everywhere else;
- a row without a session (``session_inferred``): it takes the session of its state under
  review when that state has exactly one session in the same file, else the file is refused;
- a row identical in every field to an earlier row of the same file once white space is
  folded (``duplicates_dropped``): dropped. The export has three (one byte-identical, two
  differing only by a trailing space); no state makes the same recommendation twice in one
  review.

Every other row is read or the file is refused with a one-line error naming file and row
(``row`` is the record number, the header being record 1).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from uprlib.errors import UprInfoFormatError
from uprlib.workspace.text import fold_spaces, unescape_html

HEADER = ("SuR", "Rgrp", "Org", "Recommendation", "RS", "Rgrp", "Org", "Response", "Action",
          "Issue", "Session")
COLUMNS = ("SuR", "SuR-Rgrp", "SuR-Org", "Recommendation", "RS", "RS-Rgrp", "RS-Org",
           "Response", "Action", "Issue", "Session")
RESPONSES = {"supported": "accepted", "noted": "noted"}
UNKNOWN_STATE = "(Unknown)"


def _clean(col: pd.Series) -> pd.Series:
    """HTML entities decoded, runs of white space (line feeds too) folded to one space."""
    return fold_spaces(unescape_html(col))


def read_csv(path: Path | str) -> pd.DataFrame:
    """Read one file into clean strings with ``row`` and ``source_file``; quirks in attrs."""
    path = Path(path)
    try:
        raw = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, header=None,
                          encoding="utf-8-sig", quotechar='"', engine="c")
    except (pd.errors.ParserError, UnicodeDecodeError) as err:
        raise UprInfoFormatError(f"{path}: cannot parse as ';'-separated UTF-8 CSV: "
                                     f"{' '.join(str(err).split())}") from err
    if raw.empty or tuple(raw.iloc[0]) != HEADER:
        found = list(raw.iloc[0]) if len(raw) else []
        raise UprInfoFormatError(f"{path}: header {found} is not {';'.join(HEADER)}")
    df = raw.iloc[1:].reset_index(drop=True)
    df.columns = list(COLUMNS)
    df = df.apply(_clean)
    df.insert(0, "row", range(2, len(df) + 2))
    df["source_file"] = path.name
    df, dropped = _drop_duplicates(df)
    df, inferred = _infer_sessions(df, path)
    _check_values(df, path)
    df.attrs = {"duplicates_dropped": dropped, "session_inferred": inferred}
    return df


def _drop_duplicates(df: pd.DataFrame) -> tuple[pd.DataFrame, list[dict]]:
    dup = df.duplicated(list(COLUMNS), keep="first")
    if not dup.any():
        return df, []
    first = df.loc[df.duplicated(list(COLUMNS), keep=False) & ~dup]
    first_row = {tuple(r[c] for c in COLUMNS): r["row"] for _, r in first.iterrows()}
    dropped = [{"source_file": r["source_file"], "row": int(r["row"]),
                "duplicate_of_row": int(first_row[tuple(r[c] for c in COLUMNS)])}
               for _, r in df.loc[dup].iterrows()]
    return df.loc[~dup].reset_index(drop=True), dropped


def _infer_sessions(df: pd.DataFrame, path: Path) -> tuple[pd.DataFrame, list[dict]]:
    empty = df["Session"].eq("")
    if not empty.any():
        return df, []
    known = df.loc[~empty].groupby("SuR")["Session"].unique()
    inferred = []
    df = df.copy()
    for i in df.index[empty]:
        r = df.loc[i]
        sessions = sorted(known.get(r["SuR"], []))
        if len(sessions) != 1:
            raise UprInfoFormatError(
                f"{path}: row {r['row']}: no Session, and {r['SuR']!r} has "
                f"{len(sessions)} sessions in this file ({sessions}), so it cannot be inferred")
        df.at[i, "Session"] = sessions[0]
        inferred.append({"source_file": r["source_file"], "row": int(r["row"]),
                         "sur": r["SuR"], "session": int(sessions[0])})
    return df, inferred


def _first_bad(df: pd.DataFrame, bad: pd.Series, path: Path, what: str) -> None:
    if bad.any():
        r = df.loc[bad].iloc[0]
        raise UprInfoFormatError(f"{path}: row {r['row']}: {what.format(**r)} "
                                     f"({int(bad.sum())} such rows)")


def _check_values(df: pd.DataFrame, path: Path) -> None:
    _first_bad(df, ~df["Response"].str.casefold().isin(RESPONSES), path,
               "unknown Response {Response!r}; expected Supported or Noted")
    _first_bad(df, ~df["Session"].str.fullmatch(r"\d+"), path,
               "Session {Session!r} is not a number")
    _first_bad(df, ~df["Action"].isin(["", "1", "2", "3", "4", "5"]), path,
               "Action {Action!r} is not an action category 1-5")
    _first_bad(df, df["SuR"].eq("") | df["Recommendation"].eq("") | df["RS"].eq(""), path,
               "empty SuR, Recommendation or RS")


def read_all(paths: Iterable[Path | str]) -> pd.DataFrame:
    """Read and stack the files; a session found in two files is an error."""
    frames = [read_csv(p) for p in paths]
    seen: dict[str, str] = {}
    for df in frames:
        for session in df["Session"].unique():
            name = df["source_file"].iloc[0]
            if session in seen:
                raise UprInfoFormatError(
                    f"session {session} appears in both {seen[session]} and {name}: "
                    "it would be counted twice")
            seen[session] = name
    out = pd.concat(frames, ignore_index=True)
    out.attrs = {k: [x for df in frames for x in df.attrs[k]]
                 for k in ("duplicates_dropped", "session_inferred")}
    return out
