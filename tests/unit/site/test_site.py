"""The site on a small synthetic table: every review indexed, every link resolving, a failed
paper's error shown literally, untrusted names escaped, both renderers' configuration."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pandas as pd
import pytest
import yaml

from uprlib.errors import MissingFileError, RenderError
from uprlib.output import crosscountry, markup
from uprlib.paper.safe_html import active_content
from uprlib.site import PaperStatus, build_site, check_links
from uprlib.site.render import quarto_config
from uprlib.site.text import md, md_lines

from ..synthetic import rec, write

STATES = ["NOR", "CUB", "VNM", "KEN", "POL", "FRA"]
HOSTILE_NAME = "Norway <script>alert('x')</script> *[bold](http://evil.example)*"
ERROR = "NotebookFailed: <script>alert(1)</script> *boom* ```fence``` [link](http://x.example)"


def _rows() -> list[dict]:
    rows = []
    for k, sur in enumerate(STATES):
        for cycle in (1, 2):
            n = 3 + k + cycle
            for i in range(n):
                response = "accepted" if i < n - 1 - (k % 3) else "noted"
                recommender = STATES[(k + i + 1) % len(STATES)]
                r = rec(sur, cycle, i, recommender,
                        f"Ratify the convention against torture number {i} {sur}",
                        response, action=5 if i % 2 else 3)
                if sur == "NOR":
                    r["sur_name"] = HOSTILE_NAME
                if sur == "KEN" and cycle == 2:  # numbered paragraphs: an official count
                    r["source"], r["paragraph_id"] = "ohchr_matrix", f"120.{i + 1}"
                rows.append(r)
    return rows


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    processed = write(_rows(), tmp / "processed")
    outputs = tmp / "outputs"
    mp = pytest.MonkeyPatch()
    mp.setenv("UPRLIB_OUTPUTS_DIR", str(outputs))
    # an earlier finished build of CUB cycle 1's paper, found on disk
    paper = outputs / "CUB-cycle1" / "paper"
    paper.mkdir(parents=True)
    (paper / "paper.html").write_text('<html><body><a href="#s1">s</a><h1 id="s1">x</h1>'
                                      '<a href="https://www.ohchr.org/">UN</a></body></html>')
    (paper / "paper.pdf").write_bytes(b"%PDF-1.4 synthetic")
    (paper / ".paper.outputs.json").write_text("{}")
    outcomes = {("VNM", 2): PaperStatus("VNM", 2, error=ERROR)}
    result = build_site([1, 2], outcomes, tmp / "site", renderer="pandoc",
                        processed_dir=processed, progress=False)
    yield result, processed
    mp.undo()


class _Rows(HTMLParser):
    """Cells of the table ``reviews-table``."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.inside = self.cell = False

    def handle_starttag(self, tag, attrs):
        if tag == "table" and ("id", "reviews-table") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag == "td":
            self.cell = True
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == "table":
            self.inside = False
        elif tag == "td":
            self.cell = False

    def handle_data(self, data):
        if self.cell:
            self.rows[-1][-1] += data


def test_index_lists_every_review_in_the_data(site):
    result, processed = site
    parser = _Rows()
    parser.feed((result.output / "index.html").read_text(encoding="utf-8"))
    shown = {(r[1], int(r[3])) for r in parser.rows if r}
    expected = {(s, c) for c in (1, 2) for s in crosscountry.summary_table(c, processed)
                ["sur_iso3"]}
    assert shown == expected and len(expected) == 2 * len(STATES)
    items = yaml.safe_load((result.site_dir / "reviews.yml").read_text(encoding="utf-8"))
    assert {(i["sur_iso3"], i["cycle"]) for i in items} == expected
    by_key = {(r[1], int(r[3])): r for r in parser.rows if r}
    assert by_key[("KEN", 2)][6] == "official" and by_key[("KEN", 1)][6] == "estimate"
    assert by_key[("NOR", 1)][12] == "no"  # no curated facts for the synthetic states


def test_every_link_resolves_and_nothing_is_remote(site):
    result, _ = site
    assert check_links(result.output) == []
    pages = {p.relative_to(result.output).as_posix() for p in result.output.rglob("*.html")}
    assert {"index.html", "crosscountry.html", "followup.html", "about.html",
            *(f"states/{s}.html" for s in STATES), "papers/CUB-cycle1/paper.html"} <= pages
    index = (result.output / "index.html").read_text(encoding="utf-8")
    assert 'href="papers/CUB-cycle1/paper.html"' in index
    assert 'href="states/VNM.html#cycle-2"' in index  # the failed paper links to its error


def test_failed_paper_page_shows_the_error_as_literal_text(site):
    result, _ = site
    page = " ".join((result.output / "states" / "VNM.html").read_text(encoding="utf-8").split())
    assert "could not be built" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; *boom* ```fence```" in page
    assert "<script>alert(1)" not in page and 'href="http://x.example"' not in page
    assert result.failed == {("VNM", 2): ERROR}
    recorded = json.loads((result.site_dir / "paper_errors.json").read_text())
    assert recorded == {"VNM-cycle2": ERROR}


def test_untrusted_state_name_reaches_pages_only_as_text(site, rendered_text):
    result, _ = site
    for path in ("states/NOR.html", "index.html"):
        assert HOSTILE_NAME in rendered_text.html(result.output / path)
        page = (result.output / path).read_text(encoding="utf-8")
        assert "<script>alert('x')" not in page and 'href="http://evil.example"' not in page
    assert active_content((result.output / "states" / "NOR.html").read_text("utf-8")) == []


def test_hostile_corpus_stays_text_on_every_page(tmp_path, monkeypatch, hostile_strings,
                                                 rendered_text):
    """Every string of the project's hostile corpus as a state name or in a paper's error:
    a reader sees its characters, the page holds nothing that runs."""
    names = {s: hostile_strings[i % len(hostile_strings)] for i, s in enumerate(STATES)}
    rows = [{**r, "sur_name": names[r["sur_iso3"]]} for r in _rows() if r["cycle"] == 1]
    processed = write(rows, tmp_path / "processed")
    monkeypatch.setenv("UPRLIB_OUTPUTS_DIR", str(tmp_path / "outputs"))
    error = "\n".join(hostile_strings)
    result = build_site([1], {("KEN", 1): PaperStatus("KEN", 1, error=error)},
                        tmp_path / "site", renderer="pandoc", processed_dir=processed,
                        progress=False)
    assert check_links(result.output) == []
    index = rendered_text.html(result.output / "index.html")
    for iso3, name in names.items():
        page = result.output / "states" / f"{iso3}.html"
        assert markup.plain(name) in rendered_text.html(page)
        assert markup.plain(name) in index
        assert active_content(page.read_text(encoding="utf-8")) == [], iso3
    ken = rendered_text.html(result.output / "states" / "KEN.html")
    for line in (x for s in hostile_strings for x in s.splitlines() if x.strip()):
        assert markup.plain(line) in ken, line


def test_quarto_project_is_a_website_with_navbar_search_and_listing(site):
    result, _ = site
    config = yaml.safe_load((result.site_dir / "_quarto.yml").read_text(encoding="utf-8"))
    assert config["project"]["type"] == "website"
    assert config["website"]["search"]
    for item in config["website"]["navbar"]["left"]:
        assert (result.site_dir / item["href"]).is_file()
    front = (result.site_dir / "index.qmd").read_text(encoding="utf-8").split("---")[1]
    listing = yaml.safe_load(front)["listing"]
    assert listing["type"] == "table" and listing["contents"] == "reviews.yml"
    assert listing["sort-ui"] and listing["filter-ui"]
    assert (result.site_dir / "figures" / "acceptance_by_group.png").is_file()


def test_link_check_finds_broken_links_and_remote_resources(tmp_path):
    (tmp_path / "a.html").write_text('<a id="top" href="b.html#nowhere">b</a>'
                                     '<a href="missing.html">m</a><a href="#top">t</a>'
                                     '<img src="https://cdn.example/x.png">'
                                     '<a href="https://example.org/">fine</a>')
    (tmp_path / "b.html").write_text('<p id="here">b</p><a href="a.html#top">a</a>')
    problems = check_links(tmp_path)
    assert len(problems) == 3, problems
    assert any("nowhere" in p for p in problems)
    assert any("missing.html" in p and "no such file" in p for p in problems)
    assert any("remote resource" in p for p in problems)


BOOTSWATCH = {"cerulean", "cosmo", "cyborg", "darkly", "flatly", "journal", "litera", "lumen",
              "lux", "materia", "minty", "morph", "pulse", "quartz", "sandstone", "simplex",
              "sketchy", "slate", "solar", "spacelab", "superhero", "united", "vapor", "yeti",
              "zephyr"}  # Quarto's Bootswatch themes, each of which @imports Google Fonts


def _strings(value):
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_quarto_site_config_loads_nothing_remote():
    config = quarto_config()
    html = config["format"]["html"]
    themes = html["theme"] if isinstance(html["theme"], list) else [html["theme"]]
    assert not BOOTSWATCH & set(themes), themes
    assert html["html-math-method"] == "plain"  # no MathJax from a CDN
    assert [s for s in _strings(config) if "//" in s] == []
    assert "google-analytics" not in config["website"] and "site-url" not in config["website"]


def test_link_check_finds_remote_fonts_in_style_sheets_and_styles(tmp_path):
    (tmp_path / "site_libs").mkdir()
    (tmp_path / "site_libs" / "bootstrap.min.css").write_text(
        '@import url("https://fonts.googleapis.com/css2?family=Source+Sans+Pro");'
        'body{background:url(local.png)}')
    (tmp_path / "a.html").write_text('<style>@import "//fonts.example/f.css";</style>'
                                     '<p style="background:url(https://x.example/b.png)">a</p>')
    problems = check_links(tmp_path)
    assert len(problems) == 3, problems
    assert any("site_libs/bootstrap.min.css" in p and "fonts.googleapis.com" in p
               for p in problems)
    assert any("a.html" in p and "fonts.example" in p for p in problems)
    (tmp_path / "site_libs" / "bootstrap.min.css").write_text("body{font-family:system-ui}")
    (tmp_path / "a.html").write_text("<p>a</p>")
    assert check_links(tmp_path) == []


def test_followup_table_is_kept_under_a_key_of_table_method_and_cycles(tmp_path, monkeypatch):
    import uprlib.site as site_module

    processed = write(_rows(), tmp_path / "processed")
    calls = []

    def table(cycles, processed_dir, progress=True):
        calls.append(list(cycles))
        return pd.DataFrame({"sur_iso3": ["CUB"], "cycles": [len(cycles)]})

    monkeypatch.setattr(site_module.sitefigs, "followup_table", table)
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "followup.csv").write_text("stale")  # an earlier build's stamped table
    key = site_module.followup_key([1, 2], processed)
    first = site_module._followup([1, 2], site_dir, processed, False)
    again = site_module._followup([1, 2], site_dir, processed, False)
    assert calls == [[1, 2]] and again.equals(first)
    assert sorted(p.name for p in site_dir.iterdir()) == [f"followup-{key}.csv"]
    site_module._followup([2], site_dir, processed, False)  # other cycles: another key
    assert calls == [[1, 2], [2]]
    assert [p.name for p in site_dir.glob("followup-*.csv")] == \
        [f"followup-{site_module.followup_key([2], processed)}.csv"]
    before = site_module.followup_key([2], processed)
    rows = _rows()
    rows[0]["response"] = "noted" if rows[0]["response"] == "accepted" else "accepted"
    write(rows, processed)  # the same folder, other content: recomputed
    assert site_module.followup_key([2], processed) != before
    site_module._followup([2], site_dir, processed, False)
    assert calls == [[1, 2], [2], [2]]
    with pytest.raises(MissingFileError):
        site_module.followup_key([2], tmp_path / "nowhere")


def test_markdown_escaping_is_literal():
    assert md("a*b_[c](d)<e>") == r"a\*b\_\[c\]\(d\)\<e\>"
    assert md(None) == "" and md("two\nlines") == "two lines"
    assert md_lines("first *a*\n\n{{< env HOME >}}") == \
        "first \\*a\\* \\\n\\{\\{\\< env HOME \\>\\}\\}"


def test_a_broken_link_fails_the_build_and_keeps_the_previous_site(tmp_path, monkeypatch):
    processed = write(_rows(), tmp_path / "processed")
    monkeypatch.setenv("UPRLIB_OUTPUTS_DIR", str(tmp_path / "outputs"))
    first = build_site([1], {}, tmp_path / "site", renderer="pandoc", processed_dir=processed,
                       progress=False)
    before = (first.output / "index.html").read_text(encoding="utf-8")
    paper = tmp_path / "outputs" / "POL-cycle1" / "paper"
    paper.mkdir(parents=True)
    (paper / "paper.html").write_text('<a href="nowhere.html">a link to nothing</a>')
    (paper / "paper.pdf").write_bytes(b"%PDF-1.4")
    (paper / ".paper.outputs.json").write_text("{}")
    with pytest.raises(RenderError, match="nowhere.html"):
        build_site([1], {}, tmp_path / "site", renderer="pandoc", processed_dir=processed,
                   progress=False)
    assert (first.output / "index.html").read_text(encoding="utf-8") == before
    assert not (first.output / "papers").exists()
    assert [p.name for p in (tmp_path / "site").glob(".*_site*")] == []
