"""Cross-checking pairs of sources, and borrowing UPR Info codes, on small synthetic rows."""

from __future__ import annotations

import pandas as pd

from uprlib.transform.canonical import fill_estimated_paragraph_keys
from uprlib.transform.crosscheck import COLUMNS, borrow_from_upr_info, crosscheck_all
from uprlib.workspace.text import normalise_texts


def row(source: str, n: int, state: str | None, text: str, response: str = "accepted",
        paragraph: str | None = None, action: int | None = None, themes: str | None = None,
        sur: str = "CHN", cycle: int = 2) -> dict:
    return {"rec_id": f"{source}-{sur}-{n}", "sur_iso3": sur, "cycle": cycle, "session": 17,
            "recommending_iso3": state, "paragraph_id": paragraph, "paragraph_key": paragraph,
            "state_order": 1 if paragraph else pd.NA, "response": response, "text": text,
            "action_category": action, "themes": themes, "source": source,
            "source_file": f"{source}.csv", "source_row": n + 1}


RECS = pd.DataFrame([
    row("ohchr_matrix", 1, "FRA", "Ratify the ICCPR.", paragraph="186.1"),
    row("ohchr_matrix", 2, "ESP", "Abolish the death penalty", "noted", paragraph="186.2"),
    row("ohchr_matrix", 3, "GHA", "Protect human rights defenders", paragraph="186.3"),
    row("dihr", 1, "FRA", "Ratify the ICCPR", paragraph="186.1"),
    row("dihr", 2, "ESP", "Abolish the death penalty.", "accepted", paragraph="186.2"),
    row("upr_info_2018", 1, "FRA", "ratify the  ICCPR", action=5, themes="International"),
    row("upr_info_2018", 2, "ESP", "Abolish death penalty", "noted", action=4),
    row("upr_info_2018", 3, None, "Cooperate with the special procedures", action=3),
    row("upr_info_2018", 4, "NOR", "Train judges", sur="NOR", cycle=3),
])


def test_every_pair_of_sources_on_a_shared_review_is_classed():
    cross = crosscheck_all(RECS)
    pairs = cross.groupby(["source_a", "source_b"])["status"].agg(sorted).to_dict()
    assert pairs == {
        ("ohchr_matrix", "dihr"): ["agree", "only_ohchr_matrix", "response_differs"],
        ("ohchr_matrix", "upr_info_2018"): ["agree", "agree", "only_ohchr_matrix",
                                            "only_upr_info_2018"],
        ("dihr", "upr_info_2018"): ["agree", "only_upr_info_2018", "response_differs"],
    }
    # a review only one source covers is not cross-checked
    assert (cross["review"] == "CHN cycle 2").all()
    m = cross.loc[(cross["source_a"] == "ohchr_matrix") & (cross["source_b"] == "dihr")]
    only = m.loc[m["status"] == "only_ohchr_matrix"].iloc[0]
    assert only["a_paragraph_id"] == "186.3" and pd.isna(only["b_rec_id"])
    differs = m.loc[m["status"] == "response_differs"].iloc[0]
    assert (differs["a_response"], differs["b_response"]) == ("noted", "accepted")
    # identical normalised texts pair with similarity 1 and no texts listed; others by score
    same = m.loc[m["a_paragraph_id"] == "186.1"].iloc[0]
    assert same["similarity"] == 1.0 and pd.isna(same["a_text"])
    fuzzy = cross.loc[(cross["source_b"] == "upr_info_2018")
                      & (cross["b_rec_id"] == "upr_info_2018-CHN-2")]
    assert (fuzzy["similarity"] < 1).all() and (fuzzy["similarity"] >= 0.6).all()
    assert fuzzy["b_text"].eq("Abolish death penalty").all()


def test_unknown_recommending_states_are_listed_not_lost():
    cross = crosscheck_all(RECS)
    lone = cross.loc[cross["b_rec_id"] == "upr_info_2018-CHN-3"]
    assert set(lone["status"]) == {"only_upr_info_2018"} and len(lone) == 2


def test_borrowing_action_categories_and_issues_from_the_paired_upr_info_row():
    out = borrow_from_upr_info(RECS, crosscheck_all(RECS)).set_index("rec_id")
    assert out.loc["ohchr_matrix-CHN-1", "action_category"] == 5
    assert out.loc["dihr-CHN-1", "action_category"] == 5
    assert out.loc["dihr-CHN-1", "themes"] == "International"  # DIHR rows take the issues
    assert out.loc["ohchr_matrix-CHN-2", "action_category"] == 4
    assert pd.isna(out.loc["ohchr_matrix-CHN-3", "action_category"])  # unpaired: stays null
    assert out.loc["upr_info_2018-CHN-1", "action_category"] == 5  # its own


def test_estimated_paragraph_keys_group_identical_texts_and_responses():
    recs = pd.DataFrame([
        row("upr_info_2018", 1, "FRA", "Ratify the ICCPR."),
        row("upr_info_2018", 2, "ESP", "ratify the ICCPR"),
        row("upr_info_2018", 3, "GHA", "Ratify the ICCPR", "noted"),
        row("dihr", 1, "FRA", "Ratify the ICCPR", paragraph="186.1"),
    ])
    out = fill_estimated_paragraph_keys(recs, normalise_texts(recs["text"]))
    assert out["paragraph_key"].tolist() == ["uprinfo2018:upr_info_2018.csv:2"] * 2 + [
        "uprinfo2018:upr_info_2018.csv:4", "186.1"]
    assert out["state_order"].tolist()[:3] == [1, 2, 1]


# The matrix against one UPR Info export (the cases of the two-source cross-check before it
# covered every pair of sources).
def _row(rec_id, source, state, text, response, paragraph=None, action=None, sur="NOR"):
    return {"rec_id": rec_id, "sur_iso3": sur, "cycle": 2, "source": source,
            "recommending_iso3": state, "paragraph_id": paragraph, "text": text,
            "response": response, "action_category": action, "themes": None}


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


def test_matrix_and_uprinfo_rows_are_paired_by_state_and_text_and_classed():
    cross = crosscheck_all(pd.DataFrame(MATRIX + UPRINFO))
    assert list(cross.columns) == COLUMNS
    by_status = {s: sorted(zip(g["a_rec_id"].fillna("-"), g["b_rec_id"].fillna("-"),
                               strict=True)) for s, g in cross.groupby("status")}
    assert by_status == {"agree": [("m1", "u2")], "response_differs": [("m2", "u1")],
                         "only_ohchr_matrix": [("m3", "-")],
                         "only_upr_info": [("-", "u3"), ("-", "u4")]}
    differs = cross.loc[cross["status"] == "response_differs"].iloc[0]
    assert (differs["a_response"], differs["b_response"]) == ("accepted", "noted")


def test_texts_below_the_similarity_threshold_stay_unpaired():
    recs = pd.DataFrame([_row("m1", "ohchr_matrix", "FRA", "Ratify the Covenant", "accepted",
                              "1.1"),
                         _row("u1", "upr_info", "FRA", "Improve prison conditions", "accepted")])
    assert sorted(crosscheck_all(recs)["status"]) == ["only_ohchr_matrix", "only_upr_info"]


def test_each_row_is_paired_at_most_once():
    text = "Ratify the Covenant on Civil and Political Rights"
    recs = pd.DataFrame([_row("m1", "ohchr_matrix", "FRA", text, "accepted", "1.1")]
                        + [_row(f"u{i}", "upr_info", "FRA", text, "accepted") for i in (1, 2)])
    assert sorted(crosscheck_all(recs)["status"]) == ["agree", "only_upr_info"]


def test_a_review_one_source_covers_is_not_crosschecked():
    other = [_row("x1", "upr_info", "FRA", "Something else", "accepted", sur="CUB")]
    cross = crosscheck_all(pd.DataFrame(MATRIX + UPRINFO + other))
    assert set(cross["review"]) == {"NOR cycle 2"}
    assert crosscheck_all(pd.DataFrame(other)).columns.tolist() == COLUMNS


def test_matrix_rows_borrow_the_action_category_of_their_pair_only():
    recs = pd.DataFrame(MATRIX + UPRINFO)
    out = borrow_from_upr_info(recs, crosscheck_all(recs)).set_index("rec_id")["action_category"]
    assert out["m1"] == 4 and out["m2"] == 5  # paired, even when the responses differ
    assert pd.isna(out["m3"])  # unpaired: no category
    assert out["u3"] == 3 and str(out.dtype) == "Int64"  # UPR Info rows keep theirs
