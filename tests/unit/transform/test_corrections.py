"""Documented corrections of raw files, applied on load, on a synthetic corrections list."""

import pandas as pd
import pytest

from uprlib.errors import DataError
from uprlib.transform import corrections

FIXES = """source_file,column,value,action,corrected,reason
status_*.csv,iso2,TP,replace,TL,withdrawn code
status_b.csv,member,Atlantis,drop,,not a state
status_*.csv,missing_column,x,replace,y,column absent: ignored
"""


@pytest.fixture()
def fixes(tmp_path, monkeypatch):
    """Point the module at a synthetic corrections file (and forget the cached one)."""
    def use(text: str) -> None:
        path = tmp_path / "source_corrections.csv"
        path.write_text(text)
        monkeypatch.setattr(corrections, "CORRECTIONS_FILE", path)
        corrections.corrections.cache_clear()

    yield use
    corrections.corrections.cache_clear()


def _rows():
    return pd.DataFrame({
        "source_file": ["status_a.csv", "status_b.csv", "status_b.csv", "other.csv"],
        "iso2": ["TP", "TP", "NO", "TP"],
        "member": ["Timor-Leste", "Timor-Leste", "Atlantis", "Timor-Leste"],
    })


def test_replace_and_drop_apply_to_matching_files_only_and_are_counted(fixes):
    fixes(FIXES)
    out = corrections.apply(_rows())
    assert out["iso2"].tolist() == ["TL", "TL", "TP"]  # other.csv does not match the pattern
    assert "Atlantis" not in set(out["member"]) and list(out.index) == [0, 1, 2]
    applied = {(a["action"], a["value"]): a["rows"] for a in out.attrs["corrections"]}
    assert applied == {("replace", "TP"): 2, ("drop", "Atlantis"): 1}
    assert all(a["reason"] for a in out.attrs["corrections"])


def test_the_input_frame_is_left_as_it_was(fixes):
    fixes(FIXES)
    rows = _rows()
    corrections.apply(rows)
    assert rows.equals(_rows())


def test_nothing_matching_records_no_correction(fixes):
    fixes(FIXES)
    out = corrections.apply(pd.DataFrame({"source_file": ["x.csv"], "iso2": ["NO"]}))
    assert out.attrs["corrections"] == [] and out["iso2"].tolist() == ["NO"]


def test_an_unknown_action_is_refused_naming_it(fixes):
    fixes("source_file,column,value,action,corrected,reason\na.csv,iso2,X,rename,Y,why\n")
    with pytest.raises(DataError, match="unknown action 'rename'"):
        corrections.apply(_rows())


def test_the_committed_corrections_each_give_a_reason():
    committed = corrections.corrections()
    assert len(committed) and committed["reason"].str.strip().ne("").all()
    assert set(committed["action"]) <= set(corrections.ACTIONS)


def test_replace_text_fixes_a_split_word_inside_the_cells_of_the_named_file(fixes):
    fixes("source_file,column,value,action,corrected,reason\n"
          "f.docx,text,huma n,replace_text,human,Word artefact\n")
    df = pd.DataFrame({"source_file": ["f.docx", "f.docx", "g.docx"],
                       "text": ["huma n rights, huma n dignity", "fine", "huma n rights"]})
    out = corrections.apply(df)
    assert out["text"].tolist() == ["human rights, human dignity", "fine", "huma n rights"]
    assert [(c["value"], c["action"], c["rows"]) for c in out.attrs["corrections"]] == [
        ("huma n", "replace_text", 1)]
