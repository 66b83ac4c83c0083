"""Reading one instrument's ratification status file (synthetic CSV in the source's layout)."""

import pandas as pd
import pytest

from uprlib.errors import RatificationFormatError
from uprlib.extract.ratification import read_status

HEADER = ("iso2,member,state party,year ratification or accession,signatory,no action,status,"
          "note\n")


def _file(tmp_path, body: str, header: str = HEADER, name: str = "hr_status_iccpr.csv"):
    path = tmp_path / name
    path.write_text(header + body, encoding="utf-8")
    return path


def test_rows_are_read_with_instrument_status_year_and_line(tmp_path):
    path = _file(tmp_path, "NO,Norway,1,1972,0,0,state party,\n"
                           " CN , China ,0,,1,0, signatory state ,signed 1998\n"
                           "KP,DPRK,0,,0,0,no action,\n")
    df = read_status(path, "iccpr")
    assert df.columns.tolist() == ["iso2", "member", "instrument", "instrument_name", "status",
                                   "year", "note", "source_file", "row"]
    assert df["iso2"].tolist() == ["NO", "CN", "KP"] and df["member"][1] == "China"
    assert set(df["instrument"]) == {"ICCPR"}
    assert set(df["instrument_name"]) == {"International Covenant on Civil and Political Rights"}
    assert df["status"].tolist() == ["state party", "signatory state", "no action"]
    assert df["year"][0] == 1972 and pd.isna(df["year"][1]) and str(df["year"].dtype) == "Int64"
    assert df["note"].tolist() == ["", "signed 1998", ""]
    assert df["row"].tolist() == [2, 3, 4]  # lines of the file, after the header
    assert set(df["source_file"]) == {"hr_status_iccpr.csv"}


def test_a_file_without_a_note_column_gets_empty_notes(tmp_path):
    header = HEADER.removesuffix(",note\n") + "\n"
    df = read_status(_file(tmp_path, "NO,Norway,1,1972,0,0,state party\n", header), "cat")
    assert df["note"].tolist() == [""] and df["instrument"][0] == "CAT"


@pytest.mark.parametrize(("body", "instrument", "message"), [
    ("NO,Norway,1,1972,0,0,state party,\n", "iccpr_op9", "unknown instrument 'iccpr_op9'"),
    ("NO,Norway,1,1972,0,0,ratified,\n", "iccpr", "row 2: unknown status 'ratified'"),
    ("NO,Norway,1,1972,0,0,state party,\nSE,Sweden,1,c. 1971,0,0,state party,\n", "iccpr",
     "row 3: year 'c. 1971' is not a number"),
])
def test_bad_rows_are_refused_naming_file_row_and_value(tmp_path, body, instrument, message):
    path = _file(tmp_path, body)
    with pytest.raises(RatificationFormatError, match=message) as err:
        read_status(path, instrument)
    assert str(path) in str(err.value)


def test_a_missing_column_is_named(tmp_path):
    path = _file(tmp_path, "NO,Norway,state party\n", header="iso2,member,status\n")
    with pytest.raises(RatificationFormatError, match="missing column"):
        read_status(path, "iccpr")
