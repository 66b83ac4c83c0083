"""The canonical tables built from the real raw files."""

import csv
import json

import pandas as pd
import pytest

import uprlib
import uprlib.output.review
from uprlib.extract import uprinfo
from uprlib.transform import countries
from uprlib.workspace.fetch import fetch_file
from uprlib.workspace.registry import by_role

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("cycle, paragraphs, accepted, noted", [(2, 252, 204, 48),
                                                                (3, 346, 284, 62)])
def test_china_matrix_figures(processed, cycle, paragraphs, accepted, noted):
    para = uprlib.load_recommendations("CHN", cycle, "paragraph", folder=processed)
    assert len(para) == paragraphs
    assert para["response"].value_counts().to_dict() == {"accepted": accepted, "noted": noted}
    assert (para["source"] == "ohchr_matrix").all()
    # the paragraph level is a view of the state level
    state = uprlib.load_recommendations("CHN", cycle, "state", folder=processed)
    assert state["paragraph_id"].nunique() == paragraphs
    assert para["n_states"].sum() == len(state)


def test_china_cycle2_paragraph_ids_run_186_1_to_252(processed):
    para = uprlib.load_recommendations("CHN", 2, "paragraph", folder=processed)
    assert list(para["paragraph_id"]) == [f"186.{i}" for i in range(1, 253)]
    assert set(para["source_document"]) == {"A/HRC/25/5"}


@pytest.mark.parametrize("other", ["dihr", "upr_info_2018", "upr_info"])
def test_every_source_agrees_with_the_matrix_for_china_cycle2(processed, other):
    cross = uprlib.load_crosscheck(processed)
    cross = cross.loc[(cross["review"] == "CHN cycle 2") & (cross["source_a"] == "ohchr_matrix")
                      & (cross["source_b"] == other)]
    counts = cross["status"].value_counts().to_dict()
    # every shared recommendation has the same response in both sources
    assert counts.get("response_differs", 0) == 0
    assert counts["agree"] >= 280
    # whatever is left unpaired is listed, not lost
    theirs = uprlib.load_recommendations("CHN", 2, source=other, folder=processed)
    mat = uprlib.load_recommendations("CHN", 2, source="ohchr_matrix", folder=processed)
    assert counts["agree"] + counts.get(f"only_{other}", 0) == len(theirs)
    assert counts["agree"] + counts.get("only_ohchr_matrix", 0) == len(mat)


def test_dihr_lacks_one_of_chinas_252_paragraphs_and_the_crosscheck_names_it(processed):
    dihr = uprlib.load_recommendations("CHN", 2, "paragraph", source="dihr", folder=processed)
    assert dihr["paragraph_id"].notna().all() and len(dihr) == 251
    report = json.loads((processed / "data_quality.json").read_text())
    paras = report["crosscheck"]["by_review"]["CHN cycle 2"]["ohchr_matrix vs dihr"]["paragraphs"]
    assert (paras["ohchr_matrix"], paras["dihr"]) == (252, 251)
    assert (paras["only_ohchr_matrix"], paras["only_dihr"]) == (["186.5"], [])
    # the explorer files Benin's recommendation of 186.5 under 186.17, beside Benin's own
    assert ["186.5", "186.17"] in paras["numbered_differently"]
    cross = uprlib.load_crosscheck(processed)
    pair = cross.loc[(cross["review"] == "CHN cycle 2") & (cross["source_b"] == "dihr")
                     & (cross["a_paragraph_id"] == "186.5")]
    assert pair[["recommending_iso3", "b_paragraph_id", "status"]].values.tolist() == [
        ["BEN", "186.17", "agree"]]


def test_every_state_has_cycle_2_and_session_27_has_cycle_3(processed):
    reviews = uprlib.output.tables.review_sources(processed)
    assert reviews.loc[reviews["cycle"] == 2, "sur_iso3"].nunique() == 193
    c3 = reviews.loc[reviews["cycle"] == 3].set_index("sur_iso3")
    s27 = c3.loc[c3["session"] == 27]
    assert len(s27) == 14 and (s27["used"] == "upr_info_2018").all()
    # no source of session 27 has paragraph numbers: the count is said to be an estimate
    assert (s27["paragraph_numbers"] == "estimated").all()
    assert c3.loc["CHN", "used"] == "ohchr_matrix" and c3.loc["CHN", "session"] == 31
    note = uprlib.output.review.Review("BRA", 3, processed).data_note()
    assert "estimate" in note and "not the official count" in note
    assert "estimate" not in uprlib.output.review.Review("CHN", 2, processed).data_note()


def test_2018_export_counts_match_the_raw_csv(processed):
    """Independent count with the csv module: every row but the three duplicates."""
    rows = []
    for e in by_role("uprinfo_2018_csv"):
        with open(fetch_file(e), encoding="utf-8-sig", newline="") as fh:
            rows += [tuple(" ".join(c.split()) for c in r)
                     for r in list(csv.reader(fh, delimiter=";"))[1:]]
    assert len(rows) == 61014
    everything = uprlib.output.tables.all_recommendations(processed)
    upr18 = everything.loc[everything["source"] == "upr_info_2018"]
    assert len(upr18) == len(rows) - 3 == len(set(rows))  # duplicates dropped, nothing else
    report = json.loads((processed / "data_quality.json").read_text())
    readers = report["readers"]["upr_info_2018"]
    assert len(readers["duplicates_dropped"]) == 3
    assert [(r["sur"], r["session"]) for r in readers["session_inferred"]] == [("Afghanistan", 5)]
    brazil = [r for r in rows if r[0] == "Brazil" and r[10] == "27"]
    bra = uprlib.load_recommendations("BRA", 3, folder=processed)
    assert len(bra) == len(brazil)
    assert (bra["response"] == "accepted").sum() == sum(r[7] == "Supported" for r in brazil)


def test_recommending_states_carry_canonical_names_and_raw_spellings(processed):
    recs = uprlib.output.tables.all_recommendations(processed)
    known = recs["recommending_iso3"].notna()
    names = recs.loc[known, "recommending_iso3"].map(countries.names())
    assert (recs.loc[known, "recommending_state"] == names).all()
    raw = recs.loc[recs["recommending_state_raw"] == "Bolivia (Plurinational S tate of)"]
    assert len(raw) and set(raw["recommending_state"]) == {"Bolivia (Plurinational State of)"}


def test_uprinfo_counts_match_raw_csv(processed):
    """Independent count from the raw CSV with plain pandas."""
    raw = pd.concat(uprinfo.read_csv(fetch_file(e)) for e in by_role("uprinfo_csv"))
    recs = uprlib.load_recommendations("CHN", 2, source="upr_info", folder=processed)
    china17 = raw[(raw["To"] == "China") & (raw["Session"] == "17")]
    assert len(recs) == len(china17) == 284
    assert (recs["response"] == "accepted").sum() == (china17["Response"] == "Accepted").sum()
    everything = uprlib.output.tables.all_recommendations(processed)
    assert (everything["source"] == "upr_info").sum() == len(raw)
    assert everything.loc[everything["source"] == "upr_info", "sur_iso3"].nunique() == 193


def test_every_name_maps_and_unknown_states_are_counted(processed):
    recs = uprlib.output.tables.all_recommendations(processed)
    assert recs["sur_iso3"].notna().all()
    unknown = recs["recommending_state"].isna()
    assert (unknown == recs["recommending_iso3"].isna()).all()
    report = json.loads((processed / "data_quality.json").read_text())
    # the same nine rows of Indonesia's first review in both UPR Info exports
    assert report["unknown_recommending_state"]["rows"] == int(unknown.sum()) == 18
    assert report["unknown_recommending_state"]["by_review"] == {
        "IDN cycle 1 (upr_info)": 9, "IDN cycle 1 (upr_info_2018)": 9}
    assert recs.loc[~unknown, "recommending_group"].notna().all()


def test_regional_groups_agree_with_uprinfo(processed):
    raw = pd.concat(uprinfo.read_csv(fetch_file(e)) for e in by_role("uprinfo_csv"))
    raw = raw.loc[raw["From-Rgrp"].isin(["Africa", "Asia", "EEG", "GRULAC", "WEOG"])]
    mapped = raw["From"].map(countries.to_iso3(raw["From"])).map(countries.regional_group)
    assert (mapped == raw["From-Rgrp"].replace({"Asia": "Asia-Pacific"})).all()


def test_ratification_table(processed):
    rat = uprlib.load_ratification("CHN", folder=processed)
    assert len(rat) == 18
    status = dict(zip(rat["instrument"], rat["status"], strict=True))
    assert status["ICCPR"] == "signatory state"
    assert status["ICESCR"] == "state party"
    report = json.loads((processed / "data_quality.json").read_text())
    fixes = {c["value"]: c for c in report["source_corrections"]}
    assert {"TP", "S", "Montserrat"} <= set(fixes)
    # Word artefacts in the matrix text, fixed through documented rows only
    assert fixes["huma n rights"]["action"] == "replace_text"
    text = uprlib.load_recommendations("CHN", 2, folder=processed)["paragraph_text"]
    assert not text.str.contains("huma n rights|protect ion|Sierra Le one").any()
    assert text.str.contains("human rights in Xinjiang").any()


def test_unknown_country_or_cycle_lists_what_exists(processed):
    with pytest.raises(uprlib.NoDataError, match="available cycles: \\[1, 2, 3\\]"):
        uprlib.load_recommendations("CHN", 4, folder=processed)
    with pytest.raises(uprlib.NoDataError, match="Atlantis"):
        uprlib.load_recommendations("Atlantis", 2, folder=processed)
