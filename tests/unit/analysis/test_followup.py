"""Follow-up across cycles on a small synthetic table, and the similarity measure."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from uprlib.analysis import followup
from uprlib.output.review import Review

from ..synthetic import rec, write


@pytest.fixture()
def folder(tmp_path):
    rows = [
        rec("NOR", 1, 1, "FRA", "Ratify the International Covenant on Civil and Political "
            "Rights", "accepted"),
        rec("NOR", 1, 2, "BRA", "Abolish the death penalty in all circumstances", "accepted"),
        rec("NOR", 1, 3, "JPN", "Ratify promptly and fully implement the Convention against "
            "Torture", "noted"),
        rec("NOR", 1, 4, "KEN", "Improve access to education for girls in rural areas",
            "noted"),
        rec("NOR", 2, 1, "FRA", "Ratify the ICCPR without further delay", "noted"),
        rec("NOR", 2, 2, "CUB", "Ratify promptly and fully implement the CPED", "accepted"),
        rec("NOR", 2, 3, "VNM", "Strengthen the fight against corruption", "accepted"),
        rec("NOR", 2, 4, "JPN", "Ensure access to education for girls in rural areas",
            "accepted"),
        rec("POL", 1, 1, "JPN", "Ratify the Rome Statute", "noted"),
    ]
    return write(rows, tmp_path / "processed")


def test_titles_fold_to_acronyms_and_suffixes_are_stripped():
    assert "iccpr" in followup.tokens("the International Covenant on Civil and Political Rights")
    assert followup.tokens("Ratification of the ICCPR")[:2] == followup.tokens("Ratify ICCPR")[:2]


def test_tfidf_cosine_is_one_for_the_same_words_and_zero_for_none_shared():
    x = followup.tfidf(["Abolish the death penalty", "abolish the Death Penalty!",
                        "Protect journalists online"])
    sim = x @ x.T
    assert sim[0, 1] == pytest.approx(1.0)
    assert sim[0, 2] == pytest.approx(0.0)
    assert np.allclose(np.diag(sim), 1.0)


def test_topics_tell_instruments_apart():
    import pandas as pd

    t = followup.topic_matrix(pd.Series(["Ratify the CAT promptly", "Ratify the CPED promptly"]))
    assert t.loc[0, "names the CAT"] and not t.loc[1, "names the CAT"]
    assert not (t.loc[0] & t.loc[1]).any()  # no shared topic: they can never pair


def test_come_back_counts_matches_by_topic_and_similarity(folder):
    r = Review("NOR", 1, folder)
    p = followup.pairs(r)
    # the ICCPR (same state, folded title) and the education request come back; "Ratify the
    # CAT request is close in wording to the CPED one but shares no topic with it
    assert set(zip(p["from_rec_id"], p["to_rec_id"], strict=True)) == {
        ("NOR-1-upr_info-1-1", "NOR-2-upr_info-1-1"), ("NOR-1-upr_info-4-1", "NOR-2-upr_info-4-1")}
    h = followup.history(r)
    text = h.recs["text"].tolist()
    cat = text.index("Ratify promptly and fully implement the Convention against Torture")
    cped = text.index("Ratify promptly and fully implement the CPED")
    assert h.vectors[cat] @ h.vectors[cped] >= followup.MIN_SIMILARITY
    cb = followup.come_back(r).set_index("response")
    assert cb.loc["accepted", ["recommendations", "come_back", "from_same_state"]].tolist() == [
        2, 1, 1]
    # the education request comes back, but from Japan, not Kenya
    assert cb.loc["noted", ["recommendations", "come_back", "from_same_state"]].tolist() == [
        2, 1, 0]
    assert cb.loc["all", "come_back_share"] == 50.0
    rep = followup.repeated_by_state(r)
    assert rep[["recommending_state", "repeated", "of_which_accepted"]].values.tolist() == [
        ["France", 1, 1]]
    figs = followup.key_figures(r)
    assert (figs["accepted_here"], figs["accepted_here_come_back_next"]) == (2, 1)
    assert figs["accepted_previous"] is None  # no cycle 0
    assert figs["iccpr_recommendations_by_cycle"] == {1: 1, 2: 1}


def test_threshold_is_honoured(folder):
    r = Review("NOR", 1, folder)
    assert followup.pairs(r, threshold=1.01).empty
    loose = followup.pairs(r, threshold=0.0)
    assert len(loose) >= len(followup.pairs(r))
    assert (loose["shared_topics"] != "").all()  # the topic condition still holds


def test_examples_recurring_topics_and_iccpr(folder):
    r = Review("NOR", 2, folder)
    ex = followup.examples(r)
    assert list(ex["from_text"]) == ["Ratify the International Covenant on Civil and Political "
                                     "Rights"]  # the only accepted one that comes back
    assert 0 < ex["difflib_ratio"].iloc[0] < 1
    topics = followup.topics_by_cycle(r).set_index("topic")
    assert topics.loc["education", "recurs"]
    assert topics.loc["education", ["cycle 1 (2009)", "cycle 2 (2013)"]].tolist() == [1, 1]
    assert not topics.loc["death penalty", "recurs"]
    icc = followup.iccpr_by_cycle(r).set_index("cycle")
    assert icc.loc[1, ["recommendations", "accepted"]].tolist() == [1, 1]
    assert icc.loc[2, ["recommendations", "noted"]].tolist() == [1, 1]
    assert followup.iccpr_recommenders(r).iloc[0]["cycles"] == 2
    for make in (followup.figure_topics, followup.figure_come_back, followup.figure_iccpr):
        fig = make(r)
        assert isinstance(fig, plt.Figure) and fig.axes[0].get_ylabel()
        plt.close(fig)


def test_a_state_with_one_cycle_gives_notes_not_errors(folder):
    r = Review("POL", 1, folder)
    assert followup.pairs(r).empty and followup.come_back(r).empty
    assert followup.examples(r).empty and followup.repeated_by_state(r).empty
    assert followup.topics_by_cycle(r).empty
    assert followup.key_figures(r)["accepted_here_come_back_next"] is None
    assert followup.figure_topics(r) is None and followup.figure_come_back(r) is None
    assert followup.figure_iccpr(r) is None
    assert "Only cycle 1 (2009)" in followup.summary_note(r)
