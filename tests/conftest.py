"""Shared fixtures. Integration tests fetch the raw files from the local mirror and build the
canonical tables once per session into a temporary folder."""

from __future__ import annotations

import pytest

from uprlib.workspace.fetch import mirror_dirs


@pytest.fixture(scope="session")
def processed(tmp_path_factory):
    """Folder holding tables freshly built by ``prepare_all`` from the real raw files."""
    if not mirror_dirs():
        pytest.skip("no local data mirror (../shared/upr-data or $UPRLIB_DATA_MIRROR)")
    from uprlib.load.prepare import prepare_all

    out = tmp_path_factory.mktemp("processed")
    prepare_all(out)
    return out
