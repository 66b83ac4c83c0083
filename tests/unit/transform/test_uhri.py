"""A UHRI export's rows as reviews: cycles from sessions, years, the text without its own
states, one row per recommending state, digests, which export a review is taken from, and the
cross-check against an OHCHR matrix of the same review."""

from __future__ import annotations

import pandas as pd
import pytest

from uprlib.errors import DataError
from uprlib.extract.uhri import read_export
from uprlib.load.schemas import RECOMMENDATIONS, validate
from uprlib.transform.canonical import fill_estimated_paragraph_keys, uhri_table
from uprlib.transform.crosscheck import crosscheck_all
from uprlib.transform.uhri import (
    assignment,
    review_rows,
    review_summaries,
    strip_own_states,
)
from uprlib.workspace.registry import RawFile
from uprlib.workspace.text import normalise_texts

from ..uhri_xlsx import one_review, upr_row, write_xlsx

YEARS = {s: 2008 + (s - 1) // 3 for s in range(1, 54)}  # no session 54 yet, as in the real table


def _rows(tmp_path, rows, name="e.xlsx") -> pd.DataFrame:
    return read_export(write_xlsx(tmp_path / name, rows)).rows


@pytest.mark.parametrize(("text", "states", "expected"), [
    ("Ratify the CAT (France)", ["France"], "Ratify the CAT"),
    ("Ratify the CAT (France) (Mali).", ["France", "Mali"], "Ratify the CAT"),
    ("Ratify the CAT (France, Mali);", ["Mali", "France"], "Ratify the CAT"),
    ("Ratify it (Bolivia (Plurinational State of))", ["Bolivia (Plurinational State of)"],
     "Ratify it"),
    ("Ratify it (United Kingdom of Great Britain and Northern Ireland)", ["United Kingdom"],
     "Ratify it"),
    ("Ratify the Convention (CEDAW)", ["France"], "Ratify the Convention (CEDAW)"),
    ("Ratify the Convention (Peru)", ["Chile"], "Ratify the Convention (Peru)"),
    ("Ratify the CEDAW (CEDAW) (France)", ["France"], "Ratify the CEDAW (CEDAW)"),
    ("(France)", ["France"], "(France)"),
    ("Ratify the CAT (France)", [], "Ratify the CAT (France)"),
])
def test_only_the_rows_own_states_are_taken_off_the_text(text, states, expected):
    assert strip_own_states(text, states) == expected


def test_sessions_give_cycles_and_years(tmp_path):
    rows = [upr_row("1.1", "Do A", "Norway", ["Peru"], "Supported", 12),
            upr_row("1.1", "Do B", "Chile", ["Peru"], "Supported", 13),
            upr_row("1.1", "Do C", "Kenya", ["Peru"], "Noted", 40),
            upr_row("1.1", "Do D", "Japan", ["Peru"], "Noted", 41),
            upr_row("1.1", "Do E", "Peru", ["Chile"], "", 54, published=46300)]
    out = review_rows(_rows(tmp_path, rows), YEARS, "e.xlsx")
    assert out["cycle"].tolist() == [1, 2, 3, 4, 4]
    assert out["sur_iso3"].tolist() == ["NOR", "CHL", "KEN", "JPN", "PER"]
    # session 54 is not in the session table yet: the year of its publication date
    assert out["year"].tolist() == [2011, 2012, 2021, 2021, 2026]
    assert out["text"].tolist()[0] == "Do A"


def test_a_state_in_two_sessions_of_a_cycle_or_an_unknown_state_is_refused(tmp_path):
    twice = [upr_row("1.1", "Do A", "Norway", ["Peru"], "Supported", 42),
             upr_row("1.2", "Do B", "Norway", ["Peru"], "Supported", 44)]
    with pytest.raises(DataError, match=r"e.xlsx: Norway has UPR rows of sessions 42 \(row 2\) "
                                        r"and 44 \(row 3\), both in cycle 4"):
        review_rows(_rows(tmp_path, twice), YEARS, "e.xlsx")
    unknown = [upr_row("1.1", "Do A", "Norway", ["Peru"], "Supported", 42),
               upr_row("1.2", "Do B", "Atlantis", ["Peru"], "Supported", 42)]
    with pytest.raises(DataError, match=r"e.xlsx: row 3: state under review 'Atlantis' is not a "
                                        r"state in countries.csv"):
        review_rows(_rows(tmp_path, unknown), YEARS, "e.xlsx")
    nodate = [upr_row("1.1", "Do A", "Norway", ["Peru"], "", 54, published="")]
    with pytest.raises(DataError, match=r"row 2: session 54 is not in the session table and the "
                                        r"export gives no publication date"):
        review_rows(_rows(tmp_path, nodate), YEARS, "e.xlsx")


def test_canonical_rows_one_per_recommending_state(tmp_path):
    rows = review_rows(_rows(tmp_path, one_review("Norway", 44, 12)), YEARS, "e.xlsx")
    rows = pd.concat([rows, review_rows(_rows(tmp_path, [
        upr_row(None, "Continue its efforts on education", "Norway", ["Japan"], "Supported",
                44)], "f.xlsx"), YEARS, "f.xlsx")], ignore_index=True)
    table = uhri_table(rows, "e.xlsx", "e.xlsx")
    table = fill_estimated_paragraph_keys(table, normalise_texts(table["text"]))
    table = validate(table, RECOMMENDATIONS, "test")
    assert len(table) == int(rows["states"].map(len).sum())
    assert table["rec_id"].is_unique and set(table["source"]) == {"uhri"}
    joint = table.loc[table["paragraph_id"] == "140.5"]  # every 5th paragraph has 3 states
    assert joint["state_order"].tolist() == [1, 2, 3]
    assert joint["joint_with"].iloc[0].count(" | ") == 1
    assert table.loc[table["paragraph_id"] == "140.9", "response"].iloc[0] == "partly supported"
    assert table["paragraph_key"].str.startswith("uhri:").sum() == 1  # the unnumbered one
    assert not table["text"].str.endswith(")").any()


def test_digests_follow_content_not_file_order_or_ids(tmp_path):
    rows = one_review("Norway", 44, 10, seed=1)
    a = review_summaries(review_rows(_rows(tmp_path, rows, "a.xlsx"), YEARS, "a"))
    b = review_summaries(review_rows(_rows(tmp_path, one_review("Norway", 44, 10, seed=1)[::-1],
                                           "b.xlsx"), YEARS, "b"))
    assert a == b  # new annotation ids and another order: the same review
    assert a[0] | {"digest": ""} == {
        "review": "NOR-cycle4", "sur_iso3": "NOR", "cycle": 4, "session": 44, "year": 2022,
        "paragraphs": 10, "recommendations": 14, "accepted": 7, "partly_supported": 1,
        "noted": 2, "pending": 0, "digest": ""}
    changed = [dict(r) for r in rows]
    changed[2]["UPR Position"] = "- Noted"  # 140.3, supported in the first export
    c = review_summaries(review_rows(_rows(tmp_path, changed, "c.xlsx"), YEARS, "c"))
    assert c[0]["digest"] != a[0]["digest"] and c[0]["noted"] == a[0]["noted"] + 1


def test_the_latest_export_listing_a_review_is_used():
    def entry(key: str, reviews: list[str]) -> RawFile:
        return RawFile(key, f"user/{key}.xlsx", "uhri_export", key * 8, 1, "", "", "", "", "",
                       {"imported": "now", "reviews": [{"review": r} for r in reviews]})

    old, new = entry("a", ["NOR-cycle4", "CHL-cycle4"]), entry("b", ["NOR-cycle4"])
    got = assignment([old, new])
    assert got == {"NOR-cycle4": new, "CHL-cycle4": old}


def test_a_review_also_in_a_matrix_is_cross_checked(tmp_path):
    rows = review_rows(_rows(tmp_path, one_review("Slovenia", 48, 6)), YEARS, "e.xlsx")
    uhri = uhri_table(rows, "e.xlsx", "e.xlsx")
    matrix = uhri.assign(source="ohchr_matrix", source_file="m.docx",
                         rec_id=uhri["rec_id"].str.replace("uhri", "ohchr"))
    matrix.loc[matrix["paragraph_id"] == "140.2", "response"] = "noted"  # one difference
    matrix = matrix.loc[matrix["paragraph_id"] != "140.6"]  # one the matrix lacks
    cross = crosscheck_all(pd.concat([matrix, uhri], ignore_index=True))
    assert set(zip(cross["source_a"], cross["source_b"], strict=True)) == {
        ("ohchr_matrix", "uhri")}
    status = cross["status"].value_counts().to_dict()
    n6 = int((uhri["paragraph_id"] == "140.6").sum())
    assert status == {"agree": len(matrix) - 1, "response_differs": 1, "only_uhri": n6}
