"""The UHRI export reader on UHRI-shaped files built here (xlsx with openpyxl, and JSON):
both column spellings, any column order, both date forms, multi-line cells, split and missing
positions, rows of other bodies; and a clear one-line refusal for everything else."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from uprlib.errors import UhriFormatError
from uprlib.extract.uhri import read_export, shorten, sniff
from uprlib.transform.countries import countries

from ..uhri_xlsx import (
    HEADER,
    one_review,
    other_row,
    serial,
    synthetic_index,
    upr_row,
    write_json,
    write_xlsx,
)


def _rows() -> list[dict[str, object]]:
    return [
        upr_row("140.1", "Ratify the Optional Protocol (OP-CAT)", "Norway", ["France", "Mali"],
                "Supported", 44, published=serial(dt.date(2024, 3, 15)),
                themes=["Torture", "Ratification of & accession to international instruments"],
                sdgs=["16.3 - Promote the rule of law", "16.a - Strengthen institutions"]),
        other_row("CRC"),
        upr_row("140.2.", "Abolish the death penalty", "Norway", ["Peru"], "Noted",
                "44th session", published="2024-03-15"),
        upr_row("140.3", "Consider ratifying the ICRMW", "Norway", ["Chile"],
                "Supported/Noted", "Session 44", published=dt.datetime(2024, 3, 15, 10, 30),
                suffix=False),
        upr_row(None, "Continue its efforts on education", "Norway", ["Japan"], "supported",
                "- 44"),
    ]


def test_xlsx_rows_are_read_by_name_with_both_spellings(tmp_path):
    for respelt in (False, True):
        order = HEADER[::-1]  # the order of the columns is not fixed
        path = write_xlsx(tmp_path / f"export{respelt}.xlsx", _rows(), respelt=respelt,
                          header=order)
        e = read_export(path)
        assert e.format == "xlsx"
        assert e.counts["rows"] == 5 and e.counts["upr_rows"] == 4
        assert e.counts["other_rows"] == 1 and e.counts["without_paragraph_number"] == 1
        df = e.rows
        assert df["row"].tolist() == [2, 4, 5, 6]  # the spreadsheet's own rows
        assert df["paragraph_id"].tolist()[:3] == ["140.1", "140.2", "140.3"]
        assert df["paragraph_id"].isna().tolist() == [False, False, False, True]
        assert df["session"].tolist() == [44, 44, 44, 44]
        assert df["response"].tolist() == ["accepted", "noted", "partly supported",
                                           "accepted"]
        assert df["position"].tolist()[2] == "Supported/Noted"
        assert df["states"].tolist()[0] == ("France", "Mali")
        assert df["text"].iloc[0] == "Ratify the Optional Protocol (OP-CAT) (France, Mali)"
        assert df["sur"].unique().tolist() == ["Norway"]
        assert df["published"].tolist()[:3] == ["2024-03-15"] * 3
        assert df["themes"].iloc[0] == ("Torture | Ratification of & accession to "
                                        "international instruments")
        assert (df["sdg_goals"].iloc[0], df["sdg_targets"].iloc[0]) == ("16", "16.3 | 16.a")


def test_header_is_matched_ignoring_case_and_spaces(tmp_path):
    header = [h.upper().replace(" ", "  ") for h in HEADER]
    rows = [{h.upper().replace(" ", "  "): v for h, v in r.items()} for r in _rows()]
    path = write_xlsx(tmp_path / "shouting.xlsx", rows, header=header)
    assert read_export(path).counts["upr_rows"] == 4


def test_a_pending_review_has_no_positions(tmp_path):
    path = write_xlsx(tmp_path / "pending.xlsx", one_review("Norway", 54, 6, pending=True))
    df = read_export(path).rows
    assert set(df["response"]) == {"pending"} and set(df["position"]) == {""}
    assert set(df["session"]) == {54}


def test_repeated_rows_are_kept_once(tmp_path):
    rows = _rows()
    again = dict(rows[0], **{"OHCHR Annotation Id": "another id"})
    e = read_export(write_xlsx(tmp_path / "twice.xlsx", [*rows, again]))
    assert e.counts["upr_rows"] == 4 and e.counts["duplicates_dropped"] == 1


def test_json_form_with_and_without_prefixes(tmp_path):
    for prefixed in (False, True):
        path = write_json(tmp_path / f"export{prefixed}.json", _rows(), prefixed=prefixed)
        e = read_export(path)
        assert e.format == "json" and e.counts["upr_rows"] == 4
        assert e.rows["response"].tolist() == ["accepted", "noted", "partly supported",
                                               "accepted"]
        assert e.rows["states"].iloc[0] == ("France", "Mali")
        assert e.rows["row"].tolist() == [1, 3, 4, 5]  # records, counted from 1
    wrapped = tmp_path / "wrapped.json"
    wrapped.write_text(json.dumps({"value": json.loads(path.read_text())}))
    assert read_export(wrapped).counts["upr_rows"] == 4


def test_json_is_read_record_by_record(tmp_path, monkeypatch):
    from uprlib.extract import uhri

    monkeypatch.setattr(uhri, "_JSON_CHUNK", 97)  # records cut by every chunk boundary
    rows = one_review("Norway", 44, 30)
    path = write_json(tmp_path / "export.json", rows)
    path.write_text(path.read_text().replace("}, {", "},\n  {"))
    e = read_export(path)
    assert e.counts["upr_rows"] == 30 and e.rows["paragraph_id"].iloc[-1] == "140.30"
    empty = tmp_path / "empty.json"
    empty.write_text("[ ]")
    _refused(empty, "is not a UHRI JSON export: expected a list of records")
    cut = tmp_path / "cut.json"
    cut.write_text(path.read_text()[:-200])
    _refused(cut, r"is not valid JSON \(at character \d+")


def test_several_thousand_rows_stream_through(tmp_path):
    states = list(countries().loc[countries()["un_regional_group"] != "Observer", "name"])
    rows = list(synthetic_index(6000, states[:40], seed=3, upr_per_review=(20, 40),
                                last_session=14))
    path = write_xlsx(tmp_path / "index.xlsx", rows)
    e = read_export(path, progress=True)
    upr = sum(r["Reccomending Body"] == "- UPR" for r in rows)
    assert e.counts["rows"] == len(rows) > 5000
    assert e.counts["upr_rows"] == upr and e.counts["other_rows"] == len(rows) - upr
    assert {1, 13, 14} <= set(e.rows["session"]) <= set(range(1, 15))
    assert set(e.rows.loc[e.rows["session"] == 14, "response"]) == {"pending"}
    assert "partly supported" in set(e.rows["response"])


# --- refusals: one line naming the file, the row and the column ---------------------------

def _refused(path, pattern: str) -> str:
    with pytest.raises(UhriFormatError, match=pattern) as err:
        read_export(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message
    return message


def test_missing_columns_name_expected_and_found(tmp_path):
    header = [h for h in HEADER if h != "UPR Position"]
    path = write_xlsx(tmp_path / "no-position.xlsx", _rows(), header=header)
    msg = _refused(path, r"not a UHRI export this reader understands: missing columns UPR "
                         r"Position \(expected Text, .*Reccomending Body or Recommending Body")
    assert "found 'Text', 'Countries Concerned'" in msg


def test_a_spreadsheet_of_something_else_is_not_a_uhri_export(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["Recommendation", "Tekst", "Response", "Recommending state"])
    wb.active.append(["China", "Ratify the ICCPR", "Noted", "France"])
    wb.save(tmp_path / "dihr.xlsx")
    _refused(tmp_path / "dihr.xlsx", r"is not a UHRI export: missing columns Text, Countries "
                                     r"Concerned.*found 'Recommendation', 'Tekst'")


def test_a_truncated_workbook_is_refused(tmp_path):
    full = write_xlsx(tmp_path / "full.xlsx", _rows()).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(full[: len(full) // 2])
    assert sniff(cut) == "zip"
    _refused(cut, r"is not a complete xlsx workbook \(a zip archive cut short or damaged\)")


@pytest.mark.parametrize(("session", "problem"), [
    (61, r"row 2, column 'UPR Session': unknown session 61 \(UPR Working Group sessions are "
         r"1-54, cycles 1-4\)"),
    ("the last one", r"row 2, column 'UPR Session': 'the last one' is not a Working Group "
                     r"session"),
    ("", r"row 2, column 'UPR Session': no Working Group session"),
])
def test_an_unknown_session_is_refused(tmp_path, session, problem):
    row = upr_row("1.1", "Do X", "Norway", ["Peru"], "Supported", session)
    _refused(write_xlsx(tmp_path / "session.xlsx", [row]), problem)


def test_a_position_outside_the_known_values_is_refused_and_long_values_capped(tmp_path):
    rows = [upr_row("1.1", "Do X", "Norway", ["Peru"], "Supported", 44),
            upr_row("1.2", "Do Y", "Norway", ["Peru"], "Accepted in principle " * 10, 44)]
    msg = _refused(write_xlsx(tmp_path / "position.xlsx", rows),
                   r"row 3, column 'UPR Position': unknown position 'Accepted in principle.*…'; "
                   r"known: Supported, Noted, Supported/Noted")
    assert len(msg) < 400


def test_other_cells_a_upr_row_cannot_do_without(tmp_path):
    two = upr_row("1.1", "Do X", "Norway", ["Peru"], "Supported", 44)
    two["Countries Concerned"] = "- Norway\n- Sweden"
    _refused(write_xlsx(tmp_path / "two.xlsx", [two]),
             r"row 2, column 'Countries Concerned': a UPR recommendation concerns one state "
             r"under review; found 2: 'Norway', 'Sweden'")
    date = upr_row("1.1", "Do X", "Norway", ["Peru"], "Supported", 44, published="March 2024")
    _refused(write_xlsx(tmp_path / "date.xlsx", [date]),
             r"row 2, column 'Document Publication Date': 'March 2024' is not a date")


def test_a_json_file_that_is_not_a_uhri_export(tmp_path):
    other = tmp_path / "other.json"
    other.write_text(json.dumps([{"name": "x", "value": 1}]))
    _refused(other, r"is not a UHRI export: missing keys Text, Countries, Body, "
                    r"UprRecommendingStates, UprPosition, UprSession")
    scalar = tmp_path / "scalar.json"
    scalar.write_text("{\"a\": 1}")
    _refused(scalar, "is not a UHRI JSON export: expected a list of records")
    broken = tmp_path / "broken.json"
    broken.write_text("[{\"Text\": ")
    _refused(broken, "is not valid JSON")
    bad = write_json(tmp_path / "bad.json", [upr_row("1.1", "Do X", "Norway", ["Peru"],
                                                     "Maybe", 44)])
    _refused(bad, r"record 1, key 'UprPosition': unknown position 'Maybe'")


def test_shorten_caps_and_folds():
    assert shorten("a\nb") == "'a b'"
    long = shorten("x" * 100)
    assert long.endswith("…'") and len(long) == 62
