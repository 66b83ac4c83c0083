"""``uprlib import`` in a clean synthetic project: the user registry, refusals, no-ops."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest

from uprlib import cli
from uprlib.errors import FetchError, UprlibError
from uprlib.load.user_import import ImportRefusedError, import_file, safe_name
from uprlib.workspace import registry
from uprlib.workspace.fetch import fetch_file
from uprlib.workspace.registry import RawFile, add_user_entry, load_registry, user_registry

from ..ohchr_docx import NEW_HEADER, make_docx

HEADING = "UPR of Slovenia (4th Cycle - 48th Session)\tThematic list of recommendations"
ROWS = [
    ["Theme: Ratification of & accession to international instruments"],
    ["140.7 Ratify the OP-ICESCR (Maldives) (Portugal);\nSource of Position: "
     "A/HRC/59/15/Add.1 - Para.3", "Supported", "- Ratification of & accession to "
     "international instruments\nGroups of Persons: \n- Public officials", "- 1 - NO POVERTY"],
    ["140.8 Abolish X (Chile);\nSource of Position: A/HRC/59/15/Add.1 - Para.3", "Noted",
     "- Constitutional & legislative framework", ""],
]


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project(tmp_path, monkeypatch):
    """An empty project: a built-in registry holding only a session-years table."""
    root = tmp_path / "project"
    sessions = root / "data" / "raw" / "test" / "sessions.csv"
    sessions.parent.mkdir(parents=True)
    sessions.write_text("session,year\n" + "".join(f"{s},{2008 + (s - 1) // 3}\n"
                                                    for s in range(1, 55)))
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


def test_import_registers_the_review(project, tmp_path):
    src = make_docx(tmp_path / "My download (1).docx", NEW_HEADER, ROWS, heading=HEADING)
    result = import_file(src)
    assert result.added
    e = result.entry
    assert (e.role, e.meta["sur_iso3"], e.meta["cycle"], e.meta["session"], e.meta["year"],
            e.meta["symbol"]) == ("ohchr_matrix", "SVN", 4, 48, 2023, "A/HRC/59/15")
    assert e.meta["original_name"] == "My download (1).docx"
    assert e.path == f"user/{_sha(src)[:12]}_My-download-1.docx"
    assert e.sha256 == _sha(src) and e.size == src.stat().st_size
    assert "Slovenia" in e.citation and "My download" not in e.citation
    copy = project / "data" / "raw" / e.path
    assert _sha(copy) == _sha(src)
    # the registry-loading API sees it next to the built-in entries
    assert [f.key for f in load_registry()] == ["sessions", e.key]
    assert user_registry() == (e,)
    assert (project / "data" / "registry.user.toml").is_file()
    assert "2 paragraphs, 3 recommendations" in result.message
    # an imported file comes only from data/raw/: if it goes, fetch says to import it again
    copy.unlink()
    with pytest.raises(FetchError, match=r"imported with `uprlib import`.*missing; import the "
                                         r"file again"):
        fetch_file(e)


def test_same_file_again_is_a_no_op(project, tmp_path):
    src = make_docx(tmp_path / "a.docx", NEW_HEADER, ROWS, heading=HEADING)
    first = import_file(src)
    before = _state(project)
    again = tmp_path / "renamed.docx"
    again.write_bytes(src.read_bytes())
    second = import_file(again)
    assert not second.added and second.entry == first.entry
    assert "already registered" in second.message
    with pytest.raises(ImportRefusedError, match=r"registered as .*SVN cycle 4 session 48, but "
                                                 r"--country is CHN; nothing changed"):
        import_file(again, country="CHN")
    assert _state(project) == before


def test_not_a_recommendations_file_changes_nothing(project, tmp_path):
    before = _state(project)
    minutes = make_docx(tmp_path / "minutes.docx", ["Date", "Item", "Decision"],
                        [["2024-01-01", "Budget", "Adopted"]])
    with pytest.raises(ImportRefusedError, match=r"minutes.docx.*not an OHCHR recommendations "
                                                 r"file.*nothing imported"):
        import_file(minutes)
    text = tmp_path / "notes.docx"
    text.write_text("not a Word file")
    with pytest.raises(ImportRefusedError, match="not a readable Word"):
        import_file(text)
    assert _state(project) == before
    assert load_registry() == registry.builtin_registry()


def test_another_state_than_country_is_refused(project, tmp_path):
    src = make_docx(tmp_path / "a.docx", NEW_HEADER, ROWS, heading=HEADING)
    before = _state(project)
    with pytest.raises(ImportRefusedError, match=r"names the state under review SVN, but "
                                                 r"--country is CHN; nothing imported"):
        import_file(src, country="China")
    with pytest.raises(UprlibError, match=r"names cycle 4, but --cycle is 3"):
        import_file(src, cycle=3)
    with pytest.raises(UprlibError, match=r"--country 'Atlantis' is not a known state"):
        import_file(src, country="Atlantis")
    assert _state(project) == before
    assert import_file(src, country="svn", cycle=4).added


def test_file_silent_on_its_review_needs_the_options(project, tmp_path):
    src = make_docx(tmp_path / "bare.docx", NEW_HEADER, ROWS[1:])
    with pytest.raises(UprlibError, match="state under review is neither in the file nor given "
                                          "by the options; give it with --country"):
        import_file(src)
    with pytest.raises(UprlibError, match="Working Group session is neither"):
        import_file(src, country="SVN")
    e = import_file(src, country="SVN", session=48).entry
    assert (e.meta["cycle"], e.meta["session"]) == (4, 48)


def test_a_review_with_an_ohchr_file_is_not_imported_twice(project, tmp_path):
    import_file(make_docx(tmp_path / "a.docx", NEW_HEADER, ROWS, heading=HEADING))
    other = make_docx(tmp_path / "b.docx", NEW_HEADER, ROWS[:2], heading=HEADING)
    before = _state(project)
    with pytest.raises(ImportRefusedError, match="SVN cycle 4 already has an OHCHR file"):
        import_file(other)
    assert _state(project) == before


def test_unreadable_row_refuses_the_file(project, tmp_path):
    src = make_docx(tmp_path / "a.docx", NEW_HEADER,
                    [*ROWS, ["140.9 Do Y (Peru);", "Pending", "- X", ""]], heading=HEADING)
    with pytest.raises(ImportRefusedError, match=r"table row 5 \(para. 140.9\): unknown "
                                                 r"position 'Pending'"):
        import_file(src)


def test_untrusted_file_names_never_reach_paths():
    assert safe_name("../../etc/passwd") == "passwd.docx"
    assert safe_name("Liste thématique; rm -rf $HOME`.docx") == "Liste-thematique-rm-rf-HOME.docx"
    assert safe_name("\x1b[31m.docx") == "31m.docx"
    assert safe_name("....docx") == "file.docx"
    assert len(safe_name("x" * 500 + ".docx")) <= 65


def test_concurrent_writers_do_not_lose_entries(project):
    def entry(i: int) -> RawFile:
        return RawFile(key=f"k{i}", path=f"user/{i:012x}_f.docx", role="test",
                       sha256=f"{i:064x}",
                       size=1, url="", commit="", licence="x", producer="x", citation="x",
                       meta={"imported": "now", "original_name": f'"quoted"\n{i}'})

    threads = [threading.Thread(target=add_user_entry, args=(entry(i),)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(f.key for f in user_registry()) == sorted(f"k{i}" for i in range(8))
    assert user_registry()[0].meta["original_name"].startswith('"quoted"\n')


def test_cli_import_prints_one_line(project, tmp_path, capsys):
    src = make_docx(tmp_path / "a.docx", NEW_HEADER, ROWS, heading=HEADING)
    assert cli.main(["import", str(src)]) == 0
    assert "imported" in capsys.readouterr().out
    assert cli.main(["import", str(src)]) == 0
    assert "nothing to do" in capsys.readouterr().out
    assert cli.main(["import", str(tmp_path / "missing.docx")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing.docx" in err


def test_a_hand_edited_path_in_the_user_registry_is_refused(project):
    (project / "data" / "registry.user.toml").write_text(
        '[[file]]\nkey = "x"\npath = "../../../etc/passwd"\nrole = "ohchr_matrix"\n'
        f'sha256 = "{"0" * 64}"\nsize = 1\nurl = ""\ncommit = ""\nlicence = "x"\n'
        'producer = "x"\ncitation = "x"\nimported = "2026-01-01"\n')
    with pytest.raises(UprlibError, match=r"registry.user.toml: entry 'x' has path "
                                          r"'../../../etc/passwd', not one made by"):
        load_registry()


def test_a_builtin_file_of_the_same_review_takes_the_place_of_an_import(project, tmp_path):
    """A later uprlib may ship the imported file, or another of its review: no review is read
    twice, and nothing fails."""
    imported = import_file(make_docx(tmp_path / "a.docx", NEW_HEADER, ROWS,
                                     heading=HEADING)).entry
    builtin = registry.REGISTRY_FILE.read_text()
    for sha, cycle in ((imported.sha256, 4), ("f" * 64, 4), ("e" * 64, 3)):
        registry.REGISTRY_FILE.write_text(
            builtin + f'\n[[file]]\nkey = "shipped"\npath = "x/y.docx"\nrole = "ohchr_matrix"\n'
            f'sha256 = "{sha}"\nsize = 1\nurl = "https://x"\ncommit = "c"\nlicence = "x"\n'
            f'producer = "x"\ncitation = "x"\nsur_iso3 = "SVN"\ncycle = {cycle}\n'
            'session = 48\nyear = 2025\n')
        keys = [f.key for f in registry.by_role("ohchr_matrix")]
        assert keys == (["shipped"] if cycle == 4 else ["shipped", imported.key])
        assert user_registry() == (imported,)  # still listed, only left aside
