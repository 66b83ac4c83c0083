"""Responses beyond accepted and noted: a recommendation supported only in part is counted
apart (never as accepted), and a review whose response is awaited is said to be so, with no
acceptance rate and no rank, from the key figures to the abstract."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from uprlib.analysis import civil_society, common, followup, iccpr, justice, overview, peers
from uprlib.analysis.summary import overview_figures
from uprlib.output import crosscountry
from uprlib.output.review import Review
from uprlib.paper.pages import abstract, conclusions
from uprlib.workspace import responses
from uprlib.workspace.paths import RATIFICATION_FILE

from ..synthetic import rec, write


@pytest.fixture()
def folder(tmp_path):
    def para(sur, n, recommender, text, response, **kw):
        return rec(sur, 1, n, recommender, text, response, source="uhri", action=None,
                   paragraph=f"100.{n}", **kw)

    rows = [
        # NOR: 2 accepted, 1 partly supported, 1 noted, 1 pending
        para("NOR", 1, "FRA", "Ratify the International Covenant on Civil and Political Rights",
             "accepted"),
        para("NOR", 2, "CUB", "Guarantee freedom of expression and of the press", "accepted"),
        para("NOR", 3, "KEN", "Protect human rights defenders and journalists",
             "partly supported"),
        para("NOR", 4, "VNM", "Abolish the death penalty", "noted"),
        para("NOR", 5, "POL", "Ensure the independence of the judiciary", "pending"),
        # KEN: no response yet
        *[para("KEN", i, "NOR", t, "pending") for i, t in enumerate(
            ["Ratify the International Covenant on Civil and Political Rights",
             "Guarantee freedom of assembly", "Strengthen legal aid"], start=1)],
        # three others, with responses
        *[para(s, 1, "JPN", "Adopt a national action plan", "accepted") for s in
          ("CUB", "VNM", "POL")],
        para("POL", 2, "FRA", "Adopt a law", "noted"),
    ]
    for r in rows:
        r["source_document"] = "A/HRC/1/1"
        r["paragraph_id"] = r["paragraph_key"]
    folder = write(rows, tmp_path / "processed")
    pd.DataFrame([{"iso3": "KEN", "country": "Kenya", "instrument": "ICCPR",
                   "instrument_name": "International Covenant on Civil and Political Rights",
                   "status": "state party", "year": 1972, "note": None,
                   "source_file": "synthetic.csv"}]).to_parquet(folder / RATIFICATION_FILE)
    return folder


def test_the_vocabulary_is_one_place():
    assert responses.RESPONSES == ("accepted", "partly supported", "noted", "pending")
    assert set(responses.RESPONDED) == set(responses.RESPONSES) - {"pending"}
    assert responses.POSITIONS[responses.position_key(" Supported / Noted ")] == \
        "partly supported"


def test_partly_supported_is_counted_apart_and_rates_are_of_those_answered(folder):
    review = Review("NOR", 1, folder)
    f = overview.key_figures(review)
    assert (f["paragraphs"], f["paragraphs_accepted"], f["paragraphs_noted"]) == (5, 2, 1)
    assert (f["paragraphs_partly_supported"], f["paragraphs_pending"]) == (1, 1)
    t = overview.responses(review).set_index("level")
    assert list(t.columns) == ["total", "accepted", "partly supported", "noted", "pending",
                               "acceptance_rate"]
    assert t.at["paragraph", "acceptance_rate"] == 50.0  # 2 of the 4 answered
    note = str(overview.summary_note(review, f))
    assert "accepted 2 of them (50% of those answered), supported 1 in part, noting 1." in note
    assert "1 await a response." in note
    assert "counted apart, as partly supported, not as accepted" in review.response_note()
    s = crosscountry.summary_table(1, folder).set_index("sur_iso3").loc["NOR"]
    assert (s["paragraphs_partly_supported"], s["paragraphs_pending"], s["acceptance_rate"]) == \
        (1, 1, 50.0)
    assert overview_figures("NOR", 1, folder)["paragraphs_partly_supported"] == 1


def test_a_review_whose_response_is_awaited(folder):
    review = Review("KEN", 1, folder)
    assert review.pending
    f = overview.key_figures(review)
    assert f["paragraphs_pending"] == f["paragraphs"] == 3 and f["paragraphs_accepted"] == 0
    assert "Kenya has not responded yet" in str(overview.summary_note(review, f))
    assert "accepted 0" not in str(overview.summary_note(review, f))
    assert "The response of Kenya is awaited" in review.response_note()
    assert math.isnan(overview.responses(review).set_index("level").at["paragraph",
                                                                        "acceptance_rate"])
    # no rate, no rank: the others are ranked among themselves
    t = crosscountry.summary_table(1, folder).set_index("sur_iso3")
    assert math.isnan(t.at["KEN", "acceptance_rate"]) and t["acceptance_rank"].isna()["KEN"]
    assert t["acceptance_rank"].dropna().astype(int).to_dict() == {"CUB": 1, "VNM": 1,
                                                                   "NOR": 3, "POL": 3}
    p = peers.key_figures(review)
    assert p["acceptance_rate"] is None and p["acceptance_rank"] is None
    assert "response of Kenya is awaited, so it has no acceptance rate" in \
        peers.coverage_note(review)
    sections = {m.__name__.rsplit(".", 1)[1]: m.key_figures(review)
                for m in (civil_society, justice)}
    assert sections["civil_society"]["paragraphs_pending"] == 1
    assert "all awaiting the state's response" in str(
        common.selection_note(sections["civil_society"]))
    ic = iccpr.key_figures(review)
    note = str(iccpr.summary_note(review, ic))
    assert ic["pending"] == 1 and "responses: all awaiting the state's response" in note
    assert "0 were accepted" not in note
    kf = {"overview": f, "iccpr": ic, **sections}
    text = str(abstract(review, kf))
    assert "its response is awaited: no position on them has been published yet" in text
    assert "accepted 0" not in text and "0 of" not in text
    points = str(conclusions(review, kf, set(), []))
    assert "The response of Kenya to its 3 recommendation paragraphs" in points
    assert "(responses awaited)" in points


def _legend(fig) -> list[str]:
    return [t.get_text() for ax in fig.axes if ax.get_legend()
            for t in ax.get_legend().get_texts()]


def test_figures_draw_every_response(folder):
    nor = Review("NOR", 1, folder)
    everything = ["accepted", "partly supported", "noted", "pending"]
    for fig in (overview.figure_groups(nor), overview.figure_cycles(nor)):
        assert _legend(fig) == everything
        plt.close(fig)
    ken = Review("KEN", 1, folder)
    for fig in (overview.figure_groups(ken), overview.figure_cycles(ken),
                followup.figure_iccpr(ken), peers.figure_distribution(ken),
                peers.figure_groups(ken)):
        assert fig is not None
        if any(ax.get_legend() for ax in fig.axes):
            assert "pending" in _legend(fig)
        plt.close(fig)


@pytest.mark.parametrize(("counts", "expected"), [
    ({"paragraphs": 5, "paragraphs_accepted": 3, "paragraphs_noted": 2}, "3 accepted and 2 noted"),
    ({"paragraphs": 6, "paragraphs_accepted": 3, "paragraphs_noted": 2,
      "paragraphs_partly_supported": 1}, "3 accepted, 1 partly supported and 2 noted"),
    ({"paragraphs": 7, "paragraphs_accepted": 3, "paragraphs_noted": 2,
      "paragraphs_pending": 2}, "3 accepted and 2 noted, 2 awaiting a response"),
    ({"paragraphs": 2, "paragraphs_accepted": 0, "paragraphs_noted": 0,
      "paragraphs_pending": 2}, "all awaiting the state's response"),
])
def test_responses_in_words(counts, expected):
    assert str(common.responses_phrase(counts)) == expected
