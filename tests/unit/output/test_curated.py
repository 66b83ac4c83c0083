"""Curated tables: schemas, the check (file and line of each error), templates, rows used."""

import csv
import shutil

import pytest

from uprlib import cli
from uprlib.errors import UsageError
from uprlib.output import curated
from uprlib.output.curated import CuratedDataError
from uprlib.workspace.paths import curated_dir


@pytest.fixture
def folder(tmp_path):
    """A copy of the committed curated tables."""
    for path in curated_dir().glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def _append(path, line: str) -> int:
    """Append one CSV line; return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


@pytest.mark.parametrize("name", sorted(curated.TABLES))
def test_committed_tables_validate_and_cite_a_document(name):
    df = curated.load(name)
    assert len(df) > 0
    assert df["source"].map(curated.cites_document).all()


def test_committed_tables_pass_the_check():
    assert curated.check() == ([], [])


def test_every_column_is_described():
    for name, table in curated.TABLES.items():
        for column, col in table.schema.columns.items():
            assert col.description, f"{name}.{column}"


def test_no_rows_for_another_country_is_empty_not_an_error():
    assert curated.load("laws", "NOR").empty


@pytest.mark.parametrize("table, row, message", [
    ("treaty_signatures", "NOR,ICCPR,2016-02-30,UN Treaty Collection 2020",
     "column signature_date: not a date written YYYY-MM-DD ('2016-02-30')"),
    ("treaty_signatures", "NOR,ICCPR,30/01/2016,UN Treaty Collection 2020",
     "column signature_date: not a date"),
    ("visit_requests", "NOR,Some mandate,2001,,pending,",
     "column source: empty, but required"),
    ("visit_requests", "NOR,Some mandate,2001,,pending,see the website",
     "column source: source must cite a document"),
    ("visit_requests", "NOR,Some mandate,2001,,pending,https://example.org/visits",
     "column source: source must cite a document"),
    ("visit_requests", "XXX,Some mandate,2001,,pending,A/HRC/31/1",
     "column country_iso3: not an ISO3 code in countries.csv ('XXX')"),
    ("visit_requests", "NOR,Some mandate,nineteen,,pending,A/HRC/31/1",
     "column year_requested: not a whole number ('nineteen')"),
    ("laws", "NOR,A law,A law,statute,adopted,2016-01-01,day,in force,Lovdata 2016",
     "column instrument_type: not one of law"),
])
def test_bad_row_is_refused_with_file_and_line(folder, table, row, message):
    line = _append(folder / f"{table}.csv", row)
    errors, _ = curated.check(folder)
    assert len(errors) == 1
    assert errors[0].startswith(f"{folder / table}.csv:{line}: ")
    assert message in errors[0]
    with pytest.raises(CuratedDataError, match=f"{table}.csv:{line}: "):
        curated.load(table, folder=folder)
    with pytest.raises(CuratedDataError) as err:
        curated.require_valid(folder)
    assert err.value.lines == errors


def test_damaged_file_is_one_error_line_not_a_traceback(folder, monkeypatch, capsys):
    """A table saved as Latin-1 or UTF-16, or holding a NUL byte: one line naming file and
    line; `uprlib curate` refuses to append to a file it cannot read back."""
    laws = folder / "laws.csv"
    text = laws.read_text(encoding="utf-8")
    laws.write_bytes(text.replace("National Security Law,", "Nationäl Security Law,", 1)
                     .encode("latin-1"))
    errors, _ = curated.check(folder)
    assert errors == [f"{laws}:2: not UTF-8 text (byte 0xe4); save the file as UTF-8"]
    monkeypatch.setenv("UPRLIB_CURATED_DIR", str(folder))
    before = laws.read_bytes()
    assert cli.main(["curate", "--country", "NOR"]) == 1
    assert f"{laws}:2: not UTF-8 text" in capsys.readouterr().err
    assert laws.read_bytes() == before
    laws.write_text(text, encoding="utf-16")
    assert curated.check(folder)[0] == [f"{laws}:1: not UTF-8 text (byte 0xff); save the file "
                                        "as UTF-8"]
    laws.write_text(text.replace("National Security Law,", "National\x00Security Law,", 1),
                    encoding="utf-8")
    errors, _ = curated.check(folder)
    assert errors == [f"{laws}:2: column short_name: control character U+0000 (a damaged "
                      "file?) ('National\\x00Security Law')"]
    laws.write_text(text.replace("National Security Law,", "National\tSecurity Law,", 1),
                    encoding="utf-8")
    assert curated.check(folder)[0] == []  # a tab is whitespace, not damage


def test_duplicate_key_names_both_lines(folder):
    path = folder / "review_dates.csv"
    line = _append(path, "CHN,2,17,2013-10-23,A/HRC/25/5,A/HRC/25/5 para. 1")
    original = next(i for i, r in enumerate(path.read_text().splitlines(), 1)
                    if r.startswith("CHN,2,"))
    errors, _ = curated.check(folder)
    assert errors == [f"{path}:{line}: duplicate of line {original} (same country_iso3, cycle)"]


def test_rows_of_one_event_must_agree(folder):
    path = folder / "events.csv"
    line = _append(path, "NOR,1,access_to_justice,An event,detentions,2010-01-01,a,1,,,"
                         "NRK 2010")
    _append(path, "NOR,1,access_to_justice,An event,attacks,2010-01-01,b,2,,,NRK 2010")
    errors, _ = curated.check(folder)
    assert len(errors) == 1 and f"differ from line {line}" in errors[0]


def test_source_rule():
    assert curated.cites_document("CAT/C/CHN/CO/5 para. 61")
    assert curated.cites_document("https://www.ohchr.org/x (accessed 2026-11-30)")
    assert curated.cites_document("Amnesty International, Annual Report 2016/17, p. 3")
    assert not curated.cites_document("https://www.ohchr.org/x")
    assert not curated.cites_document("the newspaper")


def test_templates_are_appended_never_overwriting_and_only_once(folder):
    before = {p.name: p.read_bytes() for p in folder.glob("*.csv")}
    done = curated.write_templates("VNM", 2, folder)
    assert len(done) == sum(t.template for t in curated.TABLES.values())
    for name, table in curated.TABLES.items():
        data = (folder / f"{name}.csv").read_bytes()
        assert data.startswith(before[f"{name}.csv"])  # existing rows kept byte for byte
        rows = list(csv.reader((folder / f"{name}.csv").open(encoding="utf-8")))
        mine = [r for r in rows[1:] if r[rows[0].index(table.state)] == "VNM"]
        assert len(mine) == (1 if table.template else 0), name
        if mine:
            assert len(mine[0]) == len(table.columns)  # every column present
            assert mine[0][table.columns.index("source")].startswith("TODO")
            if "cycle" in table.columns:
                assert mine[0][table.columns.index("cycle")] == "2"
    again = {p.name: p.read_bytes() for p in folder.glob("*.csv")}
    assert all("already has a template row" in line
               for line in curated.write_templates("VNM", 2, folder))
    assert {p.name: p.read_bytes() for p in folder.glob("*.csv")} == again
    # unfilled templates: left out with one warning line each, not errors
    errors, warnings = curated.check(folder)
    assert errors == [] and len(warnings) == len(done)
    assert all("template row not filled in" in w for w in warnings)
    assert curated.load("events", "VNM", folder).empty


def test_filled_template_rows_are_read_with_their_sources(folder):
    curated.write_templates("VNM", 2, folder)
    path = folder / "visit_requests.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[-1] = ["VNM", "Special Rapporteur on freedom of expression", "2002", "2011",
                "pending", "https://spinternet.ohchr.org/ (accessed 2026-11-30)"]
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    assert curated.load("visit_requests", "VNM", folder)["year_requested"].tolist() == [2002]
    used = curated.rows_used("VNM", 2, folder=folder)
    assert used[["table", "line"]].values.tolist() == [["visit_requests", len(rows)]]
    assert "accessed 2026-11-30" in used["source"].iloc[0]


def test_unknown_state_for_templates_is_refused(folder):
    with pytest.raises(UsageError, match="XYZ"):
        curated.write_templates("XYZ", 2, folder)


def test_cli_check_and_curate(folder, monkeypatch, capsys):
    monkeypatch.setenv("UPRLIB_CURATED_DIR", str(folder))
    assert cli.main(["curate", "--country", "Norway", "--cycle", "1"]) == 0
    assert "template row for NOR added" in capsys.readouterr().out
    assert cli.main(["check"]) == 0
    line = _append(folder / "treaty_signatures.csv", "NOR,ICCPR,1968-13-20,UNTC 2020")
    assert cli.main(["curate", "--check"]) == 1
    err = capsys.readouterr().err
    assert f"error: {folder / 'treaty_signatures.csv'}:{line}: column signature_date" in err
    # the build commands refuse it with the same line
    assert cli.main(["prepare"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [f"uprlib prepare: error: {folder / 'treaty_signatures.csv'}:{line}: column "
                   "signature_date: not a date written YYYY-MM-DD ('1968-13-20')"]
