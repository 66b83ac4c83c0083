"""``uprlib import`` of UHRI exports in a clean synthetic project: the registry entry and its
reviews, the report, --dry-run, the same file again, a newer export, refusals that change
nothing, and prepare reading only the reviews each export is used for."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from uprlib import cli
from uprlib.extract import uhri as uhri_reader
from uprlib.load import interim
from uprlib.load.prepare import uhri_tables
from uprlib.load.uhri_import import reviews_table
from uprlib.load.user_import import ImportRefusedError, import_file
from uprlib.workspace import registry
from uprlib.workspace.registry import load_registry, user_registry

from ..ohchr_docx import NEW_HEADER, make_docx
from ..uhri_xlsx import one_review, other_row, upr_row, write_json, write_xlsx

YEARS = {s: 2008 + (s - 1) // 3 for s in range(1, 55)}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project: a built-in registry holding only a session-years table."""
    root = tmp_path / "project"
    sessions = root / "data" / "raw" / "test" / "sessions.csv"
    sessions.parent.mkdir(parents=True)
    sessions.write_text("session,year\n" + "".join(f"{s},{y}\n" for s, y in YEARS.items()))
    builtin = tmp_path / "registry.toml"
    builtin.write_text(
        '[[file]]\nkey = "sessions"\npath = "test/sessions.csv"\nrole = "session_years"\n'
        f'sha256 = "{_sha(sessions)}"\nsize = {sessions.stat().st_size}\nurl = ""\n'
        'commit = ""\nlicence = "test"\nproducer = "test"\ncitation = "test"\n')
    monkeypatch.setenv("UPRLIB_ROOT", str(root))
    monkeypatch.setenv("UPRLIB_DATA_MIRROR", "")
    monkeypatch.delenv("UPRLIB_RAW_DIR", raising=False)
    monkeypatch.setattr(registry, "REGISTRY_FILE", builtin)
    return root


def _state(root: Path) -> dict[str, bytes]:
    """Every file under the project (contents), to show that nothing changed."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def _export(tmp_path: Path, name: str = "UHRI export (2).xlsx", **kw) -> Path:
    """Norway's and Chile's cycle-4 reviews, Kenya's pending one, and a treaty-body row."""
    rows = [*one_review("Norway", 44, 20, **kw), other_row("CEDAW"),
            *one_review("Chile", 46, 8, seed=2), *one_review("Kenya", 53, 5, pending=True)]
    return write_xlsx(tmp_path / name, rows)


def test_import_registers_the_export_and_its_reviews(project, tmp_path):
    src = _export(tmp_path)
    result = import_file(src)
    assert result.added and not result.dry_run
    e = result.entry
    assert (e.role, e.key, e.sha256) == ("uhri_export", f"user_uhri_{_sha(src)[:8]}", _sha(src))
    assert e.path == f"user/{_sha(src)[:12]}_UHRI-export-2.xlsx"
    assert e.meta["original_name"] == "UHRI export (2).xlsx" and e.meta["format"] == "xlsx"
    assert (e.meta["rows"], e.meta["upr_rows"]) == (34, 33)
    listed = {r["review"]: r for r in e.meta["reviews"]}
    assert sorted(listed) == ["CHL-cycle4", "KEN-cycle4", "NOR-cycle4"]
    assert {k: listed["NOR-cycle4"][k] for k in ("session", "year", "paragraphs", "accepted",
                                                 "partly_supported", "noted", "pending")} == {
        "session": 44, "year": 2022, "paragraphs": 20, "accepted": 13, "partly_supported": 2,
        "noted": 5, "pending": 0}
    assert listed["KEN-cycle4"]["pending"] == listed["KEN-cycle4"]["paragraphs"] == 5
    assert _sha(project / "data" / "raw" / e.path) == _sha(src)  # the raw file, unchanged
    assert user_registry() == (e,) and e in load_registry()
    msg = result.message
    assert msg.count("\n") < 24  # one screen
    assert "33 UPR recommendations in 3 reviews (1 row of treaty bodies" in msg
    assert "reviews added: 3, replaced: 0, unchanged: 0" in msg
    assert "cycle 4: 3 added, 1 awaiting the state's response" in msg
    assert re.search(r"NOR-cycle4 +44 +20 +13 +2 +5 +0  added", msg)
    assert "`uprlib paper --country CHL --cycle 4`" in msg
    table = reviews_table(result)
    assert table.set_index("review").loc["CHL-cycle4", "status"] == "added"


def test_dry_run_writes_nothing_then_the_same_file_again_changes_nothing(project, tmp_path):
    src = _export(tmp_path)
    before = _state(project)
    dry = import_file(src, dry_run=True)
    assert dry.dry_run and not dry.added and dry.entry is None
    assert "reviews would be added: 3" in dry.message and "nothing written" in dry.message
    assert _state(project) == before
    first = import_file(src)
    after = _state(project)
    again = import_file(tmp_path / src.name)
    assert not again.added and again.entry == first.entry
    assert "already registered as" in again.message and "nothing changed" in again.message
    assert _state(project) == after


def test_a_newer_export_replaces_what_changed_and_says_so(project, tmp_path):
    old = import_file(_export(tmp_path, "old.xlsx", seed=0)).entry
    # the newer export: Norway with two more paragraphs, Chile as it was, Kenya's positions
    # published, and a review not in the old export
    rows = [*one_review("Norway", 44, 22), *one_review("Chile", 46, 8, seed=2),
            *one_review("Kenya", 53, 5), *one_review("Ghana", 42, 4, seed=5)]
    new_file = write_xlsx(tmp_path / "new.xlsx", rows)
    result = import_file(new_file)
    status = {r["review"]: r["status"] for r in result.reviews}
    assert status == {"NOR-cycle4": "replaced", "CHL-cycle4": "unchanged",
                      "KEN-cycle4": "replaced", "GHA-cycle4": "added"}
    assert "reviews added: 1, replaced: 2, unchanged: 1" in result.message
    assert "20→22" in result.message and f"replaced (was {old.key})" in result.message
    new = result.entry
    assert sorted(r["review"] for r in new.meta["reviews"]) == ["GHA-cycle4", "KEN-cycle4",
                                                                "NOR-cycle4"]
    assert user_registry() == (old, new)  # the old entry is never changed
    # prepare takes each review from the latest export listing it
    tables = uhri_tables(YEARS)
    by_file = {t["source_file"].iloc[0]: t for t in tables}
    assert set(by_file[old.name]["sur_iso3"]) == {"CHL"}
    assert set(by_file[new.name]["sur_iso3"]) == {"NOR", "KEN", "GHA"}
    assert by_file[new.name].query("sur_iso3 == 'NOR'")["paragraph_id"].nunique() == 22
    # an export whose reviews are all in the data already is not recorded
    same = write_xlsx(tmp_path / "same.xlsx", one_review("Chile", 46, 8, seed=2))
    nothing = import_file(same)
    assert not nothing.added and nothing.entry is None
    assert "nothing changed" in nothing.message and "was not recorded" in nothing.message
    assert user_registry() == (old, new)


def test_prepare_reads_the_interim_copy_and_rereads_a_bad_one(project, tmp_path, monkeypatch):
    entry = import_file(_export(tmp_path)).entry
    copies = list((project / "data" / "interim" / "uhri").glob("*.parquet"))
    assert len(copies) == 1 and copies[0].name.startswith(entry.sha256[:24])
    calls = []
    real = uhri_reader.read_export
    monkeypatch.setattr(uhri_reader, "read_export", lambda *a, **k: calls.append(a) or real(*a,
                                                                                          **k))
    first = uhri_tables(YEARS)[0]
    assert calls == []  # from the interim copy, not the xlsx
    copies[0].write_bytes(b"PAR1 cut short")
    second = uhri_tables(YEARS)[0]
    assert len(calls) == 1 and second.equals(first)  # read again, and the copy rewritten
    assert interim._read(copies[0]) is not None


@pytest.mark.parametrize(("make", "pattern"), [
    (lambda d: write_xlsx(d / "cols.xlsx", [upr_row("1.1", "Do X", "Norway", ["Peru"],
                                                     "Supported", 44)],
                          header=["Text", "Countries Concerned", "Reccomending Body"]),
     r"'.*cols.xlsx' is not a UHRI export this reader understands: missing columns UPR "
     r"Reccomending States or UPR Recommending States, UPR Position, UPR Session"),
    (lambda d: write_xlsx(d / "session.xlsx", [upr_row("1.1", "Do X", "Norway", ["Peru"],
                                                        "Supported", 57)]),
     r"session.xlsx': row 2, column 'UPR Session': unknown session 57"),
    (lambda d: write_xlsx(d / "position.xlsx", [upr_row("1.1", "Do X", "Norway", ["Peru"],
                                                         "Rejected", 44)]),
     r"position.xlsx': row 2, column 'UPR Position': unknown position 'Rejected'"),
    (lambda d: write_xlsx(d / "state.xlsx", [upr_row("1.1", "Do X", "Norway", ["Narnia"],
                                                      "Supported", 44)]),
     r"state.xlsx': row 2: recommending state 'Narnia' is not a state"),
    (lambda d: write_xlsx(d / "none.xlsx", [other_row()]),
     r"none.xlsx' holds no UPR recommendation \(1 row, 1 of treaty bodies"),
    (lambda d: write_json(d / "api.json", [upr_row("1.1", "Do X", "Norway", ["Peru"],
                                                   "Supported", 99)]),
     r"api.json': record 1, key 'UprSession': unknown session 99"),
])
def test_a_malformed_export_changes_nothing(project, tmp_path, make, pattern):
    import_file(_export(tmp_path))  # a good one first: it must stay as it is
    before = _state(project)
    src = make(tmp_path)
    with pytest.raises(ImportRefusedError, match=pattern + ".*; nothing imported$"):
        import_file(src)
    assert _state(project) == before


def test_a_truncated_export_changes_nothing(project, tmp_path):
    good = _export(tmp_path).read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good[: len(good) * 2 // 3])
    before = _state(project)
    with pytest.raises(ImportRefusedError, match=r"'.*cut.xlsx' is not a complete xlsx workbook "
                                                 r"\(a zip archive cut short or damaged\); "
                                                 r"nothing imported"):
        import_file(cut)
    assert _state(project) == before


def test_options_of_a_word_file_are_refused_for_an_export(project, tmp_path):
    with pytest.raises(ImportRefusedError, match="names the review of every row itself: "
                                                 "--country, --cycle and --session"):
        import_file(_export(tmp_path), country="NOR")


def test_the_report_names_a_review_an_ohchr_file_also_covers(project, tmp_path):
    heading = "UPR of Slovenia (4th Cycle - 48th Session)\tThematic list of recommendations"
    rows = [["140.7 Ratify the OP-ICESCR (Maldives);\nSource of Position: "
             "A/HRC/59/15/Add.1 - Para.3", "Supported", "- Rights", ""]]
    import_file(make_docx(tmp_path / "svn.docx", NEW_HEADER, rows, heading=heading))
    result = import_file(write_xlsx(tmp_path / "svn.xlsx", one_review("Slovenia", 48, 3)))
    assert "also covered by an OHCHR Word file, which is used for them (the UHRI rows are " \
           "cross-checked against it): SVN-cycle4" in result.message
    assert result.reviews[0]["matrix"].startswith("user_svn_c4_")


def test_cli_prints_the_report_and_dry_run(project, tmp_path, capsys):
    src = write_json(tmp_path / "api.json", one_review("Norway", 44, 5))
    assert cli.main(["import", "--dry-run", str(src)]) == 0
    out = capsys.readouterr()
    assert "dry run: UHRI export" in out.out and "(json): 5 records" in out.out
    assert not user_registry()
    assert cli.main(["import", "-q", str(src)]) == 0
    assert "imported as user_uhri_" in capsys.readouterr().out
    bad = write_xlsx(tmp_path / "bad.xlsx", [upr_row("1.1", "x" * 300, "Norway", ["Peru"],
                                                      "Maybe not", 44)])
    assert cli.main(["import", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.xlsx" in err and "row 2, column 'UPR Position'" in err
    assert "calamine" not in err.lower()


def test_a_file_of_neither_kind_is_refused(project, tmp_path):
    csv = tmp_path / "export.csv"
    csv.write_text("Text,UPR Position\nDo X,Supported\n")
    with pytest.raises(ImportRefusedError, match=r"export.csv' is neither an OHCHR Word file "
                                                 r"\(.docx\) nor an export of the Universal "
                                                 r"Human Rights Index"):
        import_file(csv)
