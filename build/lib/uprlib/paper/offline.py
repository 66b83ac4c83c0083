"""Remote resources of a rendered HTML page: what a browser would fetch from the network.

The paper must render and display without a network: its images, styles, fonts and scripts
are embedded. Links the text cites (``<a href>``) are not resources and are allowed; anything
a browser loads by itself from an ``http(s)://`` or protocol-relative ``//`` address is a
remote resource: ``src``/``srcset``/``poster``/``data`` attributes, ``<link href>``, SVG
``<use>``/``<image>`` references, and ``@import`` or ``url()`` in styles.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_REMOTE = re.compile(r"^\s*(https?:)?//", re.I)
_CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
_CSS_IMPORT = re.compile(r"@import\s+(['\"])(.*?)\1", re.I)  # @import url(...) is a url()
_LOADING_ATTRS = ("src", "poster", "data", "background")
_SVG_REFS = ("use", "image", "feimage")


def _css_remote(css: str) -> list[str]:
    found = [m.group(2) for m in _CSS_URL.finditer(css) if _REMOTE.match(m.group(2))]
    found += [m.group(2) for m in _CSS_IMPORT.finditer(css) if _REMOTE.match(m.group(2))]
    return found


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.remote: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k.lower(): v or "" for k, v in attrs}
        urls = [a[k] for k in _LOADING_ATTRS if k in a]
        urls += [part.split()[0] for k in ("srcset", "imagesrcset") if k in a
                 for part in a[k].split(",") if part.strip()]
        if tag == "link" or tag in _SVG_REFS:
            urls += [a[k] for k in ("href", "xlink:href") if k in a]
        self.remote += [u for u in urls if _REMOTE.match(u)]
        if "style" in a:
            self.remote += _css_remote(a["style"])
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.remote += _css_remote(data)


def css_remote_resources(css: str) -> list[str]:
    """Every remote address a style sheet loads (``@import``, ``url()``), in order."""
    return _css_remote(css)


def remote_resources(html: str) -> list[str]:
    """Every address ``html`` would load from the network by itself, in document order."""
    parser = _Resources()
    parser.feed(html)
    parser.close()
    return parser.remote
