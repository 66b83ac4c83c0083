"""The audit of the November 2016 assessment against China's 2013 review (real files)."""

from __future__ import annotations

import pytest

from uprlib.analysis import audit, iccpr
from uprlib.audit import audit_report
from uprlib.output.review import Review

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def result(processed):
    return audit_report("hric_2016_report", Review("CHN", 2, processed))


def _cited(result, paragraph, iso3):
    c = result.citations
    return c.loc[(c["cited_paragraph"] == paragraph) & (c["cited_iso3"] == iso3)]


def test_reprisals_recommendation_cited_under_two_numbers(result):
    right, wrong = _cited(result, "186.62", "CHE"), _cited(result, "186.52", "CHE")
    assert list(right["finding"]) == ["exact"]
    assert list(wrong["finding"]) == ["wrong number"]
    assert list(wrong["matched_paragraph"]) == ["186.62"]
    assert "Afghanistan" in wrong["detail"].iloc[0]  # whose 186.52 really is


def test_canada_lawyers_recommendation_is_part_of_a_joint_paragraph(result):
    c = _cited(result, "176.65", "CAN")
    assert list(c["finding"]) == ["wrong number"]
    assert list(c["matched_paragraph"]) == ["186.131"]
    assert c["footnote"].iloc[0] == 169


def test_chained_footnotes_and_joint_paragraphs(result):
    fn33 = result.citations.loc[result.citations["footnote"] == 33]
    assert list(fn33["cited_iso3"]) == ["FRA", "AUT", "SVK", "CHE"]
    assert list(fn33["kind"]) == ["numbered", "numbered", "continuation", "continuation"]
    assert set(fn33.loc[fn33["cited_iso3"] != "FRA", "cited_paragraph"]) == {"186.73"}
    assert set(fn33["finding"]) == {"exact"}


def test_quoted_recommendations_without_numbers_are_found(result):
    q = result.citations.loc[result.citations["kind"] == "quoted"]
    swiss = q.loc[q["cited_iso3"] == "CHE"]
    assert list(swiss["matched_paragraph"]) == ["186.62"]
    assert len(q) >= 5 and q["matched_paragraph"].notna().all()


def test_summary_counts_add_up(result):
    s = result.summary
    classes = [k for k in s if k.startswith("class_")]
    assert sum(s[k] for k in classes) == s["citations"] == len(result.citations)
    assert s["numbered"] >= 37 and s["class_wrong_number"] >= 2
    assert s["numbers_not_in_record"] >= 1  # 176.65


def test_headline_and_iccpr_claims_agree_and_footnote_55_is_missing(result):
    c = result.claims.set_index("claim_id")
    for cid in ("total_recommendations", "accepted_recommendations",
                "not_accepted_recommendations", "iccpr_recommendations",
                "iccpr_recommending_states", "iccpr_accepted", "iccpr_not_accepted"):
        assert c.at[cid, "status"] == "agrees", cid
    assert c.loc["iccpr_recommendations", "footnote_check"].startswith(
        "footnote 55: text does not cite")
    assert c.loc["total_recommendations", "footnote_check"] == (
        "footnote 3: cites the review's record")
    assert 55 in result.summary["testable_claims_without_support"]
    assert (c["status"] == "not testable from the UPR data").sum() > 0


def test_iccpr_claims_vs_data_uses_the_report_claims(processed):
    t = iccpr.claims_vs_data(Review("CHN", 2, processed))
    assert len(t) == 4 and t["agrees"].all()
    assert iccpr.claims_vs_data(Review("CHN", 3, processed)).empty


@pytest.mark.parametrize("country, cycle, report", [("VNM", 2, "default"), ("CHN", 3, None)])
def test_no_report_gives_an_empty_audit(processed, country, cycle, report):
    review = Review(country, cycle, processed)
    r = audit_report(report, review)
    assert r.report is None and r.citations.empty and r.claims.empty
    assert audit.figure_findings(review, report) is None
    assert audit.key_figures(review, report)["citations"] == 0
