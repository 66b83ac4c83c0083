"""Remote resources of an HTML page: cited links pass, anything loaded from the network is found."""

from __future__ import annotations

import pytest

from uprlib.paper.offline import remote_resources

PAGE = """<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head>
<meta charset="utf-8"><title>t</title>
<style>body { background: url("data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg'/>"); }
.x { background-image: url(figures/local.png); }</style>
<link rel="stylesheet" href="data:text/css;base64,Ym9keXt9">
</head><body>
<p>See <a href="https://www.ohchr.org/en/hr-bodies/upr">the UPR</a> and
<a href="http://example.org/report.pdf">the report</a>.</p>
<img src="data:image/png;base64,iVBORw0KGgo=" alt="figure">
<svg><use href="#local-symbol"/></svg>
</body></html>"""


def test_a_self_contained_page_with_cited_links_loads_nothing():
    assert remote_resources(PAGE) == []


@pytest.mark.parametrize("snippet, url", [
    ('<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Source+Sans+Pro">',
     "https://fonts.googleapis.com/css2?family=Source+Sans+Pro"),
    ("<style>@import url(https://fonts.googleapis.com/css2?family=Lato);</style>",
     "https://fonts.googleapis.com/css2?family=Lato"),
    ('<style>@import "//cdn.example.org/x.css";</style>', "//cdn.example.org/x.css"),
    ("<style>@font-face { src: url('https://fonts.gstatic.com/a.woff2'); }</style>",
     "https://fonts.gstatic.com/a.woff2"),
    ('<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"></script>',
     "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-chtml.js"),
    ('<img src="http://example.org/f.png">', "http://example.org/f.png"),
    ('<img srcset="a.png 1x, https://example.org/b.png 2x">', "https://example.org/b.png"),
    ('<div style="background: url(https://example.org/bg.png)"></div>',
     "https://example.org/bg.png"),
    ('<svg><image href="https://example.org/i.png"/></svg>', "https://example.org/i.png"),
    ('<iframe src="https://example.org/embed"></iframe>', "https://example.org/embed"),
])
def test_each_kind_of_remote_resource_is_found(snippet, url):
    page = PAGE.replace("</body>", snippet + "</body>")
    assert remote_resources(page) == [url]
