"""The data dictionary: built from every registered schema, every column described."""

import pytest
from pandera.pandas import Check, Column, DataFrameSchema

from uprlib.load import schemas
from uprlib.output import crosscountry, curated
from uprlib.output.dictionary import (
    DICTIONARY_COLUMNS,
    data_dictionary,
    describe_check,
    registered_schemas,
)
from uprlib.output.markup import escape
from uprlib.paper.dictionary import dictionary_markdown, readme_copy, update_readme
from uprlib.workspace.paths import project_root

from ..synthetic import rec, write


def test_every_column_of_every_registered_table_is_listed_with_a_description():
    table = data_dictionary()
    assert list(table.columns) == DICTIONARY_COLUMNS
    expected = [(t, c) for t, s in registered_schemas().items() for c in s.columns]
    assert list(zip(table["table"], table["column"], strict=True)) == expected
    undescribed = table.loc[table["description"].str.strip() == "", ["table", "column"]]
    assert undescribed.empty, f"columns without a description:\n{undescribed}"


def test_the_three_kinds_of_table_are_registered():
    tables = set(registered_schemas())
    assert {"recommendations.parquet", "ratification.parquet"} <= tables
    assert {f"curated/{name}.csv" for name in curated.SCHEMAS} <= tables
    assert "batch-cycle<N>/summary.csv" in tables


def test_a_schema_registered_with_the_curated_tables_joins_the_dictionary(monkeypatch):
    extra = DataFrameSchema({"when": Column("datetime64[ns]", nullable=True,
                                            description="the day it happened")})
    monkeypatch.setitem(curated.SCHEMAS, "new_facts", extra)
    row = data_dictionary().set_index(["table", "column"]).loc[("curated/new_facts.csv", "when")]
    assert (row["type"], row["nullable"], row["description"]) == ("date", "yes",
                                                                   "the day it happened")


def rows_of(table: str, column: str):
    """The dictionary's row for one column."""
    return data_dictionary().set_index(["table", "column"]).loc[(table, column)]


def test_checks_and_uniqueness_are_described_in_words():
    assert describe_check(Check.isin(["accepted", "noted"])) == "one of: accepted, noted"
    assert describe_check(Check.in_range(1, 60)) == "1 to 60"
    assert describe_check(Check.str_length(min_value=1)) == "not empty"
    assert describe_check(Check.str_length(max_value=160)) == "at most 160 characters"
    assert describe_check(Check.ge(1)) == "at least 1"
    assert describe_check(Check.le(2026, description="until now")) == "until now"
    year = rows_of("recommendations.parquet", "year")
    assert year["checks"] == "2008 to the current year"  # not this year's number
    rows = data_dictionary().set_index(["table", "column"])
    assert rows.loc[("recommendations.parquet", "rec_id"), "checks"] == "unique"
    assert rows.loc[("ratification.parquet", "iso3"), "checks"].endswith(
        "unique together with instrument")
    assert rows.loc[("recommendations.parquet", "cycle"), "type"] == "integer"


def test_the_summary_schema_matches_the_computed_summary(tmp_path):
    rows = [rec("CUB", 1, 1, "NOR", "Ratify the ICCPR", "accepted", action=5),
            rec("CUB", 1, 2, "FRA", "Abolish the death penalty", "noted", action=2),
            rec("NOR", 1, 1, "CUB", "Combat trafficking", "accepted", action=None)]
    folder = write(rows, tmp_path / "processed")
    crosscountry.SUMMARY.validate(crosscountry.summary_table(1, folder))
    assert list(crosscountry.SUMMARY_COLUMNS) == list(crosscountry.SUMMARY.columns)


def test_the_readme_copy_is_the_generated_dictionary():
    readme = project_root() / "README.md"
    assert readme_copy(readme.read_text(encoding="utf-8")) == dictionary_markdown(), (
        "README.md's data dictionary is out of date: run `make dictionary`")


def test_update_readme_replaces_only_the_text_between_the_markers(tmp_path):
    from uprlib.paper.dictionary import README_END, README_START

    readme = tmp_path / "README.md"
    readme.write_text(f"# T\n\nbefore\n\n{README_START}\nold | table\n{README_END}\n\nafter\n")
    update_readme(readme)
    text = readme.read_text()
    assert text.startswith("# T\n\nbefore\n\n") and text.endswith(f"{README_END}\n\nafter\n")
    assert readme_copy(text) == dictionary_markdown()
    readme.write_text("no markers")
    with pytest.raises(Exception, match="no data dictionary"):
        update_readme(readme)


def test_the_paper_table_has_one_line_per_column_of_every_table():
    markdown = dictionary_markdown()
    lines = markdown.splitlines()
    assert len(lines) == len(data_dictionary()) + 2  # header and rule
    assert lines[0] == "| " + " | ".join(DICTIONARY_COLUMNS) + " |"
    processed = (escape(name) for name in schemas.TABLES)  # cells are literal text
    assert sum(len(s.columns) for s in schemas.TABLES.values()) == sum(
        line.startswith(f"| {name} |") for name in processed for line in lines)
    assert r"matches ^[A-Z]{3}$" not in markdown and r"matches \^\[A\-Z\]\{3\}\$" in markdown
