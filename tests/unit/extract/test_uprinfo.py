import pytest

from uprlib.extract.uprinfo import COLUMNS, UprInfoFormatError, read_all, read_csv

HEADER = ",".join(COLUMNS)


def _write(path, lines, newline="\r"):
    path.write_bytes(newline.join(lines).encode("mac_roman"))
    return path


def test_macroman_cr_and_entities(tmp_path):
    p = _write(tmp_path / "a.csv", [
        HEADER,
        'China,Asia,,"Ratify the ICCPR, soon",&#40;Unknown&#41;,Observer,,Accepted,5,'
        '"International instruments,Justice",17',
        "Côte d’Ivoire,Africa,AU,Do it,France,WEOG,EU,Noted,,General,17",
    ])
    df = read_csv(p)
    assert len(df) == 2
    assert df["From"].iloc[0] == "(Unknown)"
    assert df["To"].iloc[1] == "Côte d’Ivoire"
    assert list(df["row"]) == [2, 3]


def test_missing_column_names_file_and_column(tmp_path):
    p = _write(tmp_path / "bad.csv", [HEADER.replace(",Action", ""), "a,b,c,d,e,f,g,Accepted,i,9"])
    with pytest.raises(UprInfoFormatError, match=r"bad.csv: missing column\(s\) \['Action'\]"):
        read_csv(p)


def test_unknown_response_names_row(tmp_path):
    p = _write(tmp_path / "r.csv", [HEADER, "China,Asia,,Do,France,WEOG,EU,Maybe,5,General,17"])
    with pytest.raises(UprInfoFormatError, match="r.csv: row 2: unknown Response 'Maybe'"):
        read_csv(p)


def test_session_in_two_files_is_an_error(tmp_path):
    line = "China,Asia,,Do,France,WEOG,EU,Accepted,5,General,17"
    a = _write(tmp_path / "1.csv", [HEADER, line])
    b = _write(tmp_path / "2.csv", [HEADER, line])
    with pytest.raises(UprInfoFormatError, match="session 17 appears in both 1.csv and 2.csv"):
        read_all([a, b])
