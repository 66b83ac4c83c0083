"""Extraction and matching of cited recommendations, on small synthetic report texts."""

from __future__ import annotations

import pandas as pd
import pytest

from uprlib.audit import ReportText
from uprlib.audit.citations import extract
from uprlib.audit.matching import Record, classify

RECORD = [  # paragraph, state, iso3, text
    ("100.1", "Norway", "NOR",
     "Make further efforts towards safeguarding the freedom of expression of all citizens"),
    ("100.2", "Ghana", "GHA",
     "Engage constructively with the human rights mechanisms, including the special procedures"),
    ("100.3", "Benin", "BEN", "Intensify the cooperation with special rapporteurs"),
    ("100.3", "Albania", "ALB", "Step up cooperation with Special Procedures and mandate holders"),
    ("100.4", "Switzerland", "CHE",
     "Ensure that human rights defenders can exercise their legitimate activities, including "
     "participation in international mechanisms, without being subjected to reprisals"),
    ("100.5", "Chile", "CHL",
     "Continue strengthening the protection and promotion of the right of all citizens to "
     "publicly express their beliefs and opinions"),
    ("100.6", "Djibouti", "DJI",
     "Continue to guarantee young people the access to legal assistance in conformity with "
     "the law"),
    ("100.7", "Bolivia (Plurinational State of)", "BOL",
     "Strengthen the independence of the judiciary and guarantee the right to a fair trial"),
]


@pytest.fixture()
def record() -> Record:
    df = pd.DataFrame(RECORD, columns=["paragraph_id", "recommending_state",
                                       "recommending_iso3", "text"])
    return Record.from_state_level(df.assign(response="accepted"))


def audit(text: str, record: Record) -> pd.DataFrame:
    return classify(extract(ReportText.from_string(text), exclude="CHN"), record)


def one(text: str, record: Record) -> pd.Series:
    out = audit(text, record)
    assert len(out) == 1, out
    return out.iloc[0]


def test_exact(record):
    c = one("Recommendation 100.1: Make further efforts towards safeguarding the freedom of "
            "expression of all citizens (Norway).", record)
    assert (c["kind"], c["cited_paragraph"], c["cited_iso3"], c["finding"]) == (
        "numbered", "100.1", "NOR", "exact")


def test_wrong_number_names_the_right_paragraph(record):
    c = one("Recommendation 100.2: Ensure that human rights defenders can exercise their "
            "legitimate activities, including participation in international mechanisms, "
            "without being subject to reprisals (Switzerland).", record)
    assert c["finding"] == "wrong number"
    assert c["matched_paragraph"] == "100.4"
    assert "100.4" in c["detail"] and "Ghana" in c["detail"]


def test_number_absent_from_the_record(record):
    c = one("Recommendation 76.6: Continue to guarantee young people the access to legal "
            "assistance in conformity with the law (Djibouti).", record)
    assert (c["finding"], c["matched_paragraph"]) == ("wrong number", "100.6")
    assert "no paragraph 76.6" in c["detail"]


def test_paraphrased(record):
    c = one("Recommendation 100.5: Keep strengthening protection of the right of every citizen "
            "to express beliefs and opinions publicly (Chile).", record)
    assert c["finding"] == "paraphrased"
    assert 0.35 <= c["similarity"] < 0.95


def test_wrong_state(record):
    c = one("Recommendation 100.6: Continue to guarantee young people the access to legal "
            "assistance in conformity with the law (Slovakia).", record)
    assert (c["finding"], c["matched_state"]) == ("wrong state", "Djibouti")


def test_not_found(record):
    c = one("Recommendation 100.9: Abolish the death penalty for all crimes without delay "
            "(France).", record)
    assert c["finding"] == "not found"
    assert pd.isna(c["matched_paragraph"])


def test_split_across_lines_and_nested_state_name(record):
    text = ("   Recommendation 100.7: Strengthen the independence of the\n"
            "judiciary and guarantee the right to a fair trial (Bolivia (Plurinational\n"
            "State of)).\n")
    c = one(text, record)
    assert (c["cited_iso3"], c["finding"], c["line"]) == ("BOL", "exact", 1)


def test_hyphen_at_a_line_end_joins_a_state_name():
    text = "Recommendation 1.1: Protect lawyers in all cases (Timor-\nLeste).\n"
    c = extract(ReportText.from_string(text)).iloc[0]
    assert c["cited_iso3"] == "TLS"


def test_footnote_numbers_inside_a_citation(record):
    text = ("Recommendation 100.1: Make further efforts towards safeguarding\n"
            "\n41\n\n"
            "the freedom of expression,42 of all citizens (Norway).\n")
    c = one(text, record)
    assert c["finding"] == "exact"
    assert "41" not in c["cited_text"] and "42" not in c["cited_text"]


def test_page_furniture_inside_a_citation(record):
    header = "Some NGO   Mid-Term Assessment\nNovember 2016\n\n"
    text = (f"{header}1\n\nBody text of the first page.\n\n"
            "Recommendation 100.2: Engage constructively with the human rights\n\n"
            f"{header}2\n\n"
            "mechanisms, including the special procedures (Ghana).\n")
    report = ReportText.from_string(text)
    assert {report.lines[i].strip() for i in report.furniture} == {
        "Some NGO   Mid-Term Assessment", "November 2016"}
    c = one(text, record)
    assert (c["finding"], c["cited_paragraph"]) == ("exact", "100.2")
    assert "November" not in c["cited_text"]


def test_chained_citations_in_one_footnote(record):
    text = ("Body.12\n\n12\n\n Recommendation 100.1: Make further efforts towards safeguarding "
            "the freedom of expression of all citizens (Norway); Recommendation 100.3: "
            "Intensify the cooperation with special rapporteurs (Benin); Step up cooperation "
            "with Special Procedures and mandate holders (Albania).\nNext body paragraph "
            "(France) is not a citation.\n")
    out = audit(text, record)
    assert list(out["kind"]) == ["numbered", "numbered", "continuation"]
    assert list(out["cited_paragraph"]) == ["100.1", "100.3", "100.3"]
    assert list(out["cited_iso3"]) == ["NOR", "BEN", "ALB"]
    assert set(out["finding"]) == {"exact"}
    assert out["chain"].nunique() == 1 and set(out["footnote"]) == {12}


def test_quoted_text_without_a_number(record):
    text = ("The government accepted Switzerland\u2019s recommendation to \u201censure that "
            "human rights defenders can exercise their legitimate activities, including "
            "participation in international mechanisms, without being subjected to "
            "reprisals.\u201d7 It also said \u201cthe weather was fine all week long in the "
            "capital city.\u201d\n")
    c = one(text, record)
    assert (c["kind"], c["cited_iso3"], c["finding"], c["matched_paragraph"]) == (
        "quoted", "CHE", "exact", "100.4")
    assert c["footnote"] == 7


def test_quoted_text_given_to_the_wrong_state(record):
    text = ("China accepted Norway's recommendation to \u201ccontinue to guarantee young people "
            "the access to legal assistance in conformity with the law.\u201d\n")
    c = one(text, record)
    assert (c["kind"], c["finding"], c["matched_state"]) == ("quoted", "wrong state",
                                                            "Djibouti")


def test_quote_introduced_as_a_recommendation_but_not_in_the_record(record):
    text = ("China accepted France\u2019s recommendation to \u201cabolish the death penalty for "
            "all crimes without any delay whatsoever\u201d.\n")
    c = one(text, record)
    assert (c["kind"], c["cited_iso3"], c["finding"]) == ("quoted", "FRA", "not found")


def test_record_without_columns_is_an_error():
    with pytest.raises(ValueError, match="lacks columns"):
        Record.from_state_level(pd.DataFrame({"paragraph_id": ["1.1"]}))
