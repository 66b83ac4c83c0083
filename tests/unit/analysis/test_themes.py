import pandas as pd
import pytest

from uprlib.analysis import themes


@pytest.mark.parametrize("text", [
    "Ratify the ICCPR",
    "Consider ratifying the International Covenant on Civil and Political Rights",
    "Set out a clear legislative timetable for ratification of the ICCPR",
    "Ratify outstanding core instruments, including the ICCPR",
    "Consider ratifying the ICCPR and establishing a National Human Rights Institution",
    "Abide by its commitment and establish a clear timeframe in order to ratify ICCPR",
])
def test_asks_iccpr_ratification(text):
    assert themes.asks_iccpr_ratification(text)


@pytest.mark.parametrize("text", [
    "Speed up the process of ratification of the ICCPR-OP2",
    "Take steps towards the ratification of ICCPR’s two optional protocols",
    "Ratify the Second Optional Protocol to ICCPR aiming at the abolition of the death penalty",
    "Accede to the First OP to the ICCPR",
    "Reform its administrative justice system, including by ending X, and ratify the ICCPR",
    "Ensure that all laws comply with the Constitution and the ICCPR",
    "Ratify the CPED",
])
def test_does_not_ask_iccpr_ratification(text):
    assert not themes.asks_iccpr_ratification(text)


def _recs(rows):
    cols = ["paragraph_key", "text", "theme_codes", "themes", "source", "response"]
    return pd.DataFrame(rows, columns=cols)


def test_paragraph_counts_when_any_clause_asks():
    recs = _recs([
        ["p1", "Ratify ICCPR", None, None, "ohchr_matrix", "noted"],
        ["p1", "Accede to the First OP to the ICCPR", None, None, "ohchr_matrix", "noted"],
        ["p2", "Ratify the ICCPR-OP2", None, None, "ohchr_matrix", "noted"],
    ])
    got = themes.iccpr_ratification(recs)
    assert list(got["paragraph_key"]) == ["p1", "p1"]
    assert list(got["asks_ratification"]) == [True, False]


def test_section_rule_by_code_issue_and_text():
    recs = _recs([
        ["a", "Cooperate fully", "A24", "Cooperation with special procedures", "ohchr_matrix",
         "accepted"],
        ["b", "Do something", None, "Special procedures", "upr_info", "accepted"],
        ["c", "Extend a standing invitation to all mandate holders", None, "General",
         "upr_info", "noted"],
        ["d", "Build schools", "E51", "Right to education", "ohchr_matrix", "accepted"],
    ])
    got = themes.select(recs, "treaty_bodies").set_index("paragraph_key")
    assert list(got.index) == ["a", "b", "c"]
    assert got.at["a", "matched_by"] == "theme code"
    assert got.at["b", "matched_by"] == "UPR Info issue"
    assert got.at["c", "matched_by"] == "text"
    assert got.at["c", "topics"] == "special procedures"


def test_rules_are_described():
    for rule in themes.RULES.values():
        assert rule.title in rule.describe()
