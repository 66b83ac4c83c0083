"""Cells a spreadsheet program would evaluate are written as text."""

from __future__ import annotations

import csv

import pandas as pd
import pytest

from uprlib.workspace.csvsafe import formula_like, neutralise, write_csv

HOSTILE = ["=cmd|' /C calc'!A0", "=1+1", "@SUM(1+1)", "+1+1", "-2+3", "\t=1", "\r=1",
           "\uff1d1+1", "=HYPERLINK(\"http://x\",\"y\")"]
PLAIN = ["1", "-1", "+2.5", "-3e4", "0.764", "12%", "accepted", "China", "", "a=b", " =1"]


@pytest.mark.parametrize("value", HOSTILE)
def test_formula_like_cells_are_neutralised(value):
    assert formula_like(value)
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", PLAIN)
def test_numbers_and_text_are_left_alone(value):
    assert not formula_like(value)
    assert neutralise(value) == value


def test_non_text_is_left_alone():
    for value in (1, -1.5, None, float("nan")):
        assert neutralise(value) is value


def test_write_csv_neutralises_every_text_cell_and_header(tmp_path):
    frame = pd.DataFrame({"text": HOSTILE, "n": range(len(HOSTILE))})
    frame["=head"] = "-1"
    path = write_csv(frame, tmp_path / "out.csv")
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    assert rows[0] == ["text", "n", "'=head"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in HOSTILE]
    assert all(r[2] == "-1" for r in rows[1:])
    assert not list(tmp_path.glob(".*"))  # no temporary file left
