"""Notebook outputs become paper Markdown."""

import base64
import json

import nbformat as nbf
import pandas as pd
import pytest

from uprlib.analysis.show import label, markdown_table
from uprlib.paper.bib import law_entries, law_key
from uprlib.paper.notebook_md import (
    NotebookNotPaperReady,
    chapter,
    qualified_name,
    source_line,
)
from uprlib.paper.pages import key_figure_cells
from uprlib.workspace.paths import project_root

PNG = base64.b64encode(bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082")).decode()


def _output(data, meta=None, kind="display_data"):
    out = nbf.v4.new_output(kind, data=data)
    out.metadata = {"uprlib": meta} if meta else {}
    return out


def _notebook(tmp_path, outputs, first="# My section\n\nIntro text."):
    nb = nbf.v4.new_notebook()
    code = nbf.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(json.dumps(figures))")
    code.outputs = [nbf.v4.new_output("stream", name="stdout", text=json.dumps({"n": 3}))]
    shown = nbf.v4.new_code_cell("show.things()")
    shown.outputs = outputs
    nb.cells = [nbf.v4.new_markdown_cell(first), code, nbf.v4.new_markdown_cell("## Part"),
                shown]
    path = tmp_path / "my_section.ipynb"
    nbf.write(nb, path)
    return path


def test_shown_outputs_become_labelled_figures_tables_and_notes(tmp_path):
    outputs = [
        _output({"text/markdown": "Computed **3** things.", "text/plain": "x"},
                {"kind": "note"}),
        _output({"image/png": PNG, "text/plain": "<Figure>"},
                {"kind": "figure", "label": "fig-my-plot", "caption": "A plot, X.",
                 "file": "figures/my_plot.png", "width_in": 7.5}),
        _output({"text/markdown": "*Figure: A plot, X.*"}, {"kind": "caption"}),
        _output({"text/markdown": "| a |\n| ---: |\n| 1 |", "text/html": "<table/>"},
                {"kind": "table", "label": "tbl-my-table", "caption": "A table, X."}),
    ]
    ch = chapter(_notebook(tmp_path, outputs), tmp_path / "figs")
    md = ch.markdown
    assert md.startswith("# My section {#sec-my-section}")
    assert "Computed **3** things." in md
    assert "![A plot, X.](figures/my_plot.png){#fig-my-plot width=100%}" in md
    assert "| a |\n| ---: |\n| 1 |\n\n: A table, X. {#tbl-my-table}" in md
    assert "*Figure: A plot, X.*" not in md  # notebook-only caption line
    assert "json.dumps" not in md and '"n": 3' not in md  # code and printed JSON stay out
    assert (tmp_path / "figs" / "my_plot.png").read_bytes()[:4] == b"\x89PNG"
    assert ch.figures == ["fig-my-plot"] and ch.tables == ["tbl-my-table"]
    assert list(key_figure_cells(tmp_path / "my_section.ipynb").values()) == [{"n": 3}]


def test_a_table_not_shown_through_uprlib_show_is_refused(tmp_path):
    nb = _notebook(tmp_path, [_output({"text/html": "<table/>", "text/plain": "df"},
                                      kind="execute_result")])
    with pytest.raises(NotebookNotPaperReady, match="cell 4.*uprlib.analysis.show"):
        chapter(nb, tmp_path / "figs")


def test_an_error_output_is_refused(tmp_path):
    err = nbf.v4.new_output("error", ename="KeyError", evalue="'x'", traceback=[])
    with pytest.raises(NotebookNotPaperReady, match="KeyError"):
        chapter(_notebook(tmp_path, [err]), tmp_path / "figs")


def test_markdown_table_escapes_pipes_and_flattens_cells():
    df = pd.DataFrame({"text": ["a | b\nc", None], "n": [1.0, 2.5]})
    md = markdown_table(df).splitlines()
    assert md[0] == "| text | n |"
    assert md[2].startswith("| a \\| b c |") and md[3].startswith("|  | 2\\.5")
    assert md[1].split("|")[2].strip().endswith(":")  # numbers right-aligned
    assert label("fig", "overview_by_group") == "fig-overview-by-group"


def test_markdown_table_limits_rows():
    df = pd.DataFrame({"n": range(40)})
    assert len(markdown_table(df, max_rows=5).splitlines()) == 2 + 5


def test_law_entries_one_per_law_with_the_first_date():
    laws = pd.DataFrame({
        "country_iso3": ["CHN", "CHN", "CHN"],
        "law": ["Charity Law", "Charity Law", "Cybersecurity Law"],
        "instrument_type": ["law", "law", "draft law"],
        "event": ["in force", "adopted", "draft published"],
        "date": pd.to_datetime(["2016-09-01", "2016-03-16", "2015-07-06"]),
        "status_at_report": ["in force", "in force", "draft"],
    })
    entries = law_entries(laws)
    assert set(entries) == {law_key("CHN", "Charity Law"), law_key("CHN", "Cybersecurity Law")}
    assert "adopted 2016\\-03\\-16" in entries["law-chn-charity-law"]["note"]  # escaped
    assert entries["law-chn-charity-law"]["issued"] == {"date-parts": [[2016]]}


def test_a_heading_from_data_is_literal_text(tmp_path, monkeypatch):
    """show.heading: an event's title becomes a level-3 heading whose characters are shown as
    typed (no emphasis, link, citation or attribute), in the notebook and in the paper."""
    from uprlib.analysis import show

    shown = []
    monkeypatch.setattr(show, "_display", lambda data, meta: shown.append((data, meta)))
    show.heading("The *July* 2015 [detentions](x) @ref {#id}\nnext", level=3)
    [(data, meta)] = shown
    md = chapter(_notebook(tmp_path, [_output(data, meta)]), tmp_path / "figs").markdown
    line = next(x for x in md.splitlines() if x.startswith("### "))
    assert line == r"### The \*July\* 2015 \[detentions\]\(x\) \@ref \{\#id\} next"


def test_each_figure_and_table_is_followed_by_its_source_line(tmp_path):
    outputs = [
        _output({"image/png": PNG, "text/plain": "<Figure>"},
                {"kind": "figure", "label": "fig-my-plot", "caption": "A plot, X.",
                 "file": "figures/my_plot.png", "width_in": 7.5,
                 "source": "uprlib.analysis.overview.figure_groups"}),
        _output({"text/markdown": "| a |\n| ---: |\n| 1 |", "text/html": "<table/>"},
                {"kind": "table", "label": "tbl-my-table", "caption": "A table, X.",
                 "source": None}),
    ]
    path = _notebook(tmp_path, outputs)
    nb = nbf.read(path, as_version=4)
    nb.metadata["papermill"] = {"input_path": str(project_root() / "notebooks" / "overview.ipynb")}
    nbf.write(nb, path)
    md = chapter(path, tmp_path / "figs").markdown
    assert ("{#fig-my-plot width=100%}\n\nSource: notebooks\\/overview\\.ipynb · "
            "uprlib\\.analysis\\.overview\\.figure\\_groups") in md
    # no function recorded: the notebook alone is named, nothing is guessed
    assert ": A table, X. {#tbl-my-table}\n\nSource: notebooks\\/overview\\.ipynb\n" in md + "\n"


def test_source_line_names_what_is_known_as_literal_text():
    assert source_line("notebooks/x.ipynb", "uprlib.a.f") == \
        "Source: notebooks\\/x\\.ipynb · uprlib\\.a\\.f"
    assert source_line(None, qualified_name(chapter)) == \
        "Source: uprlib\\.paper\\.notebook\\_md\\.chapter"
    assert source_line("notebooks/*evil*[x](y).ipynb", None) == \
        "Source: notebooks\\/\\*evil\\*\\[x\\]\\(y\\)\\.ipynb"
    assert source_line(None, None) == ""


def test_quarto_renders_a_paper_outside_the_project_as_its_own_project(tmp_path, monkeypatch):
    """Outside the project, _quarto.yml's options (section numbers for @sec- references,
    embedded resources) would not apply; the paper folder gets a copy that renders only it."""
    from importlib import import_module

    import yaml

    render_mod = import_module("uprlib.paper.render")  # the module, not the function

    calls = []
    monkeypatch.setattr(render_mod, "_run", lambda cmd, cwd, what, stdin=None:
                        calls.append((cmd, cwd)))
    monkeypatch.setattr(render_mod, "quarto_path", lambda: "quarto")
    (tmp_path / "paper.qmd").write_text("# Title {#sec-title}\n")
    render_mod._quarto(tmp_path)
    config = yaml.safe_load((tmp_path / "_quarto.yml").read_text())
    assert config["project"]["render"] == ["paper.qmd"] and config["number-sections"] is True
    assert config["format"]["html"]["embed-resources"] is True
    assert [c[0][1:] for c in calls] == [["render", "paper.qmd", "--to", "html"],
                                          ["render", "paper.qmd", "--to", "typst"]]
    assert all(cwd == tmp_path.resolve() for _c, cwd in calls)
