"""Check a rendered site: every link resolves, nothing is loaded from the network.

Every ``href`` and ``src`` in every HTML file under the site folder is read with the standard
library's :class:`html.parser.HTMLParser`. A relative link must name a file inside the site
and, if it has a fragment, an element with that ``id`` (or ``name``) in the target page. Links
to other sites (``http:``, ``https:``, ``mailto:``) are allowed for ``href`` (the papers cite
UN documents) but never for ``src`` or a stylesheet: pages load nothing remote. Styles are
read too (:mod:`uprlib.paper.offline`): the ``<style>`` blocks and ``style`` attributes of every
page and every ``.css`` file of the site (Quarto's theme under ``site_libs/``) must
``@import`` or ``url()`` nothing remote, such as the Google Fonts of a Bootswatch theme.
"""

from __future__ import annotations

from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from uprlib.paper.offline import css_remote_resources, remote_resources

EXTERNAL = ("http", "https", "mailto", "tel")
INLINE = ("data", "blob", "javascript", "about")


class _Links(HTMLParser):
    """Collects (tag, attribute, value) of every link and every id/name of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str, str]] = []
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value is None:
                continue
            if key in ("id", "name") and tag != "meta":
                self.anchors.add(value)
            if key in ("href", "src") and not (tag == "base"):
                self.links.append((tag, key, value))
            if key == "srcset":
                self.links += [(tag, "src", part.split()[0]) for part in value.split(",")
                               if part.strip()]


@lru_cache(maxsize=512)
def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return parser


def check_links(site: Path) -> list[str]:
    """Every broken link or remote resource in the HTML pages under ``site``, one line each
    (``page: tag attribute="value": why``); empty when the site is sound."""
    site = Path(site).resolve()
    _parse.cache_clear()
    problems = []
    for page in sorted(site.rglob("*.html")):
        rel = page.relative_to(site)
        for tag, attr, value in _parse(page).links:
            why = _problem(site, page, tag, attr, value)
            if why:
                problems.append(f'{rel}: <{tag} {attr}="{value[:120]}">: {why}')
        seen = {value for _tag, _attr, value in _parse(page).links}
        text = page.read_text(encoding="utf-8", errors="replace")
        problems += [f"{rel}: loads {url[:120]}: a remote resource; pages must load nothing "
                     "from the network" for url in remote_resources(text) if url not in seen]
    for sheet in sorted(site.rglob("*.css")):
        rel = sheet.relative_to(site)
        css = sheet.read_text(encoding="utf-8", errors="replace")
        problems += [f"{rel}: loads {url[:120]}: a remote resource in a style sheet"
                     for url in css_remote_resources(css)]
    return problems


def _problem(site: Path, page: Path, tag: str, attr: str, value: str) -> str | None:
    url = urlsplit(value.strip())
    scheme = url.scheme.lower()
    if scheme in INLINE:
        return None
    if scheme in EXTERNAL or value.startswith("//"):
        remote = attr == "src" or tag == "link"
        return "a remote resource; pages must load nothing from the network" if remote else None
    if scheme:
        return f"unknown scheme {scheme!r}"
    target = page if not url.path else (page.parent / unquote(url.path)).resolve()
    if not target.is_relative_to(site):
        return "points outside the site"
    if target.is_dir():
        target = target / "index.html"
    if not target.is_file():
        return "no such file in the site"
    if url.fragment and target.suffix == ".html":
        if unquote(url.fragment) not in _parse(target).anchors:
            return f"no element with id {url.fragment!r} in {target.relative_to(site)}"
    return None
