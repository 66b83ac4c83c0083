"""The OHCHR reader on the real Word files of China (2013, 2018) and Slovenia (2014, 2019, 2025)."""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pytest

import uprlib
from uprlib.extract.ohchr_matrix import cell_text, explode_states, read_file
from uprlib.transform import countries
from uprlib.workspace.fetch import fetch_file
from uprlib.workspace.registry import builtin_registry

pytestmark = pytest.mark.integration

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# key: paragraphs, accepted, noted (from the files; China's are the Working Group reports')
FIGURES = {
    "matrix_chn_2013": (252, 204, 48),
    "matrix_chn_2018": (346, 284, 62),
    "matrix_svn_2014": (163, 142, 21),
    "matrix_svn_2019": (215, 182, 33),
    "matrix_svn_2025": (254, 217, 37),
}


def _entry(key: str):
    return next(f for f in builtin_registry() if f.key == key)


def _rows_in_xml(path: Path) -> Counter:
    """Independent of the reader: the position cell of every table row of the Word XML whose
    first cell starts with a paragraph number."""
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("word/document.xml"))
    positions: Counter = Counter()
    for tr in root.iter(f"{W}tr"):
        cells = ["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.findall(f"{W}tc")]
        if cells and re.match(r"\s*\d+\.\d+", cells[0]):
            positions[cells[1].strip()] += 1
    return positions


def test_every_ohchr_entry_is_covered():
    assert {f.key for f in builtin_registry() if f.role == "ohchr_matrix"} == set(FIGURES)


@pytest.mark.parametrize("key", sorted(FIGURES))
def test_every_row_is_read_and_the_review_is_the_registered_one(key):
    entry = _entry(key)
    path = fetch_file(entry)
    f = read_file(path)
    paragraphs, accepted, noted = FIGURES[key]
    df = f.paragraphs
    assert len(df) == paragraphs
    assert df["response"].value_counts().to_dict() == {"accepted": accepted, "noted": noted}
    assert _rows_in_xml(path) == Counter({"Supported": accepted, "Noted": noted})
    # what the file says agrees with the registry
    r = f.review
    assert countries.iso3_of(r.state) == entry.meta["sur_iso3"]
    assert (r.cycle, r.session, r.symbol) == (entry.meta["cycle"], entry.meta["session"],
                                              entry.meta["symbol"])
    # every paragraph has text and themes; every recommending state maps to a country
    assert (df["paragraph_text"].str.len() > 10).all()
    assert (df["theme_labels"] != "").all()
    states = explode_states(df, path)
    assert set(countries.to_iso3(states["recommending_state"], where=key).values()) <= set(
        countries.countries()["iso3"])


@pytest.mark.parametrize("key", sorted(FIGURES))
def test_fast_cell_text_equals_python_docx(key):
    import docx

    d = docx.Document(str(fetch_file(_entry(key))))
    cells = [c for t in d.tables for row in t.rows for c in row.cells]
    assert len(cells) > 600
    assert [cell_text(c) for c in cells] == [c.text for c in cells]


def test_cycle4_sdgs_and_groups_of_persons():
    df = read_file(fetch_file(_entry("matrix_svn_2025"))).paragraphs
    assert (df["sdgs"] != "").all()
    assert (df["affected_persons"] != "").all()
    goals = {int(g) for s in df["sdgs"] for g in s.split(" | ")}
    assert goals <= set(range(1, 18)) and len(goals) > 5


def test_china_cycle2_state_level(processed):
    state = uprlib.load_recommendations("CHN", 2, "state", folder=processed)
    assert len(state) == 286
    assert (state["response"] == "accepted").sum() == 209
    assert state["recommending_iso3"].nunique() == 125


@pytest.mark.parametrize("cycle", [2, 3, 4])
def test_slovenia_reviews_come_from_the_thematic_lists(processed, cycle):
    key = {2: "matrix_svn_2014", 3: "matrix_svn_2019", 4: "matrix_svn_2025"}[cycle]
    para = uprlib.load_recommendations("SVN", cycle, "paragraph", folder=processed)
    paragraphs, accepted, noted = FIGURES[key]
    assert len(para) == paragraphs
    assert (para["response"] == "accepted").sum() == accepted
    assert set(para["source"]) == {"ohchr_matrix"}
    assert set(para["year"]) == {_entry(key).meta["year"]}


def test_slovenia_cycle2_agrees_with_uprinfo(processed):
    """UPR Info has the same 180 state-level recommendations, with the same responses."""
    cross = uprlib.load_crosscheck(processed)
    pair = (cross["source_a"] == "ohchr_matrix") & (cross["source_b"] == "upr_info")
    counts = cross.loc[(cross["review"] == "SVN cycle 2") & pair, "status"].value_counts().to_dict()
    upr = uprlib.load_recommendations("SVN", 2, source="upr_info", folder=processed)
    assert counts.get("response_differs", 0) == 0
    assert counts["agree"] == len(upr)


@pytest.mark.parametrize("cycle", [3, 4])
def test_every_section_runs_on_a_thematic_list(processed, cycle):
    """The later formats (themes without codes, SDGs, groups of persons) feed every section."""
    from uprlib.analysis import civil_society, iccpr, justice, mechanisms, overview
    from uprlib.output.review import Review

    r = Review("SVN", cycle, processed)
    for module in (overview, mechanisms, iccpr, civil_society, justice):
        assert module.key_figures(r)["country"] == "SVN"
    assert overview.key_figures(r)["paragraphs"] == len(r.paragraphs)
