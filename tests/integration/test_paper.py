"""The rendered paper (pandoc fallback here): sections, figures, key figures, references."""

from __future__ import annotations

import importlib
import re
from html.parser import HTMLParser

import pytest

from uprlib.output.markup import escape
from uprlib.output.review import Review
from uprlib.paper.dictionary import dictionary_markdown
from uprlib.paper.offline import remote_resources
from uprlib.pipeline.workflow import build_paper
from uprlib.workspace.paths import project_root

pytestmark = pytest.mark.integration


class _Page(HTMLParser):
    """Headings, images, element ids, link targets and visible text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self.images: list[str] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []
        self._in: str | None = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "img":
            self.images.append(a.get("src", ""))
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        if tag in ("h1", "h2"):
            self._in = tag
            self.headings.append("")
        if tag in ("style", "script"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if self._skip:
            return
        self.text.append(data)
        if self._in:
            self.headings[-1] += data


def _read(path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.body = " ".join(" ".join(page.text).split())
    page.headings = [" ".join(h.split()) for h in page.headings]
    return page


@pytest.fixture(scope="module")
def china(processed, tmp_path_factory):
    out = tmp_path_factory.mktemp("paper") / "CHN-cycle2"
    return build_paper("CHN", 2, processed_dir=processed, output_dir=out, renderer="pandoc",
                       echo=False)


SECTION_TITLES = ("Introduction", "Overview", "Treaty bodies and UN mechanisms",
                  "Ratification of the ICCPR", "Legal framework for civil society",
                  "Access to justice", "Conclusions", "Appendix: data and methods",
                  "Audit of the report", "References")


def test_china_paper_has_every_section_in_order(china):
    assert china.renderer == "pandoc" and china.rebuilt
    page = _read(china.html)
    h1 = [h for h in page.headings if any(t in h for t in SECTION_TITLES)]
    found = [next(t for t in SECTION_TITLES if t in h) for h in h1]
    assert found == [t for t in SECTION_TITLES if t in found]  # document order
    assert set(SECTION_TITLES) <= set(found)
    assert page.headings[0].startswith("China") and "2013" in page.headings[0]


def test_every_figure_is_embedded_and_numbered(china):
    page = _read(china.html)
    qmd = (china.html.parent / "paper.qmd").read_text()
    labels = re.findall(r"\{#(fig-[\w-]+)", qmd)
    assert len(labels) >= 8
    assert labels == [lab for lab in labels if lab in page.ids]  # each figure has its anchor
    assert len(page.images) == len(labels)
    assert all(src.startswith("data:image/png;base64,") for src in page.images)
    assert all(f"Figure {i}:" in page.body for i in range(1, len(labels) + 1))


def _function(dotted: str):
    """The object a dotted ``module.qualname`` names (ImportError/AttributeError if none)."""
    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def test_every_figure_and_table_caption_is_followed_by_its_source_line(china):
    qmd = (china.html.parent / "paper.qmd").read_text()
    blocks = qmd.split("\n\n")
    captioned = [i for i, block in enumerate(blocks)
                 if re.match(r"(!\[.*\]\(.*\)|: .*)\{#(fig|tbl)-[\w-]+.*\}$", block, re.S)]
    assert len(captioned) == len(re.findall(r"\{#(?:fig|tbl)-", qmd)) >= 40
    for i in captioned:
        line = blocks[i + 1]
        assert line.startswith("Source: "), f"no source line under {blocks[i][:80]!r}"
        named = re.sub(r"\\(.)", r"\1", line.removeprefix("Source: ")).split(" · ")
        functions = [n for n in named if n.startswith("uprlib.")]
        assert len(functions) == 1, line
        assert callable(_function(functions[0])), line
        notebooks = [n for n in named if n.endswith(".ipynb")]
        assert all((project_root() / n).is_file() for n in notebooks), line
        # notebook outputs name their notebook; the appendix's tables are made by the paper's
        # own code (raw files, curated rows, data dictionary), the rest by a notebook
        assert notebooks or functions[0].startswith(("uprlib.paper.", "uprlib.output.")), line
    appendix = qmd.index("{#sec-data-methods}")
    made_by_pages = [i for i in captioned if ".ipynb" not in blocks[i + 1]]
    assert made_by_pages and all(qmd.index(blocks[i]) > appendix for i in made_by_pages)


def test_the_appendix_has_the_data_dictionary(china):
    qmd = (china.html.parent / "paper.qmd").read_text()
    appendix = qmd[qmd.index("{#sec-data-methods}"):]
    assert dictionary_markdown() in appendix
    page = _read(china.html)
    assert "tbl-data-dictionary" in page.ids
    assert "rank by acceptance rate among them" in page.body  # a summary column's meaning


def test_key_figures_and_no_unresolved_reference(china):
    page = _read(china.html)
    body = page.body
    assert "252 recommendation paragraphs" in body and "accepted 204" in body
    assert "17 paragraphs asked it to ratify" in body
    for bad in ("@fig-", "@tbl-", "@sec-", "??", "{{<", "{#", ":::"):
        assert bad not in body, bad
    assert set(page.links) <= page.ids  # every internal link lands somewhere
    assert "Human Rights in China" in body and "A/HRC/25/5" in body  # bibliography


def test_html_loads_nothing_from_the_network(china):
    html = china.html.read_text(encoding="utf-8")
    assert remote_resources(html) == []
    # while the links the text cites (the raw files' pinned URLs) stay links
    assert re.search(r'<a href="https://raw\.githubusercontent\.com/', html)


def test_pdf_is_written(china):
    data = china.pdf.read_bytes()
    assert data[:5] == b"%PDF-" and len(data) > 100_000


def test_second_build_with_nothing_changed_skips_everything(china, processed):
    again = build_paper("CHN", 2, processed_dir=processed, output_dir=china.html.parent.parent,
                        renderer="pandoc", echo=False)
    assert again.ok and not again.rebuilt


def test_another_country_paper_adapts_to_it(processed, tmp_path):
    out = tmp_path / "NOR-cycle2"
    result = build_paper("NOR", 2, processed_dir=processed, output_dir=out, renderer="pandoc",
                         echo=False)
    page = _read(result.html)
    assert page.headings[0].startswith("Norway") and "China" not in page.headings[0]
    assert not any("Audit of the report" in h for h in page.headings)  # no report for Norway
    assert "Norway received" in page.body
    assert "Overview" in " ".join(page.headings)
    assert result.pdf.exists()
    review = Review("NOR", 2, processed)
    assert f"{len(review.paragraphs)} recommendation paragraphs" in page.body
    assert not (out.parent / "CHN-cycle2").exists()  # nothing written for other countries


def test_each_sections_key_figures_reach_the_paper(china):
    from uprlib.paper.pages import key_figure_cells

    body = _read(china.html).body
    nb = china.html.parent.parent / "notebooks"
    kf = {name: key_figure_cells(nb / f"{name}.ipynb")
          for name in ("overview", "treaty_bodies", "iccpr", "civil_society",
                       "access_to_justice", "audit")}
    o = kf["overview"]["overview"]
    assert f"accepted {o['paragraphs_accepted']} of {o['paragraphs']}" in body.replace(
        "China accepted", "accepted")
    for name in ("treaty_bodies", "civil_society", "access_to_justice"):
        f = kf[name][next(iter(kf[name]))]
        assert f"{f['paragraphs']} paragraphs concerned" in body, name
    follow = kf["overview"]["followup"]
    assert f"{follow['accepted_here_come_back_next']} ({follow['accepted_here_come_back_next_share']:.0f}%)" in body  # noqa: E501
    # ICCPR across 2009, 2013, 2018: the key-figure cell's counts reach the paper, and 2013's
    # is the report's figure (17, from the OHCHR matrix)
    by_cycle = follow["iccpr_recommendations_by_cycle"]
    assert by_cycle["2"] == 17 and set(by_cycle) == {"1", "2", "3"}
    assert "; ".join(f"cycle {c}: {n}" for c, n in sorted(by_cycle.items())) in body
    a = kf["audit"]["audit"]
    assert f"{a['citations']} recommendation citations" in body
    assert "186.52" in body and "176.65" in body  # the wrong numbers, listed in the appendix


def test_china_paper_shows_the_2015_detentions_from_curated_data(china):
    """China's event comes from the curated events table, under its own title, with its
    figures; the appendix lists China's files and the audited report, not other states'."""
    html = china.html.read_text(encoding="utf-8")
    section = html.split('id="sec-access-to-justice"', 1)[1].split('id="sec-conclusions"')[0]
    justice = " ".join(re.sub(r"<[^>]+>", " ", section).split())
    assert "The July 2015 detentions of lawyers and activists" in justice
    for figure in ("individuals affected (lower bound) 300 persons",
                   "lawyers still in custody (lower bound) 5 persons",
                   "governments in HRC joint statement on detentions 12 governments"):
        assert figure in justice, figure
    qmd = (china.html.parent / "paper.qmd").read_text()
    files = qmd.split("## Raw files", 1)[1].split("## Curated facts", 1)[0]
    # the .qmd holds file names escaped (uprlib.output.markup): shown as typed
    assert escape("Matrix_recommendations_2013.docx") in files and escape("hric_2016") in files
    assert escape("6-9.csv") not in files  # UPR Info sessions with no review of China
    assert escape("events.csv") in qmd.split("## Curated facts", 1)[1]


HOSTILE_NAME = "inj`<img src=x onerror=alert(2)>`{{< env HOME >}}.txt"  # issue 12


@pytest.fixture(scope="module")
def hostile_report(processed, tmp_path_factory, hostile_strings):
    """China's paper built with a report whose file name and cited texts are hostile, and a
    canary in the environment that a shortcode such as ``{{< env UPRLIB_CANARY >}}`` would
    print."""
    folder = tmp_path_factory.mktemp("hostile-report")
    lines = ["A hostile report on China's second review.", ""]
    for i, s in enumerate(hostile_strings[:16]):
        text = " ".join(s.split())[:200]
        lines.append(f"Recommendation 186.{i + 1}: Ratify {text} the ICCPR now (France).")
    lines.append("Recommendation 186.40: {{< env UPRLIB_CANARY >}} and {{< meta title >}} "
                 "(Mexico).")
    report = folder / HOSTILE_NAME
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    canary = "canary-6a1f0c1e9b"
    mp = pytest.MonkeyPatch()
    mp.setenv("UPRLIB_CANARY", canary)
    try:
        result = build_paper("CHN", 2, processed_dir=processed,
                             output_dir=folder / "CHN-cycle2", renderer="pandoc",
                             report=str(report), echo=False)
    finally:
        mp.undo()
    return result, canary


def test_hostile_report_and_file_name_render_as_literal_text(hostile_report, rendered_text):
    import pandas as pd

    from uprlib.output.markup import plain
    from uprlib.paper.safe_html import active_content

    result, canary = hostile_report
    html = result.html.read_text(encoding="utf-8")
    text = rendered_text.html(result.html)
    stem = HOSTILE_NAME.removesuffix(".txt")
    assert f"Report audited: {stem}" in text  # the file name, as typed
    for payload in ('<img src=x onerror="alert(7)">', '<a href="javascript:alert(6)">click</a>',
                    '<iframe src="javascript:alert(5)"></iframe>', "{{< env UPRLIB_CANARY >}}"):
        assert payload in text, payload
    cited = pd.read_csv(result.html.parent.parent / "tables" / "audit_citations.csv")
    assert len(cited) >= 17
    for cell in cited["cited_text"]:  # whatever the audit read, the paper shows it as typed
        assert plain(cell).strip()[:300] in text
    assert active_content(html) == []
    assert "<img src=x" not in html and "<iframe" not in html and "<a href=\"javascript" \
        not in html  # as tags; as text they are &lt;img ...
    assert canary not in html and canary not in "".join(rendered_text.pdf(result.pdf))
    raw, dehyphenated = rendered_text.pdf(result.pdf)
    assert any(re.sub(r"\s+", "", stem) in t for t in (raw, dehyphenated))
    assert "{{" not in (result.html.parent / "paper.qmd").read_text(encoding="utf-8")
