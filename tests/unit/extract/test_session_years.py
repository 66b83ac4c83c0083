"""Reading the table of UPR Working Group sessions and their years."""

import pytest

from uprlib.errors import SourceFormatError
from uprlib.extract.session_years import read_session_years


def test_sessions_map_to_their_years(tmp_path):
    path = tmp_path / "sessions.csv"
    path.write_text("session,year,note\n1,2008,first\n13,2012,\n26,2016,last\n")
    assert read_session_years(path) == {1: 2008, 13: 2012, 26: 2016}


@pytest.mark.parametrize(("text", "message"), [
    ("session,when\n1,2008\n", "expected columns session, year; found"),
    ("session,year\n1,2008\n2,two thousand nine\n", "non-numeric session or year"),
])
def test_a_bad_table_is_refused_naming_the_file(tmp_path, text, message):
    path = tmp_path / "sessions.csv"
    path.write_text(text)
    with pytest.raises(SourceFormatError, match=message) as err:
        read_session_years(path)
    assert str(path) in str(err.value)
