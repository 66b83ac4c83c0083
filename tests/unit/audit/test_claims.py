"""The claims table and the checks of claimed figures, without the data."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from uprlib.audit import ReportText
from uprlib.audit.claims import computed_value, footnote_check, load_claims, same_value
from uprlib.output import curated
from uprlib.workspace.paths import curated_dir

from .test_report_text import FOOTNOTED


def test_footnote_check():
    r = ReportText.from_string(FOOTNOTED)
    assert "cites the review's record" in footnote_check(r, 3, "A/HRC/99/9", True)
    assert "does not cite" in footnote_check(r, 3, "A/HRC/1/1", True)
    assert "cites the review's record" in footnote_check(r, 9, None, True)  # a rec number
    assert "marker lost" in footnote_check(r, 5, "A/HRC/99/9", True)
    assert footnote_check(r, 3, None, False).endswith("present")
    assert footnote_check(r, None, None, True) == ""


@pytest.mark.parametrize("claimed, computed, same", [
    ("252", 252, True), ("252", 251, False), ("10", 10.0, True),
    ("1998-10-05", "1998-10-05", True), ("Signatory State", "signatory state", True),
    ("7", None, False)])
def test_same_value(claimed, computed, same):
    assert same_value(claimed, computed) is same


def test_unknown_metric_names_the_claim_and_the_keys():
    with pytest.raises(KeyError, match="claim 'x'.*'nowhere.paragraphs'"):
        computed_value(None, "nowhere.paragraphs", "claim 'x': ")


def test_claims_are_tied_to_a_report_and_review():
    c = load_claims("hric_2016_report", "CHN", 2)
    assert len(c) > 0 and not c["claim_id"].str.startswith("cited_rec_").any()
    assert c["metric"].notna().any() and c["metric"].isna().any()
    assert load_claims("hric_2016_report", "CHN", 3).empty


def test_bad_claim_row_names_the_file(tmp_path):
    shutil.copy(curated_dir() / "report_claims.csv", tmp_path / "report_claims.csv")
    with open(tmp_path / "report_claims.csv", "a") as fh:
        fh.write("x,hric_2016_report,CHN,2,S,claim,1,count,2,,Overview paragraphs,src\n")
    line = (tmp_path / "report_claims.csv").read_text().count("\n")
    with pytest.raises(ValueError, match=rf"report_claims.csv:{line}: column metric: not "):
        curated.load("report_claims", folder=tmp_path)


def test_committed_claims_have_known_metrics_only():
    c = curated.load("report_claims")
    spaces = set(c["metric"].dropna().str.split(".").str[0])
    assert spaces <= {"overview", "iccpr", "treaty_bodies", "civil_society",
                      "access_to_justice", "review"}
    assert isinstance(c, pd.DataFrame)
