"""Reader for the Danish Institute for Human Rights' SDG-Human Rights Data Explorer export.

Two workbooks (cycle 1, cycle 2), one sheet ``Explorer``, one row per recommendation as made
by one recommending state. Columns used: ``Recommendation`` (the state under review, despite
its name), ``Tekst`` (the text), ``Response`` (Supported / Noted), ``Recommending state``,
``field_year`` ("2013 Cycle 2"), ``Document`` ("Source:A/HRC/25/5|186.1|": the Working Group
report and the paragraph of the recommendation), ``Goals`` and ``Targets`` (SDG links).

Paragraph numbers: only ``<n>.<m>`` is a recommendation's paragraph in the report. About 5%
of rows have the symbol alone, and some have a bare number ("37", "22.") that is not a
recommendation paragraph (it points into the addendum); both are read with no paragraph id
and counted (``paragraph`` column keeps what the file says). Every row is read or the file
is refused with a one-line error naming file and row (the header is row 1). A row identical
in every column to an earlier one (the cycle-2 file has one) is dropped and listed in
``df.attrs["duplicates_dropped"]``.

Read with python-calamine, several times faster than openpyxl on these files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from uprlib.errors import DihrFormatError
from uprlib.workspace.text import LIST_SEP, extract, fold_spaces

SHEET = "Explorer"
COLUMNS = ("Goals", "Recommendation", "Tekst", "Targets", "Keywords", "Response",
           "Recommending state", "Mechanism", "Procedures", "Treaties", "Type", "field_year",
           "Document")
RESPONSES = {"supported": "accepted", "noted": "noted"}
USED = ("Goals", "Recommendation", "Tekst", "Targets", "Response", "Recommending state",
        "field_year", "Document")
NO_SDG = "No SDG link identified"
_YEAR = r"^(?P<year>\d{4}) Cycle (?P<cycle>\d)$"
_DOCUMENT = r"^Source:\s*(?P<symbol>[A-Z]/[A-Z]+/[^|]+?)\s*(?:\|(?P<paragraph>[^|]*)\|?)?$"
_PARAGRAPH_ID = r"^\d+\.\d+$"


def read_sheet(path: Path | str) -> pd.DataFrame:
    """The ``Explorer`` sheet as strings, with ``row`` (spreadsheet row) and ``source_file``."""
    path = Path(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        if SHEET not in book.sheet_names:
            raise DihrFormatError(f"{path}: no sheet {SHEET!r}; sheets: {book.sheet_names}")
        rows = book.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
    except DihrFormatError:
        raise
    except Exception as err:  # calamine raises its own error types for unreadable files
        raise DihrFormatError(f"{path}: not a readable .xlsx workbook: "
                              f"{' '.join(str(err).split())}") from err
    if not rows or tuple(str(c) for c in rows[0][:len(COLUMNS)]) != COLUMNS:
        raise DihrFormatError(f"{path}: header {rows[0] if rows else []} is not "
                              f"{list(COLUMNS)}")
    df = pd.DataFrame(rows[1:], columns=[str(c) for c in rows[0]], dtype=str)[list(COLUMNS)]
    df = df.fillna("")
    for col in USED:
        df[col] = fold_spaces(df[col])
    df.insert(0, "row", range(2, len(df) + 2))
    df["source_file"] = path.name
    return df


def _refuse(df: pd.DataFrame, bad: pd.Series, path: Path, what: str) -> None:
    if bad.any():
        r = df.loc[bad].iloc[0]
        raise DihrFormatError(f"{path}: row {r['row']}: {what.format(**r)} "
                              f"({int(bad.sum())} such rows)")


def _list(values: pd.Series, pattern: str) -> pd.Series:
    """Numbers matched by ``pattern`` in each cell, joined by LIST_SEP (None if none)."""
    found = values.str.findall(pattern).map(LIST_SEP.join)
    return found.where(found != "", None)


def read_workbook(path: Path | str) -> pd.DataFrame:
    """One row per recommendation: state under review, recommending state, text, response,
    cycle, year, source_document, paragraph (as written), paragraph_id (``n.m`` or None),
    sdg_goals, sdg_targets, row, source_file."""
    path = Path(path)
    df = read_sheet(path)
    _refuse(df, df["Recommendation"].eq("") | df["Tekst"].eq("")
            | df["Recommending state"].eq(""), path,
            "empty state under review, text or recommending state")
    _refuse(df, ~df["Response"].str.casefold().isin(RESPONSES), path,
            "unknown Response {Response!r}; expected Supported or Noted")
    year = extract(df["field_year"], _YEAR)
    _refuse(df, year["year"].isna(), path,
            "field_year {field_year!r} is not '<year> Cycle <n>'")
    doc = extract(df["Document"], _DOCUMENT)
    _refuse(df, doc["symbol"].isna(), path,
            "Document {Document!r} is not 'Source:<symbol>|<paragraph>|'")
    paragraph = doc["paragraph"].fillna("").str.strip()
    goals = df["Goals"].where(df["Goals"] != NO_SDG, "")
    out = pd.DataFrame({
        "sur": df["Recommendation"],
        "recommending_state": df["Recommending state"],
        "text": df["Tekst"],
        "response": df["Response"].str.casefold().map(RESPONSES),
        "cycle": year["cycle"].astype(int),
        "year": year["year"].astype(int),
        "source_document": doc["symbol"],
        "paragraph": paragraph,
        "paragraph_id": paragraph.where(paragraph.str.fullmatch(_PARAGRAPH_ID), None),
        "sdg_goals": _list(goals, r"(?:^|,)\s*(\d{1,2})\.\s"),
        "sdg_targets": _list(df["Targets"], r"\b(\d{1,2}\.[\da-z]{1,2})\b"),
        "row": df["row"],
        "source_file": df["source_file"],
    })
    dup = df.duplicated(list(COLUMNS))  # white space folded in the columns used
    first = df.loc[~dup].set_index(list(COLUMNS))["row"]
    dropped = [{"source_file": path.name, "row": int(r["row"]),
                "duplicate_of_row": int(first.loc[tuple(r[c] for c in COLUMNS)])}
               for _, r in df.loc[dup].iterrows()]
    out = out.loc[~dup].reset_index(drop=True)
    out.attrs = {"duplicates_dropped": dropped}
    return out
