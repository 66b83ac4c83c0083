"""The reader of the 2018 UPR Info export, on small synthetic files with its quirks."""

from __future__ import annotations

from pathlib import Path

import pytest

from uprlib.errors import SourceFormatError
from uprlib.extract import uprinfo2018

HEADER = "SuR;Rgrp;Org;Recommendation;RS;Rgrp;Org;Response;Action;Issue;Session"


def write(tmp_path: Path, rows: list[str], name: str = "01-02-export.csv",
          newline: str = "\r\n") -> Path:
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + newline.join([HEADER, *rows]).encode() + b"\r\n")
    return path


ROWS = [
    'Chad;Africa;AU;Ratify CAT;"Trinidad and\nTobago\n";GRULAC;OAS;Supported;5;Torture;1',
    "Chad;Africa;AU;Abolish the death penalty;Spain;WEOG;EU;Noted;4;Death penalty;1",
    'Chad;Africa;AU;"Adopt a law on ""defenders""; consult NGOs";'
    '"&#40;Unknown&#41;";"&#40;Unknown&#41;";"&#40;Unknown&#41;";Supported;;;1',
    "Peru;GRULAC;OAS;Protect journalists;Norway;WEOG;;Supported;3;Freedom of the press;2",
]


def test_reads_bom_semicolons_quotes_and_stray_newlines(tmp_path):
    df = uprinfo2018.read_csv(write(tmp_path, ROWS))
    assert list(df["SuR"]) == ["Chad", "Chad", "Chad", "Peru"]
    assert df.loc[0, "RS"] == "Trinidad and Tobago"  # the line feeds inside the name folded
    assert df.loc[2, "Recommendation"] == 'Adopt a law on "defenders"; consult NGOs'
    assert df.loc[2, "RS"] == uprinfo2018.UNKNOWN_STATE
    # the repeated header names are told apart by position
    assert (df.loc[0, "SuR-Rgrp"], df.loc[0, "RS-Rgrp"]) == ("Africa", "GRULAC")
    assert list(df["row"]) == [2, 3, 4, 5] and set(df["source_file"]) == {"01-02-export.csv"}
    assert df.attrs == {"duplicates_dropped": [], "session_inferred": []}


def test_mixed_line_endings(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"\xef\xbb\xbf" + (HEADER + "\r\n" + ROWS[1] + "\n" + ROWS[3] + "\r\n")
                     .encode())
    assert list(uprinfo2018.read_csv(path)["SuR"]) == ["Chad", "Peru"]


def test_row_without_session_takes_its_state_s_only_session_and_is_counted(tmp_path):
    rows = [*ROWS, "Chad;Africa;AU;End child marriage;Ghana;Africa;AU;Supported;5;Women;"]
    df = uprinfo2018.read_csv(write(tmp_path, rows))
    assert df.loc[df["Recommendation"] == "End child marriage", "Session"].item() == "1"
    assert df.attrs["session_inferred"] == [
        {"source_file": "01-02-export.csv", "row": 6, "sur": "Chad", "session": 1}]


def test_row_without_session_is_refused_when_ambiguous(tmp_path):
    rows = [*ROWS, "Chad;Africa;AU;Protect journalists;Peru;GRULAC;;Supported;5;;2",
            "Chad;Africa;AU;End child marriage;Ghana;Africa;AU;Supported;5;Women;"]
    with pytest.raises(SourceFormatError, match=r"01-02-export.csv: row 7: no Session.*'Chad'"):
        uprinfo2018.read_csv(write(tmp_path, rows))


def test_duplicate_dropped_and_counted(tmp_path):
    # byte-identical, and identical but for a trailing space
    near = ROWS[3].replace("Protect journalists", "Protect journalists ")
    df = uprinfo2018.read_csv(write(tmp_path, [*ROWS, ROWS[1], near]))
    assert len(df) == 4
    assert df.attrs["duplicates_dropped"] == [
        {"source_file": "01-02-export.csv", "row": 6, "duplicate_of_row": 3},
        {"source_file": "01-02-export.csv", "row": 7, "duplicate_of_row": 5}]


@pytest.mark.parametrize("row, message", [
    ("Chad;Africa;AU;Ratify CAT;Spain;WEOG;EU;Rejected;5;;1", "row 2: unknown Response 'Rejected'"),
    ("Chad;Africa;AU;Ratify CAT;Spain;WEOG;EU;Noted;7;;1", "row 2: Action '7'"),
    ("Chad;Africa;AU;Ratify CAT;Spain;WEOG;EU;Noted;5;;x1", "row 2: Session 'x1'"),
    ("Chad;Africa;AU;;Spain;WEOG;EU;Noted;5;;1", "row 2: empty SuR, Recommendation or RS"),
])
def test_bad_values_are_refused_naming_file_and_row(tmp_path, row, message):
    with pytest.raises(SourceFormatError, match=f"01-02-export.csv: {message}"):
        uprinfo2018.read_csv(write(tmp_path, [row]))


def test_wrong_header_and_session_in_two_files(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("To,From\nChad,Spain\n")
    with pytest.raises(SourceFormatError, match="bad.csv: header"):
        uprinfo2018.read_csv(bad)
    a = write(tmp_path, ROWS[:1], "a.csv")
    b = write(tmp_path, ROWS[1:2], "b.csv")
    with pytest.raises(SourceFormatError, match="session 1 appears in both a.csv and b.csv"):
        uprinfo2018.read_all([a, b])
