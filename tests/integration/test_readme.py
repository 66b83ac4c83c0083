"""The README's coverage table is the one computed from the prepared data."""

from __future__ import annotations

from pathlib import Path

import pytest

from uprlib.analysis.show import markdown_table
from uprlib.output.tables import coverage

pytestmark = pytest.mark.integration

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_coverage_table_is_the_computed_one(processed):
    text = README.read_text()
    block = text.split("<!-- coverage:start -->\n", 1)[1].split("\n<!-- coverage:end -->", 1)[0]
    table = coverage(processed)
    assert block == markdown_table(table, max_rows=len(table)), (
        "README coverage table is stale: paste `uprlib reviews --coverage --markdown` "
        "between the coverage markers")
