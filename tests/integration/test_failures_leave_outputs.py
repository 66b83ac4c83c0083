"""A failing prepare leaves data/processed/ exactly as it was."""

import hashlib
import shutil

import pytest

from uprlib.extract import uprinfo
from uprlib.load import prepare
from uprlib.transform.countries import UnmappedCountryError

pytestmark = pytest.mark.integration


def _snapshot(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture
def out(processed, tmp_path):
    folder = tmp_path / "processed"
    shutil.copytree(processed, folder)
    return folder


def test_unknown_country_fails_cleanly(out, monkeypatch):
    before = _snapshot(out)
    real = uprinfo.read_all

    def with_atlantis(paths):
        df = real(paths)
        df.loc[df.index[:3], "From"] = "Atlantis"
        return df

    monkeypatch.setattr(uprinfo, "read_all", with_atlantis)
    with pytest.raises(UnmappedCountryError, match="'Atlantis'"):
        prepare.prepare_all(out)
    assert _snapshot(out) == before


def test_bad_matrix_fails_cleanly(out, monkeypatch, tmp_path):
    before = _snapshot(out)
    truncated = tmp_path / "Matrix_recommendations_2013.docx"
    truncated.write_bytes(b"PK\x03\x04")
    real_fetch = prepare.fetch_file
    monkeypatch.setattr(prepare, "fetch_file", lambda e: truncated
                        if e.role == "ohchr_matrix" else real_fetch(e))
    with pytest.raises(ValueError, match="Matrix_recommendations_2013.docx"):
        prepare.prepare_all(out)
    assert _snapshot(out) == before


def test_write_failure_keeps_old_tables(out, monkeypatch):
    before = _snapshot(out)
    monkeypatch.setattr(prepare, "quality_report", lambda t: {"bad": object()})  # not JSON
    with pytest.raises(TypeError):
        prepare.prepare_all(out)
    assert _snapshot(out) == before
