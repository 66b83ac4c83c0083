"""The OHCHR recommendations reader on synthetic Word files in each format (cycles 2-4)."""

from __future__ import annotations

import pytest

from uprlib.extract.ohchr_matrix import (
    MatrixFormatError,
    cell_text,
    explode_states,
    parse_themes,
    read_file,
    read_matrix,
    split_states,
)

from ..ohchr_docx import NEW_HEADER, OLD_HEADER, make_docx

# --- recommending states -------------------------------------------------------------------

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


def test_joint_states_in_one_parenthesis():
    cs = split_states("Ratify the OP (Belgium, France, Sierra Leone);")
    assert [c.state for c in cs] == ["Belgium", "France", "Sierra Leone"]
    assert cs[0].joint_with == ("France", "Sierra Leone")
    assert {c.text for c in cs} == {"Ratify the OP"}


def test_nested_state_name_and_inner_parentheses():
    cs = split_states("Accede to the Convention (CAT) soon (Iran (Islamic Republic of)).")
    assert cs[0].state == "Iran (Islamic Republic of)"
    assert cs[0].text == "Accede to the Convention (CAT) soon"


def test_acronym_before_the_state_stays_in_text():
    (c,) = split_states("Ratify the Convention on Migrant Workers (ICRMW) "
                        "(Iran (Islamic Republic of));")
    assert c.state == "Iran (Islamic Republic of)"
    assert c.text.endswith("(ICRMW)")


def test_non_name_parentheses_before_state_stay_in_text():
    cs = split_states("Implement the Plan (2016–2020) (Kyrgyzstan); Set up an NHRI "
                      "(the Paris Principles) (Niger);")
    assert [c.state for c in cs] == ["Kyrgyzstan", "Niger"]
    assert cs[0].text.endswith("(2016–2020)")
    assert cs[1].text.endswith("(the Paris Principles)")


def test_clause_without_state_is_an_error():
    with pytest.raises(MatrixFormatError, match="no recommending state"):
        split_states("Ratify X (France); Ratify Y")


# --- themes cells ------------------------------------------------------------------------

def test_themes_with_codes_and_wrapped_lines():
    t = parse_themes("A12 Acceptance of international norms\nF31 Children: definition\n"
                     "general principles\nS16 SDG 16 - peace, justice\nAffected persons:\n"
                     "- minorities/ racial, ethnic\ngroups\n- children")
    assert t["codes"] == ["A12", "F31", "S16"]
    assert t["labels"][1] == "Children: definition, general principles"
    assert t["persons"] == ["minorities/ racial, ethnic groups", "children"]
    assert t["sdgs"] == ["16"]


def test_themes_without_codes_with_sdg_and_groups_blocks():
    t = parse_themes("- Acceptance of international norms\n- Enforced disappearances\nSDGs: \n"
                     "- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS\n- 5 - GENDER EQUALITY\n"
                     "Groups of Persons: \n- Public officials")
    assert t["codes"] == []
    assert t["labels"] == ["Acceptance of international norms", "Enforced disappearances"]
    assert t["sdgs"] == ["16", "5"]
    assert t["persons"] == ["Public officials"]


def test_theme_line_without_code_or_dash_is_an_error():
    with pytest.raises(MatrixFormatError, match="theme line 'acceptance"):
        parse_themes("acceptance of norms")


def test_sdg_line_without_goal_is_an_error():
    with pytest.raises(MatrixFormatError, match="SDG line 'PEACE' names no goal"):
        parse_themes("- Acceptance\nSDGs:\n- PEACE")


# --- whole files, one per format ---------------------------------------------------------

def test_cycle2_matrix(tmp_path):
    path = make_docx(tmp_path / "m.docx", OLD_HEADER, [
        ["Theme: A12 Acceptance of international norms"],
        ["12.3. Ratify the ICCPR (France);\nSource of position: A/HRC/25/5/Add.1 - Para. 12.3. ",
         "Supported", "A12 Acceptance of international norms\nAffected persons:\n- general", ""],
        ["", "", "", ""],  # an empty row is nothing to read
        ["12.4 Abolish X (Chile) (Portugal, Slovakia);\nSource of position: A/HRC/25/5/Add.1 - "
         "Para. 12.4", "Noted", "D23 Death penalty\nAffected persons:\n- general", ""],
    ], heading="UPR of China (2nd Cycle – 17th session)\t\tThematic list of recommendations\t"
               "Page 1 of 1")
    f = read_file(path)
    df = f.paragraphs
    assert list(df["paragraph_id"]) == ["12.3", "12.4"]
    assert list(df["response"]) == ["accepted", "noted"]
    assert list(df["source_document"]) == ["A/HRC/25/5", "A/HRC/25/5"]
    assert list(df["theme_section"]) == ["A12 Acceptance of international norms"] * 2
    assert df["theme_codes"].iloc[1] == "D23"
    assert df["theme_labels"].iloc[0] == "Acceptance of international norms"
    assert list(df["row"]) == [3, 5]
    r = f.review
    assert (r.state, r.cycle, r.session, r.symbol, r.kind) == (
        "China", 2, 17, "A/HRC/25/5", "thematic list")
    assert r.heading == "UPR of China (2nd Cycle – 17th session)"
    states = explode_states(df, path)
    assert list(states["recommending_state"]) == ["France", "Chile", "Portugal", "Slovakia"]
    assert states["joint_with"].iloc[2] == "Chile | Slovakia"
    assert read_matrix(path).equals(df)


def test_cycle3_thematic_list(tmp_path):
    path = make_docx(tmp_path / "t.docx", OLD_HEADER, [
        ["Theme: Acceptance of international norms"],
        ["121.1 Ratify the CED (France) (Lithuania);\nSource of Position: A/HRC/43/15 - Para 121",
         "Supported", "- Acceptance of international norms\n- Enforced disappearances\nSDGs: \n"
         "- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS\nAffected persons: \n"
         "- Disappeared persons", ""],
        ["Theme: Cooperation & Follow up with Treaty Bodies"],
        ["122.12 Adopt an open process (United Kingdom of Great Britain and Northern Ireland);"
         "\nSource of Position: A/HRC/43/15/Add.1", "Noted",
         "- Cooperation & Follow up with Treaty Bodies", ""],
    ], heading="UPR of Slovenia (3rd Cycle - 34th Session)\tThematic list of recommendations")
    f = read_file(path)
    df = f.paragraphs
    assert list(df["paragraph_id"]) == ["121.1", "122.12"]
    assert list(df["theme_section"]) == ["Acceptance of international norms",
                                         "Cooperation & Follow up with Treaty Bodies"]
    assert df["theme_codes"].iloc[0] == ""
    assert df["sdgs"].iloc[0] == "16"
    assert df["affected_persons"].iloc[0] == "Disappeared persons"
    assert set(df["source_document"]) == {"A/HRC/43/15"}
    assert (f.review.state, f.review.cycle, f.review.session) == ("Slovenia", 3, 34)


def test_cycle4_thematic_list_with_sdg_column(tmp_path):
    path = make_docx(tmp_path / "c4.docx", NEW_HEADER, [
        ["Theme: Ratification of & accession to international instruments"],
        ["140.7 Ratify the OP-ICESCR (Maldives) (Portugal);\nSource of Position: "
         "A/HRC/59/15/Add.1 - Para.3", "Supported",
         "- Ratification of & accession to international instruments\nGroups of Persons: \n"
         "- Public officials", "- 1 - NO POVERTY\n- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS"],
        ["140.8 Ratify the Convention (Bolivia (Plurinational State of));\nSource of Position: "
         "A/HRC/59/15/Add.1 - Para.3vv", "Noted", "- Constitutional & legislative framework", ""],
    ], heading="UPR of Slovenia (4th Cycle - 48th Session)\tThematic list of recommendations*")
    f = read_file(path)
    df = f.paragraphs
    assert list(df["sdgs"]) == ["1 | 16", ""]
    assert df["affected_persons"].iloc[0] == "Public officials"
    assert list(df["response"]) == ["accepted", "noted"]
    assert (f.review.state, f.review.cycle, f.review.session, f.review.symbol) == (
        "Slovenia", 4, 48, "A/HRC/59/15")
    states = explode_states(df, path)
    assert list(states["recommending_state"]) == ["Maldives", "Portugal",
                                                  "Bolivia (Plurinational State of)"]


def test_heading_in_the_body_and_state_with_parentheses(tmp_path):
    path = make_docx(tmp_path / "b.docx", NEW_HEADER, [
        ["1.1 Do X (Chile);", "Supported", "- Theme", ""],
    ], body="UPR of Bolivia (Plurinational State of) (3rd Cycle - 34th Session)")
    r = read_file(path).review
    assert (r.state, r.cycle, r.session, r.symbol) == (
        "Bolivia (Plurinational State of)", 3, 34, None)


def test_file_without_heading_says_nothing_of_its_review(tmp_path):
    path = make_docx(tmp_path / "n.docx", OLD_HEADER, [["1.1 Do X (Chile);", "Noted", "", ""]])
    r = read_file(path).review
    assert (r.state, r.cycle, r.session, r.symbol, r.kind) == (None,) * 5


# --- refusals: one line naming the file and the row --------------------------------------

def test_not_a_recommendations_file(tmp_path):
    path = make_docx(tmp_path / "minutes.docx", ["Date", "Item", "Decision"],
                     [["2024-01-01", "Budget", "Adopted"]], body="Minutes of the meeting")
    with pytest.raises(MatrixFormatError, match=r"minutes.docx: not an OHCHR recommendations"):
        read_file(path)
    no_table = make_docx(tmp_path / "letter.docx", None, [], body="Dear Sir")
    with pytest.raises(MatrixFormatError, match=r"letter.docx: not an OHCHR recommendations"):
        read_file(no_table)


def test_row_without_paragraph_number_is_named(tmp_path):
    path = make_docx(tmp_path / "m.docx", OLD_HEADER, [
        ["1.1 Do X (Chile);", "Supported", "", ""],
        ["Do Y without a number (Peru);", "Supported", "", ""],
    ])
    with pytest.raises(MatrixFormatError, match=r"m.docx: table row 3: no paragraph number"):
        read_file(path)


def test_unknown_position_names_the_row(tmp_path):
    path = make_docx(tmp_path / "m.docx", OLD_HEADER, [["1.1 Do X (Chile);", "Pending", "", ""]])
    with pytest.raises(MatrixFormatError, match=r"row 2 \(para. 1.1\).*'Pending'"):
        read_file(path)


def test_row_with_only_a_number_is_refused(tmp_path):
    path = make_docx(tmp_path / "m.docx", OLD_HEADER, [
        ["1.1 \nSource of position: A/HRC/1/2/Add.1 - Para. 3", "Supported", "", ""]])
    with pytest.raises(MatrixFormatError, match=r"row 2 \(para. 1.1\): no recommendation text"):
        read_file(path)


def test_repeated_paragraph_and_mixed_symbols_are_refused(tmp_path):
    rep = make_docx(tmp_path / "rep.docx", OLD_HEADER, [
        ["1.1 Do X (Chile);", "Supported", "", ""], ["1.1 Do Y (Peru);", "Noted", "", ""]])
    with pytest.raises(MatrixFormatError, match=r"paragraph ids repeated: \['1.1'\]"):
        read_file(rep)
    mixed = make_docx(tmp_path / "mixed.docx", OLD_HEADER, [
        ["1.1 Do X (Chile);\nSource of position: A/HRC/1/2/Add.1 - Para. 3", "Supported", "", ""],
        ["1.2 Do Y (Peru);\nSource of position: A/HRC/1/2/Add.1 - Para. 3", "Supported", "", ""],
        ["1.3 Do Z (Peru);\nSource of position: A/HRC/9/9/Add.1 - Para. 3", "Noted", "", ""]])
    with pytest.raises(MatrixFormatError, match=r"row 4 \(para. 1.3\).*A/HRC/9/9 differs"):
        read_file(mixed)


def test_headings_naming_two_reviews_are_refused(tmp_path):
    path = make_docx(tmp_path / "two.docx", OLD_HEADER, [["1.1 Do X (Chile);", "Noted", "", ""]],
                     heading="UPR of China (2nd Cycle – 17th session)",
                     body="UPR of Slovenia (4th Cycle - 48th Session)")
    with pytest.raises(MatrixFormatError, match="two.docx: the headings name different reviews"):
        read_file(path)


def test_bad_themes_cell_names_the_row(tmp_path):
    path = make_docx(tmp_path / "m.docx", NEW_HEADER, [
        ["1.1 Do X (Chile);", "Supported", "- Theme", "- no goal here"]])
    with pytest.raises(MatrixFormatError, match=r"row 2 \(para. 1.1\): SDG line"):
        read_file(path)


def test_truncated_docx_is_a_clear_error(tmp_path):
    bad = tmp_path / "matrix.docx"
    bad.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(MatrixFormatError, match="matrix.docx.*not a readable Word"):
        read_file(bad)


def test_docx_cut_in_half_is_a_clear_error(tmp_path):
    good = make_docx(tmp_path / "good.docx", OLD_HEADER, [["1.1 Do X (Chile);", "Noted", "", ""]])
    data = good.read_bytes()
    bad = tmp_path / "half.docx"
    bad.write_bytes(data[: len(data) // 2])
    with pytest.raises(MatrixFormatError, match="half.docx"):
        read_file(bad)


def _add_table(path, rows):
    import docx

    d = docx.Document(str(path))
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for r, values in enumerate(rows):
        for i, v in enumerate(values):
            t.rows[r].cells[i].text = v
    d.save(path)
    return path


def test_a_table_without_header_continues_the_one_before(tmp_path):
    path = make_docx(tmp_path / "m.docx", OLD_HEADER, [["1.1 Do X (Chile);", "Noted", "", ""]])
    _add_table(path, [["Legend", "Supported: accepted", "", ""]])  # no recommendation: ignored
    _add_table(path, [["1.2 Do Y (Peru);", "Supported", "", ""],
                      ["1.3 Do Z (Peru);", "Noted", "", ""]])
    df = read_file(path).paragraphs
    assert list(df["paragraph_id"]) == ["1.1", "1.2", "1.3"]
    assert list(df["row"]) == [2, 3, 4]


def test_recommendations_in_a_table_of_another_shape_are_refused(tmp_path):
    path = make_docx(tmp_path / "m.docx", OLD_HEADER, [["1.1 Do X (Chile);", "Noted", "", ""]])
    _add_table(path, [["note", "x"], ["1.2 Do Y (Peru);", "Supported"]])
    with pytest.raises(MatrixFormatError, match=r"m.docx: table 2 row 2 holds a recommendation "
                                                r"\('1.2 Do Y \(Peru\);'\) but the table has no"):
        read_file(path)


def test_cell_text_is_python_docx_text(tmp_path):
    import docx
    from docx.enum.text import WD_BREAK

    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    cell = t.rows[0].cells[0]
    cell.text = "12.3 Ratify\tthe ICCPR"
    run = cell.paragraphs[0].add_run("(France)")
    run.add_break()  # a line break is a newline
    run.add_text("next")
    run.add_break(WD_BREAK.PAGE)  # a page break is no text
    cell.add_paragraph("Source of position: A/HRC/1/2")
    d.save(tmp_path / "c.docx")
    cell = docx.Document(str(tmp_path / "c.docx")).tables[0].rows[0].cells[0]
    assert cell_text(cell) == cell.text == ("12.3 Ratify\tthe ICCPR(France)\nnext\n"
                                            "Source of position: A/HRC/1/2")
