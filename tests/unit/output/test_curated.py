import shutil

import pytest

from uprlib.output import curated
from uprlib.workspace.paths import curated_dir


@pytest.mark.parametrize("name", sorted(curated.SCHEMAS))
def test_committed_tables_validate_and_cite_a_source(name):
    df = curated.load(name)
    assert len(df) > 0
    assert df["source"].str.len().min() >= 3


def test_no_rows_for_another_country_is_empty_not_an_error():
    assert curated.load("laws", "NOR").empty


def test_bad_row_names_the_file(tmp_path):
    shutil.copy(curated_dir() / "visit_requests.csv", tmp_path / "visit_requests.csv")
    with open(tmp_path / "visit_requests.csv", "a") as fh:
        fh.write("CHN,Some mandate,nineteen,,pending,somewhere\n")
    with pytest.raises(ValueError, match="visit_requests.csv fails its schema"):
        curated.load("visit_requests", folder=tmp_path)
