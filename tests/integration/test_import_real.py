"""``uprlib import`` of a real OHCHR file into a clean project, then prepare and Review."""

from __future__ import annotations

import shutil

import pytest
import tomli_w

from uprlib.load.prepare import prepare_all
from uprlib.load.user_import import import_file
from uprlib.output.curated import rows_used
from uprlib.output.markup import escape
from uprlib.output.provenance import files_used
from uprlib.output.review import Review
from uprlib.paper.pages import data_and_methods
from uprlib.workspace import registry
from uprlib.workspace.fetch import fetch_file, mirror_dirs
from uprlib.workspace.registry import builtin_registry, load_registry, user_registry_path

pytestmark = pytest.mark.integration

KEY = "matrix_svn_2025"


@pytest.fixture
def clean_project(tmp_path, monkeypatch):
    """An empty project beside the real mirror, its built-in registry as it was before
    Slovenia's cycle-4 file was added (so the review can only come from an import)."""
    mirrors = mirror_dirs()
    if not mirrors:
        pytest.skip("no local data mirror")
    original = fetch_file(next(f for f in builtin_registry() if f.key == KEY))
    builtin = tmp_path / "registry.toml"
    builtin.write_text(tomli_w.dumps(
        {"file": [f.to_toml() for f in builtin_registry() if f.key != KEY]}))
    root = tmp_path / "project"
    root.mkdir()
    monkeypatch.setenv("UPRLIB_ROOT", str(root))
    monkeypatch.setenv("UPRLIB_DATA_MIRROR", ":".join(str(m) for m in mirrors))
    for var in ("UPRLIB_RAW_DIR", "UPRLIB_PROCESSED_DIR", "UPRLIB_OUTPUTS_DIR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(registry, "REGISTRY_FILE", builtin)
    download = tmp_path / "downloads" / "Slovenia 4th cycle (copy).docx"
    download.parent.mkdir()
    shutil.copyfile(original, download)
    return root, download


def test_imported_review_is_prepared_and_reviewed(clean_project):
    root, download = clean_project
    result = import_file(download)
    assert result.added
    e = result.entry
    assert (e.meta["sur_iso3"], e.meta["cycle"], e.meta["session"], e.meta["year"],
            e.meta["symbol"]) == ("SVN", 4, 48, 2025, "A/HRC/59/15")
    assert e in load_registry() and user_registry_path() == root / "data" / "registry.user.toml"
    assert (root / "data" / "raw" / e.path).is_file()

    out = root / "data" / "processed"
    prepare_all(out)
    review = Review("SVN", 4, processed_dir=out)
    assert review.source == "ohchr_matrix"
    assert len(review.paragraphs) == 254
    assert review.paragraphs["response"].value_counts().to_dict() == {"accepted": 217,
                                                                     "noted": 37}
    assert review.year == 2025
    assert set(review.state["source_file"]) == {e.name}
    assert e.name == f"{e.sha256[:12]}_Slovenia-4th-cycle-copy.docx"  # no space or bracket

    # the paper's data appendix lists the file by its safe path, never its original name
    appendix = data_and_methods(review, {}, files_used(review), rows_used("SVN", 4))
    assert f"| {escape('user/' + e.name)} [@data-{e.key.replace('_', '-')}]" in appendix
    assert "1 of them (under `user/`) was added" in appendix
    assert "(copy)" not in appendix and "Slovenia 4th" not in appendix

    again = import_file(download)
    assert not again.added and "already registered" in again.message


def test_a_file_the_registry_already_has_is_a_no_op(clean_project, monkeypatch):
    root, download = clean_project
    monkeypatch.undo()  # the real built-in registry, which has this file
    monkeypatch.setenv("UPRLIB_ROOT", str(root))
    result = import_file(download)
    assert not result.added and result.entry.key == KEY
    assert not user_registry_path().exists()
    assert not (root / "data").exists()
