"""The reader of the DIHR SDG-Human Rights Data Explorer export, on small synthetic workbooks."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from uprlib.errors import SourceFormatError
from uprlib.extract import dihr

ROW = {"Goals": "16. Peace, justice and strong institutions,5. Gender equality",
       "Recommendation": "China", "Tekst": "Ratify the  ICCPR", "Targets": "16.3, 5.1",
       "Keywords": "", "Response": "Supported", "Recommending state": "France",
       "Mechanism": "(Universal Periodic Review)", "Procedures": "", "Treaties": "",
       "Type": "Recommendation", "field_year": "2013 Cycle 2",
       "Document": "Source:A/HRC/25/5|186.1|"}


def workbook(tmp_path: Path, rows: list[dict], sheet: str = "Explorer",
             name: str = "upr2.xlsx") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(dihr.COLUMNS))
    for r in rows:
        ws.append([r.get(c) or None for c in dihr.COLUMNS])
    path = tmp_path / name
    wb.save(path)
    return path


def test_reads_document_symbol_paragraph_cycle_year_and_sdgs(tmp_path):
    rows = [ROW,
            {**ROW, "Goals": dihr.NO_SDG, "Targets": "", "Response": "Noted",
             "Recommending state": "Bolivia (Plurinational\nState of)",
             "Document": "Source:A/HRC/25/5"},
            {**ROW, "Document": "Source:A/HRC/33/9|37|"},
            {**ROW, "Document": "Source:A/HRC/25/7|22.|"}]
    df = dihr.read_workbook(workbook(tmp_path, rows))
    assert list(df["source_document"]) == ["A/HRC/25/5", "A/HRC/25/5", "A/HRC/33/9",
                                           "A/HRC/25/7"]
    # only "<n>.<m>" is a recommendation's paragraph; the rest is kept as written
    assert df.loc[0, "paragraph_id"] == "186.1" and df["paragraph_id"][1:].isna().all()
    assert df["paragraph"].tolist() == ["186.1", "", "37", "22."]
    assert df["response"].tolist() == ["accepted", "noted", "accepted", "accepted"]
    assert (df["cycle"].tolist(), df["year"].tolist()) == ([2] * 4, [2013] * 4)
    assert df.loc[0, "sdg_goals"] == "16 | 5" and df.loc[0, "sdg_targets"] == "16.3 | 5.1"
    assert pd.isna(df.loc[1, "sdg_goals"]) and pd.isna(df.loc[1, "sdg_targets"])
    assert df.loc[1, "recommending_state"] == "Bolivia (Plurinational State of)"
    assert df.loc[0, "text"] == "Ratify the ICCPR"
    assert df["row"].tolist() == [2, 3, 4, 5] and set(df["source_file"]) == {"upr2.xlsx"}


def test_identical_row_dropped_and_counted(tmp_path):
    other = {**ROW, "Recommending state": "Spain"}
    df = dihr.read_workbook(workbook(tmp_path, [ROW, other, ROW]))
    assert df["recommending_state"].tolist() == ["France", "Spain"]
    assert df.attrs["duplicates_dropped"] == [
        {"source_file": "upr2.xlsx", "row": 4, "duplicate_of_row": 2}]


@pytest.mark.parametrize("change, message", [
    ({"Response": "Rejected"}, "row 3: unknown Response 'Rejected'"),
    ({"field_year": "2013"}, "row 3: field_year '2013'"),
    ({"Document": "A/HRC/25/5 para 3"}, "row 3: Document 'A/HRC/25/5 para 3'"),
    ({"Tekst": ""}, "row 3: empty state under review, text or recommending state"),
])
def test_bad_rows_are_refused_naming_file_and_row(tmp_path, change, message):
    path = workbook(tmp_path, [ROW, {**ROW, **change}])
    with pytest.raises(SourceFormatError, match=f"upr2.xlsx: {message}"):
        dihr.read_workbook(path)


def test_wrong_sheet_header_or_file(tmp_path):
    with pytest.raises(SourceFormatError, match="no sheet 'Explorer'"):
        dihr.read_workbook(workbook(tmp_path, [ROW], sheet="Sheet1"))
    path = tmp_path / "h.xlsx"
    wb = Workbook()
    wb.active.title = "Explorer"
    wb.active.append(["Country", "Text"])
    wb.save(path)
    with pytest.raises(SourceFormatError, match="h.xlsx: header"):
        dihr.read_workbook(path)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    with pytest.raises(SourceFormatError, match="junk.xlsx: not a readable .xlsx"):
        dihr.read_workbook(junk)
