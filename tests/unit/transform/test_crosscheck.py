"""Cross-checking the OHCHR matrix against UPR Info on small synthetic reviews."""

import pandas as pd

from uprlib.transform.crosscheck import (
    COLUMNS,
    borrow_action_categories,
    crosscheck,
    crosscheck_all,
)


def _row(rec_id, source, state, text, response, paragraph=None, action=None, sur="NOR"):
    return {"rec_id": rec_id, "sur_iso3": sur, "cycle": 2, "source": source,
            "recommending_iso3": state, "paragraph_id": paragraph, "text": text,
            "response": response, "action_category": action}


MATRIX = [
    _row("m1", "ohchr_matrix", "FRA", "Ratify the Covenant on Civil and Political Rights",
         "accepted", "1.1"),
    _row("m2", "ohchr_matrix", "FRA", "Abolish the death penalty for all crimes", "accepted",
         "1.2"),
    _row("m3", "ohchr_matrix", "KEN", "Protect human rights defenders", "noted", "1.3"),
]
UPRINFO = [
    _row("u1", "upr_info", "FRA", "Abolish the death penalty for all crimes.", "noted",
         action=5),
    _row("u2", "upr_info", "FRA", "Ratify the Covenant on Civil and Political Rights",
         "accepted", action=4),
    _row("u3", "upr_info", "JPN", "Strengthen the national human rights institution",
         "accepted", action=3),
    _row("u4", "upr_info", None, "Combat trafficking in persons", "accepted", action=2),
]


def _cross(review="NOR cycle 2"):
    return crosscheck(pd.DataFrame(MATRIX), pd.DataFrame(UPRINFO), review)


def test_rows_are_paired_by_state_and_text_and_classed():
    cross = _cross()
    assert list(cross.columns) == COLUMNS
    by_status = {s: sorted(zip(g["matrix_rec_id"].fillna("-"), g["uprinfo_rec_id"].fillna("-"),
                               strict=True)) for s, g in cross.groupby("status")}
    assert by_status == {"agree": [("m1", "u2")], "response_differs": [("m2", "u1")],
                         "only_matrix": [("m3", "-")],
                         "only_uprinfo": [("-", "u3"), ("-", "u4")]}
    assert set(cross["review"]) == {"NOR cycle 2"}
    differs = cross.loc[cross["status"] == "response_differs"].iloc[0]
    assert (differs["matrix_response"], differs["uprinfo_response"]) == ("accepted", "noted")
    assert 0.6 <= differs["similarity"] <= 1


def test_texts_below_the_similarity_threshold_stay_unpaired():
    matrix = pd.DataFrame([_row("m1", "ohchr_matrix", "FRA", "Ratify the Covenant", "accepted",
                                "1.1")])
    upr = pd.DataFrame([_row("u1", "upr_info", "FRA", "Improve prison conditions", "accepted")])
    assert sorted(crosscheck(matrix, upr)["status"]) == ["only_matrix", "only_uprinfo"]


def test_each_row_is_paired_at_most_once():
    text = "Ratify the Covenant on Civil and Political Rights"
    matrix = pd.DataFrame([_row("m1", "ohchr_matrix", "FRA", text, "accepted", "1.1")])
    upr = pd.DataFrame([_row(f"u{i}", "upr_info", "FRA", text, "accepted") for i in (1, 2)])
    cross = crosscheck(matrix, upr)
    assert sorted(cross["status"]) == ["agree", "only_uprinfo"]


def test_only_reviews_in_both_sources_are_crosschecked():
    other = [_row("x1", "upr_info", "FRA", "Something else", "accepted", sur="CUB")]
    recs = pd.DataFrame(MATRIX + UPRINFO + other)
    cross = crosscheck_all(recs)
    assert set(cross["review"]) == {"NOR cycle 2"} and len(cross) == len(_cross())
    assert crosscheck_all(pd.DataFrame(other)).columns.tolist() == COLUMNS


def test_matrix_rows_borrow_the_action_category_of_their_pair_only():
    recs = pd.DataFrame(MATRIX + UPRINFO)
    out = borrow_action_categories(recs, _cross()).set_index("rec_id")["action_category"]
    assert out["m1"] == 4 and out["m2"] == 5  # paired, even when the responses differ
    assert pd.isna(out["m3"])  # unpaired: no category
    assert out["u3"] == 3 and str(out.dtype) == "Int64"  # UPR Info rows keep theirs
