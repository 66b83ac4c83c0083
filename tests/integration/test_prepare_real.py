"""The canonical tables built from the real raw files."""

import json

import pandas as pd
import pytest

import uprlib
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


def test_uprinfo_and_matrix_agree_for_china_cycle2(processed):
    cross = uprlib.load_crosscheck(processed)
    cross = cross.loc[cross["review"] == "CHN cycle 2"]
    counts = cross["status"].value_counts().to_dict()
    # every shared recommendation has the same response in both sources
    assert counts.get("response_differs", 0) == 0
    assert counts["agree"] >= 280
    # whatever is left unpaired is listed, not lost
    upr = uprlib.load_recommendations("CHN", 2, source="upr_info", folder=processed)
    mat = uprlib.load_recommendations("CHN", 2, source="ohchr_matrix", folder=processed)
    assert counts["agree"] + counts.get("only_uprinfo", 0) == len(upr)
    assert counts["agree"] + counts.get("only_matrix", 0) == len(mat)


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
    assert report["unknown_recommending_state"]["rows"] == int(unknown.sum()) == 9
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
    assert {c["value"] for c in report["source_corrections"]} == {"TP", "S", "Montserrat"}


def test_unknown_country_or_cycle_lists_what_exists(processed):
    with pytest.raises(uprlib.NoDataError, match="available cycles: \\[1, 2, 3\\]"):
        uprlib.load_recommendations("CHN", 4, folder=processed)
    with pytest.raises(uprlib.NoDataError, match="Atlantis"):
        uprlib.load_recommendations("Atlantis", 2, folder=processed)
