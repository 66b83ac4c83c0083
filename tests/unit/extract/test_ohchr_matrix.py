
import pytest

from uprlib.extract.ohchr_matrix import MatrixFormatError, read_matrix, split_states


def test_single_state():
    (c,) = split_states("Ratify the ICCPR (France);")
    assert (c.state, c.text, c.joint_with) == ("France", "Ratify the ICCPR", ())


def test_several_clauses_and_joint_states():
    cs = split_states("Ratify X (Estonia); Speed up ratification of Y (Uruguay) (Mali);")
    assert [(c.state, c.text) for c in cs] == [
        ("Estonia", "Ratify X"),
        ("Uruguay", "Speed up ratification of Y"),
        ("Mali", "Speed up ratification of Y"),
    ]
    assert cs[1].joint_with == ("Mali",)


def test_nested_state_name_and_inner_parentheses():
    cs = split_states("Accede to the Convention (CAT) soon (Iran (Islamic Republic of)).")
    assert cs[0].state == "Iran (Islamic Republic of)"
    assert cs[0].text == "Accede to the Convention (CAT) soon"


def test_non_name_parentheses_before_state_stay_in_text():
    cs = split_states("Implement the Plan (2016–2020) (Kyrgyzstan); Set up an NHRI "
                      "(the Paris Principles) (Niger);")
    assert [c.state for c in cs] == ["Kyrgyzstan", "Niger"]
    assert cs[0].text.endswith("(2016–2020)")
    assert cs[1].text.endswith("(the Paris Principles)")


def test_clause_without_state_is_an_error():
    with pytest.raises(MatrixFormatError, match="no recommending state"):
        split_states("Ratify X (France); Ratify Y")


def test_truncated_docx_is_a_clear_error(tmp_path):
    bad = tmp_path / "matrix.docx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(MatrixFormatError, match="matrix.docx.*not a readable Word"):
        read_matrix(bad)


def test_docx_cut_in_half_is_a_clear_error(tmp_path):
    import docx

    good = tmp_path / "good.docx"
    d = docx.Document()
    d.add_table(rows=1, cols=4)
    d.save(good)
    data = good.read_bytes()
    bad = tmp_path / "half.docx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(MatrixFormatError, match="half.docx"):
        read_matrix(bad)


def _matrix(tmp_path, rows):
    import docx

    d = docx.Document()
    t = d.add_table(rows=1 + len(rows), cols=4)
    for i, h in enumerate(["Recommendation", "Position", "Full list of themes", "Assessment"]):
        t.rows[0].cells[i].text = h
    for r, values in enumerate(rows, start=1):
        for i, v in enumerate(values):
            t.rows[r].cells[i].text = v
    path = tmp_path / "m.docx"
    d.save(path)
    return path


def test_reads_a_minimal_matrix(tmp_path):
    theme = "Theme: A12 Acceptance of international norms"
    path = _matrix(tmp_path, [
        [theme] * 4,
        ["12.3. Ratify the ICCPR (France);\nSource of position: A/HRC/1/2/Add.1 - Para. 3",
         "Supported", "A12 Acceptance of international norms\nAffected persons:\n- general", ""],
        ["12.4 Abolish X (Chile);\nSource of position: A/HRC/1/2/Add.1 - Para. 4", "Noted",
         "D23 Death penalty\nAffected persons:\n- general", ""],
    ])
    df = read_matrix(path)
    assert list(df["paragraph_id"]) == ["12.3", "12.4"]
    assert list(df["response"]) == ["accepted", "noted"]
    assert list(df["source_document"]) == ["A/HRC/1/2", "A/HRC/1/2"]
    assert df["theme_section"].iloc[1] == "A12 Acceptance of international norms"
    assert df["theme_codes"].iloc[1] == "D23"
    assert df["affected_persons"].iloc[0] == "general"
    assert df["theme_labels"].iloc[0] == "Acceptance of international norms"


def test_unknown_position_names_the_row(tmp_path):
    path = _matrix(tmp_path, [["1.1 Do X (Chile);", "Pending", "", ""]])
    with pytest.raises(MatrixFormatError, match=r"row 2 \(para. 1.1\).*'Pending'"):
        read_matrix(path)
