"""The read API over data/processed/: a damaged table is one error line, not a traceback."""

import pandas as pd
import pytest

from uprlib import cli
from uprlib.errors import DataError
from uprlib.output import tables
from uprlib.workspace.paths import RECOMMENDATIONS_FILE


def test_truncated_table_names_the_file_and_the_fix(tmp_path, monkeypatch, capsys):
    path = tmp_path / RECOMMENDATIONS_FILE
    pd.DataFrame({"sur_iso3": ["NOR"] * 50, "cycle": range(50)}).to_parquet(path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    monkeypatch.setenv("UPRLIB_PROCESSED_DIR", str(tmp_path))
    assert cli.main(["summary", "--country", "NOR", "--cycle", "1"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"uprlib summary: error: {path} cannot be read (")
    assert err[0].endswith("run `uprlib prepare` to rebuild it")
    path.write_text("not parquet at all", encoding="utf-8")
    with pytest.raises(DataError, match="cannot be read"):
        tables.all_recommendations(tmp_path)
