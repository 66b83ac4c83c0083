"""Report texts: where they come from, their encoding, their footnotes."""

from __future__ import annotations

import pytest

from uprlib.audit import ReportError, ReportText, default_report, resolve_report
from uprlib.audit.report_text import report_path

FOOTNOTED = """Title page
Contents
8
11

Body sentence with a figure.3 Another with a lost note.5 A third.9

3
 See the Working Group report, U.N. Doc. A/HRC/99/9 (2013).
9
 Recommendation 100.1: Do something (Norway).
"""


def test_default_report_comes_from_registry_meta():
    assert default_report("CHN", 2) == "hric_2016_report"
    assert default_report("chn", 2) == "hric_2016_report"
    assert default_report("CHN", 3) is None
    assert default_report("VNM", 2) is None


def test_resolve_report():
    assert resolve_report("default", "CHN", 2) == "hric_2016_report"
    assert resolve_report("default", "VNM", 2) is None
    assert resolve_report(None, "CHN", 2) is None
    assert resolve_report("my.txt", "CHN", 2) == "my.txt"


def test_unknown_report_names_the_value(tmp_path):
    with pytest.raises(ReportError, match="nope.txt.*neither a registered report"):
        report_path(tmp_path / "nope.txt")
    f = tmp_path / "mine.txt"
    f.write_text("Recommendation 1.1: x (Norway).", encoding="utf-8")
    assert report_path(f) == ("mine", f)


def test_non_utf8_file_is_an_error_naming_it(tmp_path):
    f = tmp_path / "latin.txt"
    f.write_bytes("C\xf4te d'Ivoire".encode("latin-1"))
    with pytest.raises(ReportError, match="latin.txt: not UTF-8"):
        ReportText.from_file(f)


def test_footnotes_skip_contents_page_numbers_and_lost_markers():
    r = ReportText.from_string(FOOTNOTED)
    assert sorted(r.footnotes) == [3, 9]
    assert "A/HRC/99/9" in r.footnotes[3].text
    assert r.footnotes[9].line == 10 and r.footnotes[9].text.startswith("Recommendation")
