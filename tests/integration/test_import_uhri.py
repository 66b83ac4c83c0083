"""From a fresh project: ``uprlib import`` of a UHRI-shaped export, then the paper of the
imported cycle-4 review through the real workflow, the coverage, the cross-check against the
OHCHR matrix of a review both cover, and the atlas.

The project is a temporary folder beside the real data mirror (``UPRLIB_ROOT``; the workflow,
notebooks and Quarto configuration are linked from the checkout), so nothing is imported into
the real tree. The export holds Norway's cycle-4 review (session 44: 40 paragraphs, some
partly supported, a joint one every five), a treaty-body row, and Slovenia's cycle-4 review
rebuilt from the rows of its real OHCHR thematic list with one position changed, so that the
cross-check has something to find.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from unit.uhri_xlsx import one_review, other_row, upr_row, write_xlsx

from uprlib import cli
from uprlib.workspace.fetch import mirror_dirs
from uprlib.workspace.paths import curated_dir, project_root

pytestmark = pytest.mark.integration

PARAGRAPHS = 40


def _slovenia_rows(processed: Path) -> list[dict[str, object]]:
    """Slovenia's cycle-4 paragraphs as UHRI rows, from the real thematic list (the
    paragraph's text with its states in parentheses at the end, as the report prints it),
    with the position of 140.8 changed."""
    recs = pd.read_parquet(processed / "recommendations.parquet")
    svn = recs.loc[(recs["sur_iso3"] == "SVN") & (recs["cycle"] == 4)]
    rows = []
    for pid, g in svn.groupby("paragraph_id", sort=False):
        response = g["response"].iloc[0]
        position = {"accepted": "Supported", "noted": "Noted"}[response]
        if pid == "140.8":
            position = "Noted" if position == "Supported" else "Supported"
        states = list(g["recommending_state_raw"].dropna())
        rows.append(upr_row(pid, str(g["paragraph_text"].iloc[0]), "Slovenia", states,
                            position, 48, symbol="A/HRC/59/15", suffix=False))
    return rows


@pytest.fixture(scope="module")
def imported(processed, tmp_path_factory):
    mirrors, curated = mirror_dirs(), curated_dir()  # the checkout's, before the root moves
    if not mirrors:
        pytest.skip("no local data mirror")
    base = tmp_path_factory.mktemp("uhri-project")
    root = base / "project"
    root.mkdir()
    checkout = project_root()
    for name in ("workflow", "notebooks", "_quarto.yml"):
        (root / name).symlink_to(checkout / name)
    mp = pytest.MonkeyPatch()
    mp.setenv("UPRLIB_ROOT", str(root))
    mp.setenv("UPRLIB_DATA_MIRROR", ":".join(str(m) for m in mirrors))
    mp.setenv("UPRLIB_CURATED_DIR", str(curated))
    for var in ("UPRLIB_RAW_DIR", "UPRLIB_PROCESSED_DIR", "UPRLIB_OUTPUTS_DIR"):
        mp.delenv(var, raising=False)
    rows = [*one_review("Norway", 44, PARAGRAPHS), other_row("CRC"), *_slovenia_rows(processed)]
    export = write_xlsx(base / "UHRI export.xlsx", rows)
    assert cli.main(["import", "-q", str(export)]) == 0
    yield root, export
    mp.undo()


def test_the_imported_review_gets_its_paper(imported, capsys):
    root, _ = imported
    assert cli.main(["paper", "--country", "NOR", "--cycle", "4", "--renderer", "pandoc"]) == 0
    html = root / "outputs" / "NOR-cycle4" / "paper" / "paper.html"
    assert html.is_file() and (html.parent / "paper.pdf").is_file()
    text = " ".join(html.read_text(encoding="utf-8").split())
    text = re.sub(r"<[^>]+>", " ", text).replace("&#39;", "'").replace("’", "'")
    text = " ".join(text.split())
    # the paragraph counts of the file: 40 paragraphs, every 9th split, every 4th noted
    split = PARAGRAPHS // 9
    noted = PARAGRAPHS // 4 - PARAGRAPHS // 36
    assert (f"Norway received {PARAGRAPHS} recommendation paragraphs" in text)
    assert (f"and accepted {PARAGRAPHS - split - noted} "
            f"({100 * (PARAGRAPHS - split - noted) / PARAGRAPHS:.0f}%), supported {split} only "
            f"in part (counted apart) and noted {noted}") in text
    assert "Universal Human Rights Index" in text
    assert re.search(r"user/[0-9a-f]{12}_UHRI-export\.xlsx", text)  # the appendix's raw file
    assert "UHRI export.xlsx" not in text  # never the original name


def test_coverage_and_the_cross_check_show_the_import(imported, capsys):
    root, _ = imported
    assert cli.main(["reviews", "--coverage", "--json"]) == 0
    rows = {r["cycle"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows[4]["states"] == 2
    assert (rows[4]["uhri covers"], rows[4]["uhri used"]) == (2, 1)  # NOR; SVN is the matrix's
    assert (rows[4]["ohchr_matrix covers"], rows[4]["ohchr_matrix used"]) == (1, 1)
    processed = root / "data" / "processed"
    quality = json.loads((processed / "data_quality.json").read_text())
    pair = quality["crosscheck"]["by_review"]["SVN cycle 4"]["ohchr_matrix vs uhri"]
    assert pair["paragraphs"]["ohchr_matrix"] == pair["paragraphs"]["uhri"] == 254
    cross = pd.read_csv(processed / "crosscheck.csv", dtype=str)
    svn = cross.loc[(cross["review"] == "SVN cycle 4") & (cross["source_b"] == "uhri")]
    differs = svn.loc[svn["status"] == "response_differs", "a_paragraph_id"]
    assert set(differs) == {"140.8"}
    assert (svn["status"] == "agree").mean() > 0.9
    assert "uhri" in quality["readers"] and quality["rows_by_source"]["uhri"] > PARAGRAPHS


def test_the_atlas_lists_the_imported_review(imported):
    root, _ = imported
    assert cli.main(["site", "--cycle", "4", "--renderer", "pandoc"]) == 0
    site = root / "outputs" / "site" / "_site"
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="states/NOR.html"' in index and 'href="states/SVN.html"' in index
    reviews = pd.read_csv(root / "outputs" / "site" / "reviews.csv")
    nor = reviews.set_index("sur_iso3").loc["NOR"]
    assert (nor["cycle"], nor["paragraphs"], nor["source"]) == (4, PARAGRAPHS, "uhri")
