"""Papers of five states from different regions and cycles read as written for that state.

Each paper is built once. Viet Nam's goes through the command line as a researcher would:
``uprlib curate --country VNM --cycle 2``, two template rows filled in, ``uprlib paper``; the
others are assembled from their executed notebooks (``paper.qmd``; the HTML and PDF renderers
are exercised by Viet Nam's paper and by test_paper.py). Checked: outside the introduction's
reference to the 2016 assessment, no heading, caption or note mentions China or its events
(table cells are data: China may be a recommending state or a peer); the data appendix lists
exactly the raw files of that state's rows, its ratification rows and the session table.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from uprlib import cli
from uprlib.output.review import Review
from uprlib.paper import assemble
from uprlib.pipeline.runner import run
from uprlib.workspace.paths import curated_dir

pytestmark = pytest.mark.integration

# Africa (cycle 1, UPR Info), WEOG and GRULAC (cycle 2, UPR Info), Eastern Europe (cycle 4,
# OHCHR thematic list); Viet Nam (Asia-Pacific, cycle 2) below
OTHERS = [("KEN", 1), ("NOR", 2), ("MEX", 2), ("SVN", 4)]
CHINA_SPECIFIC = re.compile(r"China|Chinese|HRIC|hric|crackdown|\b709\b|lawyers and activists"
                            r"|[Ss]ecurity and civil", re.IGNORECASE)

VNM_EVENT = {"section": "access_to_justice", "title": "Arrest of lawyer Nguyen Van Dai",
             "kind": "detentions", "date": "2015-12-16", "fact": "lawyers detained",
             "value": "1", "unit": "persons", "as_of_date": "2016-12-31",
             "source": "Amnesty International, Annual Report 2016/17: Viet Nam (2017), p. 390"}
VNM_VISIT = {"mandate": "Special Rapporteur on freedom of expression",
             "year_requested": "2002", "reminders": "2011", "status_at_report": "pending",
             "source": "https://spinternet.ohchr.org/ViewCountryVisits.aspx "
                       "(accessed 2026-11-30)"}


def _fill(path: Path, iso3: str, values: dict[str, str]) -> None:
    """Fill the template row of ``iso3`` in a curated CSV."""
    rows = list(csv.reader(path.open(encoding="utf-8")))
    header = rows[0]
    [row] = [r for r in rows[1:] if r[0] == iso3 and any(c.startswith("TODO") for c in r)]
    for key, value in values.items():
        row[header.index(key)] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@pytest.fixture(scope="module")
def viet_nam(tmp_path_factory):
    """``uprlib curate`` then two rows filled, then ``uprlib paper`` (HTML and PDF)."""
    tmp = tmp_path_factory.mktemp("vnm")
    folder = tmp / "curated"
    shutil.copytree(curated_dir(), folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("UPRLIB_CURATED_DIR", str(folder))
        mp.setenv("UPRLIB_PROCESSED_DIR", str(tmp / "processed"))
        mp.setenv("UPRLIB_OUTPUTS_DIR", str(tmp / "outputs"))
        assert cli.main(["curate", "--country", "VNM", "--cycle", "2"]) == 0
        _fill(folder / "events.csv", "VNM", VNM_EVENT)
        _fill(folder / "visit_requests.csv", "VNM", VNM_VISIT)
        assert cli.main(["paper", "--country", "VNM", "--cycle", "2",
                         "--renderer", "pandoc"]) == 0
    paper = tmp / "outputs" / "VNM-cycle2" / "paper"
    return paper, tmp / "processed"


@pytest.fixture(scope="module")
def others(processed, tmp_path_factory):
    """paper.qmd of each of the other states, assembled from its executed notebooks."""
    out = {}
    for iso3, cycle in OTHERS:
        # the workflow writes each review under <outputs>/<ISO3>-cycle<N>
        review = Review(iso3, cycle, processed,
                        tmp_path_factory.mktemp(iso3) / f"{iso3}-cycle{cycle}")
        notebooks = run(iso3, cycle, processed_dir=processed, output_dir=review.output_dir,
                        progress=False)
        out[iso3] = assemble(review, notebooks, "pandoc").read_text(encoding="utf-8")
    return out


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def _prose_outside_introduction(qmd: str) -> str:
    """Headings, captions, notes of a paper.qmd: no table rows, no introduction."""
    intro = re.search(r"^# Introduction .*?(?=^# )", qmd, flags=re.S | re.M)
    assert intro, "no introduction"
    text = qmd.replace(intro.group(0), "")
    return "\n".join(line for line in text.splitlines() if not line.startswith("|"))


def _appendix_files(qmd: str) -> set[str]:
    part = qmd.split("## Raw files", 1)[1].split("## Curated facts", 1)[0]
    paths = re.findall(r"^\| (\S+) \[@", part, flags=re.M)  # escaped as literal text
    return {Path(re.sub(r"\\(.)", r"\1", m)).name for m in paths}


def _expected_files(iso3: str, cycle: int, processed: Path) -> set[str]:
    """Read from the tables here: the files of the state's rows (each review from its first
    source in the order OHCHR file, DIHR, UPR Info 2018, UPR Info 1-20; for this review also
    both UPR Info exports' rows when another source is used, since their action categories
    are borrowed), its ratification rows, the session table."""
    order = ["ohchr_matrix", "dihr", "upr_info_2018", "upr_info"]
    upr_info = {"upr_info_2018", "upr_info"}
    recs = pd.read_parquet(processed / "recommendations.parquet",
                           columns=["sur_iso3", "cycle", "source", "source_file"])
    rat = pd.read_parquet(processed / "ratification.parquet", columns=["iso3", "source_file"])
    state = recs.loc[recs["sur_iso3"] == iso3]
    files = {"upr_sessions.csv"} | set(rat.loc[rat["iso3"] == iso3, "source_file"])
    for c, rows in state.groupby("cycle"):
        used = next(s for s in order if s in set(rows["source"]))
        files |= set(rows.loc[rows["source"] == used, "source_file"])
        if c == cycle and used not in upr_info:
            files |= set(rows.loc[rows["source"].isin(upr_info), "source_file"])
    return files


@pytest.mark.parametrize("iso3", [c for c, _ in OTHERS])
def test_no_china_specific_text_and_only_own_sources(others, processed, iso3):
    qmd = others[iso3]
    prose = _prose_outside_introduction(qmd)
    found = CHINA_SPECIFIC.findall(prose)
    assert not found, f"{iso3}: {found}"
    assert _appendix_files(qmd) == _expected_files(iso3, dict(OTHERS)[iso3], processed)
    assert "No curated events for" in qmd and "uprlib curate --country " + iso3 in qmd
    assert "No curated facts on" in qmd  # appendix: nothing curated for this state


def test_viet_nam_paper_shows_its_own_curated_rows_with_sources(viet_nam):
    paper, processed = viet_nam
    qmd = (paper / "paper.qmd").read_text(encoding="utf-8")
    found = CHINA_SPECIFIC.findall(_prose_outside_introduction(qmd))
    assert not found, found
    assert _appendix_files(qmd) == _expected_files("VNM", 2, processed)
    html = (paper / "paper.html").read_text(encoding="utf-8")
    body = _text(html)
    assert (paper / "paper.pdf").read_bytes()[:5] == b"%PDF-"
    # the event under its own title, with its figure and source, in access to justice
    justice = _text(_between(html, 'id="sec-access-to-justice"', 'id="sec-conclusions"'))
    assert "Arrest of lawyer Nguyen Van Dai" in justice
    assert "lawyers detained" in justice and "Amnesty International, Annual Report" in justice
    # the visit request in the treaty-bodies section, with its source
    assert "Special Rapporteur on freedom of expression" in body
    assert "ViewCountryVisits.aspx (accessed 2026-11-30)" in body
    # and both rows in the appendix's list of curated rows, with their sources
    appendix = _text(_between(html, 'id="sec-data-methods"', 'id="references"'))
    assert "events.csv" in appendix and "visit_requests.csv" in appendix
    assert "Amnesty International" in appendix and "spinternet.ohchr.org" in appendix
    assert "Human Rights in China" not in appendix
