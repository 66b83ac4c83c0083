"""Which papers `uprlib site` builds, and that a failed build becomes its state's error while
the others go on (through the workflow)."""

from __future__ import annotations

import shutil

import pytest

from uprlib.errors import NoDataError
from uprlib.pipeline.site import build_papers, papers_to_build

from ..synthetic import rec, write


@pytest.fixture()
def folder(tmp_path):
    rows = [rec(s, c, i, "FRA", f"Recommendation {i}", "accepted")
            for s, cycles in (("NOR", (1, 2)), ("CUB", (1,)), ("VNM", (2,)))
            for c in cycles for i in range(2)]
    return write(rows, tmp_path / "processed")


def test_papers_asked_for(folder):
    assert papers_to_build([1, 2], "NOR,Cuba", processed_dir=folder) == \
        ([("NOR", 1), ("NOR", 2), ("CUB", 1)], [])
    # a real state without a review in these cycles: noted, not an error
    assert papers_to_build([2], "CUB,VNM", processed_dir=folder) == ([("VNM", 2)], ["CUB"])
    assert papers_to_build([1], None, processed_dir=folder) == ([], [])
    assert papers_to_build([1], None, all_papers=True, processed_dir=folder) == \
        ([("CUB", 1), ("NOR", 1)], [])
    with pytest.raises(NoDataError, match="Atlantis"):
        papers_to_build([1], "NOR,Atlantis", processed_dir=folder)


@pytest.mark.skipif(shutil.which("quarto") is not None, reason="quarto is installed here")
def test_a_failed_paper_is_a_status_with_its_error(folder, tmp_path, monkeypatch):
    monkeypatch.setenv("UPRLIB_OUTPUTS_DIR", str(tmp_path / "outputs"))
    # asking for Quarto where there is none fails each build at once
    statuses = build_papers([("NOR", 1), ("CUB", 1)], renderer="quarto", workers=2,
                            progress=False, processed_dir=folder)
    assert set(statuses) == {("NOR", 1), ("CUB", 1)}
    for status in statuses.values():
        assert status.state == "failed" and status.html is None
        assert status.error.startswith("RenderError: quarto is not on PATH")
