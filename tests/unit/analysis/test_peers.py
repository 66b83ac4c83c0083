"""The cross-country summary table, the peer comparison built on it, and run_many."""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import pytest

from uprlib.analysis import overview, peers
from uprlib.output import crosscountry
from uprlib.output.review import Review
from uprlib.output.tables import NoDataError

from ..synthetic import rec, write


@pytest.fixture()
def folder(tmp_path):
    rows = [
        # NOR: 3 of 4 accepted; two category-5, one of them accepted
        rec("NOR", 1, 1, "FRA", "Ratify the ICCPR", "accepted", action=5),
        rec("NOR", 1, 2, "CUB", "Abolish the death penalty", "noted", action=5),
        rec("NOR", 1, 3, "KEN", "Continue its efforts on education", "accepted", action=2),
        rec("NOR", 1, 4, "VNM", "Combat trafficking", "accepted", action=4),
        # CUB: one joint paragraph made by two states, accepted
        rec("CUB", 1, 1, "BRA", "Share its experience in health care", "accepted", order=1,
            paragraph="joint"),
        rec("CUB", 1, 2, "VNM", "Share its experience in health care", "accepted", order=2,
            paragraph="joint"),
        # VNM: 1 of 5 accepted
        *[rec("VNM", 1, i, "NOR", f"Recommendation number {i}", "noted") for i in range(4)],
        rec("VNM", 1, 4, "FRA", "Recommendation number four", "accepted"),
        # KEN: UPR Info says 1 of 2 accepted, the matrix 3 of 3: the matrix wins
        rec("KEN", 1, 1, "NOR", "Protect human rights defenders", "accepted"),
        rec("KEN", 1, 2, "FRA", "Abolish the death penalty", "noted"),
        *[rec("KEN", 1, i, "JPN", f"Matrix recommendation {i}", "accepted", action=None,
              source="ohchr_matrix") for i in range(3)],
        # POL: one noted, no action category
        rec("POL", 1, 1, "JPN", "Ratify the Rome Statute", "noted", action=None),
    ]
    return write(rows, tmp_path / "processed")


def test_summary_counts_rates_and_source(folder):
    t = crosscountry.summary_table(1, folder).set_index("sur_iso3")
    assert list(t.index) == ["CUB", "KEN", "NOR", "POL", "VNM"]
    assert t.loc["NOR", ["state_level", "state_level_accepted", "acceptance_rate"]].tolist() \
        == [4, 3, 75.0]
    assert t.loc["NOR", ["action5", "action5_accepted", "action5_share",
                         "action5_acceptance_rate"]].tolist() == [2, 1, 50.0, 50.0]
    assert t.loc["CUB", ["paragraphs", "state_level", "recommending_states"]].tolist() == [1, 2, 2]
    assert t.loc["KEN", "source"] == "ohchr_matrix" and t.loc["KEN", "state_level"] == 3
    assert math.isnan(t.loc["POL", "action5_share"])  # nothing coded: no share, not 0
    assert t.loc["POL", "un_regional_group"] == "EEG"


def test_summary_ranks_percentiles_and_medians(folder):
    t = crosscountry.summary_table(1, folder).set_index("sur_iso3")
    assert t["acceptance_rank"].to_dict() == {"CUB": 1, "KEN": 1, "NOR": 3, "VNM": 4, "POL": 5}
    assert t["acceptance_percentile"].to_dict() == {"CUB": 100.0, "KEN": 100.0, "NOR": 60.0,
                                                    "VNM": 40.0, "POL": 20.0}
    assert (t["cycle_median_acceptance_rate"] == 75.0).all()
    assert (t["states_in_cycle"] == 5).all()
    assert t.loc["NOR", "group_median_acceptance_rate"] == 75.0


def test_summary_row_agrees_with_the_review_overview(folder):
    row = crosscountry.summary_table(1, folder).set_index("sur_iso3").loc["CUB"]
    figs = overview.key_figures(Review("CUB", 1, folder))
    for key in ("paragraphs", "paragraphs_accepted", "state_level", "state_level_accepted",
                "recommending_states"):
        assert row[key] == figs[key], key


def test_unknown_cycle_and_countries_are_clear_errors(folder):
    with pytest.raises(NoDataError, match="no reviews of cycle 2.*cycles: \\[1\\]"):
        crosscountry.summary_table(2, folder)
    assert crosscountry.resolve_countries("nor, Cuba", 1, folder) == ["NOR", "CUB"]
    assert crosscountry.resolve_countries(None, 1, folder) == ["CUB", "KEN", "NOR", "POL", "VNM"]
    with pytest.raises(NoDataError, match="not reviewed in cycle 1.*FRA, Atlantis"):
        crosscountry.resolve_countries("NOR,FRA,Atlantis", 1, folder)


def test_write_summary_respects_outputs_dir(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("UPRLIB_OUTPUTS_DIR", str(tmp_path / "out"))
    path = crosscountry.write_summary(1, processed_dir=folder)
    assert path == tmp_path / "out" / "batch-cycle1" / "summary.csv"
    assert path.read_text().splitlines()[0].split(",") == list(crosscountry.SUMMARY_COLUMNS)
    assert len(path.read_text().splitlines()) == 6
    assert not list(path.parent.glob(".*"))  # no temporary file left behind


def test_peer_comparison_is_the_states_row(folder):
    r = Review("NOR", 1, folder)
    figs = peers.key_figures(r)
    assert (figs["acceptance_rank"], figs["states_in_cycle"], figs["acceptance_rate"]) == (
        3, 5, 75.0)
    cmp = peers.comparison(r).set_index("measure")
    assert cmp.iloc[0][r.name] == 75.0 and cmp.iloc[0]["rank (1 = highest)"] == 3
    groups = peers.by_group(r).set_index("un_regional_group")
    assert groups.loc["GRULAC", "median_acceptance_rate"] == 100.0
    assert groups["this_state's_group"].sum() == 1 and groups.loc["WEOG", "this_state's_group"]
    assert peers.neighbours(r)["is_this_state"].sum() == 1
    # only NOR received a category-5 recommendation: too few states to plot
    assert peers.figure_action5(r) is None
    for fig in (peers.figure_distribution(r), peers.figure_groups(r)):
        assert isinstance(fig, plt.Figure)
        assert fig.axes[0].get_xlabel() and fig.axes[0].get_ylabel()
        plt.close(fig)


def test_too_few_peers_gives_empty_tables_and_no_figures(folder, monkeypatch):
    monkeypatch.setattr(peers, "MIN_PEERS", 6)
    r = Review("NOR", 1, folder)
    assert peers.comparison(r).empty and peers.by_group(r).empty
    assert peers.figure_distribution(r) is None and peers.figure_groups(r) is None
    assert "too few" in peers.coverage_note(r)

