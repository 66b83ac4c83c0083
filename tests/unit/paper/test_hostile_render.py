"""Hostile strings in every place the paper's writers put text, rendered with pandoc and Typst.

Each string of ``tests/data/hostile_strings.json`` is a note, a bold note, a table caption,
header and cell, a figure caption and a heading (through ``uprlib.analysis.show`` and the
notebook-to-chapter step), the name of the state under review (title, abstract, introduction),
a field of a raw file's registry entry, of a curated row and of a curated law (data appendix,
generated bibliography). The rendered HTML must show each as text with nothing active in the
page, the PDF must show each, and no environment variable's value may appear.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import matplotlib
import nbformat as nbf
import pandas as pd
import pytest

from uprlib.analysis import show
from uprlib.output.markup import md, plain
from uprlib.output.provenance import FilesUsed
from uprlib.paper import pages
from uprlib.paper.bib import (
    GENERATED_FILE,
    STATIC_FILE,
    csl_keys,
    generated_references,
    static_bibliography,
)
from uprlib.paper.crossref import bib_keys
from uprlib.paper.notebook_md import chapter
from uprlib.paper.render import render
from uprlib.paper.safe_html import active_content
from uprlib.workspace.registry import RawFile

matplotlib.use("Agg")

SHORT = 300  # strings up to this length are shown whole in every context (cells: 320 chars)


@dataclass
class _Review:
    """What the writers read of a Review, with a hostile state name."""

    name: str
    output_dir: Path
    iso3: str = "XXX"
    cycle: int = 2
    year: int = 2013
    source_label: str = "a synthetic source"

    @property
    def label(self) -> str:
        return f"{self.name}, cycle {self.cycle} ({self.year})"


def _notebook_outputs(monkeypatch, review, hostile) -> list:
    """What show.note/table/figure display for each hostile string, as notebook outputs."""
    import matplotlib.pyplot as plt

    shown = []
    monkeypatch.setattr(show, "_display", lambda data, meta: shown.append((data, meta)))
    for i, s in enumerate(hostile):
        show.note(s)
        show.note(md("Bold: **{}** end.", s))
        # a table comes from parquet or CSV, which cannot hold a lone surrogate: that one
        # string goes in as the text it is shown as
        cell = plain(s) if re.search("[\ud800-\udfff]", s) else s
        df = pd.DataFrame({cell[:60]: [cell, "ok"], "n": [i, i + 1]})
        show.table(df, review, f"hostile_{i}", s)
        fig, ax = plt.subplots(figsize=(2, 1))
        ax.plot([0, 1], [0, i])
        show.figure(fig, review, f"hostile_{i}", s)
    outputs = []
    for data, meta in shown:
        out = nbf.v4.new_output("display_data", data=dict(data))
        out.metadata = {"uprlib": {k: str(v) if isinstance(v, str) else v
                                   for k, v in meta.items()}}
        outputs.append(out)
    return outputs


def _assemble(tmp_path, monkeypatch, hostile) -> Path:
    paper = tmp_path / "paper"
    (paper / "figures").mkdir(parents=True)
    review = _Review(name=hostile[6], output_dir=tmp_path / "review")
    nb = nbf.v4.new_notebook()
    code = nbf.v4.new_code_cell("show.things()")
    code.outputs = _notebook_outputs(monkeypatch, review, hostile)
    nb.cells = [nbf.v4.new_markdown_cell("# Hostile strings"), code]
    nbf.write(nb, tmp_path / "hostile.ipynb")
    ch = chapter(tmp_path / "hostile.ipynb", paper / "figures")

    raw = RawFile(key="hostile", path=f"x/y/{hostile[0]}.csv", role="data", sha256="0" * 64,
                  size=1, url="https://example.org/x?a=<b>&c={{< env HOME >}}", commit="0",
                  licence=hostile[7], producer=hostile[1], citation=hostile[12] + " 2020")
    monkeypatch.setattr("uprlib.paper.bib.load_registry", lambda: (raw,))
    used = FilesUsed(files=[(raw, hostile[8])], peer_files=0)
    curated_rows = pd.DataFrame({"table": ["events"], "line": [2], "row": [hostile[10]],
                                 "source": [hostile[11]]})
    laws = pd.DataFrame({"country_iso3": ["XXX"] * 2, "law": [hostile[2], hostile[14]],
                         "instrument_type": ["law", hostile[15]], "event": ["adopted"] * 2,
                         "date": pd.to_datetime(["2015-07-01", "2016-01-01"]),
                         "status_at_report": [hostile[9], "in force"]})
    bib, generated = static_bibliography(), generated_references(laws)
    keys = bib_keys(bib) | csl_keys(generated)
    kf = {"overview": {"year": 2013, "paragraphs": 10, "state_level": 12,
                       "recommending_states": 5, "paragraphs_accepted": 7,
                       "cycles_in_data": [1, 2]}}
    law_keys = pages.laws_cited(laws)
    body = [pages.front_matter(review, kf, nocite=law_keys), pages.TYPST_LAYOUT,
            pages.introduction(review, kf, keys, {"sec-hostile": ch.title}),
            ch.markdown,
            *(md("## Heading: {}", s) for s in hostile),
            pages.data_and_methods(review, {"Python": "3"}, used, curated_rows),
            pages.references()]
    (paper / STATIC_FILE).write_text(bib, encoding="utf-8")
    (paper / GENERATED_FILE).write_text(generated, encoding="utf-8")
    (paper / "paper.qmd").write_text("\n\n".join(body) + "\n", encoding="utf-8")
    return paper


@pytest.fixture(scope="module")
def canary():
    return f"canary-{uuid.uuid4().hex}"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, hostile_strings, canary):
    mp = pytest.MonkeyPatch()
    mp.setenv("UPRLIB_CANARY", canary)  # a shortcode {{< env UPRLIB_CANARY >}} must not read it
    try:
        paper = _assemble(tmp_path_factory.mktemp("hostile"), mp, hostile_strings)
        result = render(paper, "pandoc")
    finally:
        mp.undo()
    return paper, result


def test_the_qmd_holds_no_shortcode_raw_block_or_stray_reference(rendered, hostile_strings):
    qmd = (rendered[0] / "paper.qmd").read_text(encoding="utf-8")
    assert "{{" not in qmd  # Quarto's shortcode parser opens only at a literal "{{<"
    assert "{=html}" not in qmd and qmd.count("```") == 2  # only the project's Typst block
    assert not re.search(r"(?<!\\)<(?:script|img|iframe|a |svg)", qmd)  # every "<" escaped
    assert not re.search(r"(?<!\\)@(?:fig|tbl|sec)-(?:overview|audit|fake)", qmd)


def test_html_shows_every_string_as_text(rendered, hostile_strings, rendered_text):
    text = rendered_text.html(rendered[1].html)
    for s in hostile_strings:
        shown = plain(s).strip()
        if len(shown) <= SHORT:  # note, bold note, caption, cell, figure caption, heading
            assert text.count(shown) >= 6, s
        else:
            assert text.count(shown) >= 3, s[:40]  # notes and heading; cells are cut
    assert text.count(plain(hostile_strings[6])) >= 10  # the state's name, as typed
    assert plain(hostile_strings[12]) in text and plain(hostile_strings[2]) in text  # refs


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: set[str] = set()
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attributes += [(tag, k, v or "") for k, v in attrs]


def test_html_has_no_element_or_attribute_the_input_defines(rendered):
    html = rendered[1].html.read_text(encoding="utf-8")
    assert active_content(html) == []
    page = _Elements()
    page.feed(html)
    assert not page.tags & {"script", "iframe", "svg", "object", "embed", "form"}
    assert page.tags <= {"html", "head", "meta", "title", "style", "body", "header", "h1", "h2",
                         "h3", "p", "div", "nav", "ul", "li", "a", "strong", "em", "span",
                         "table", "caption", "colgroup", "col", "thead", "tbody", "tr", "th",
                         "td", "figure", "figcaption", "img", "code"}
    assert not [a for a in page.attributes if a[1].startswith("on")]
    urls = [v for tag, k, v in page.attributes if k in ("href", "src")]
    assert all(u.startswith(("#", "https://", "data:image/png;base64,")) for u in urls), urls
    assert any(u.startswith("https://example.org/x?a=<b>&c={{< env HOME >}}") for u in urls)


def test_pdf_shows_every_string(rendered, hostile_strings, rendered_text):
    raw, dehyphenated = rendered_text.pdf(rendered[1].pdf)
    for s in hostile_strings:
        # Typst's shorthand "..." (an ellipsis) is one thing pandoc's Typst writer does not
        # escape: the PDF shows "…" where the HTML shows "..." (README, The paper)
        shown = re.sub(r"\s+", "", plain(s)).replace("...", "…")
        assert shown in raw or shown in dehyphenated, s[:60]


def test_no_environment_value_reaches_the_paper(rendered, canary):
    import os

    html = rendered[1].html.read_text(encoding="utf-8")
    pdf_text = "".join(rendered_text_pdf(rendered[1].pdf))
    for value in (canary, os.environ.get("HOME", "/nonexistent-home")):
        if len(value) > 4:
            assert value not in html and value not in pdf_text


def rendered_text_pdf(path):
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(path).pages]
