"""What the HTML paper may hold: text, tables, links and embedded images; nothing that runs.

Escaping (:mod:`uprlib.output.markup`) already turns every string from data, curated files, a
report or a file name into text. This is the second line, for the pandoc path's HTML:
:func:`sanitize` passes the page's ``<body>`` through the ``nh3`` sanitizer (Python binding
of the Rust ``ammonia`` library) allowing only the elements and attributes pandoc's HTML
writer uses, links to ``http``, ``https``, ``mailto`` and in-page anchors, and ``data:`` URLs
only as embedded raster images; :func:`active_content` lists whatever in a page could run in a
browser (scripts, frames, plug-ins, forms, SVG, event handlers, ``javascript:`` and other
script URLs), and the render refuses a paper for which it finds anything. The ``<head>`` is
pandoc's template with the project's CSS.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3

from uprlib.errors import RenderError

# what pandoc's HTML5 writer puts in a body (with --toc, --citeproc, figures, tables, notes)
TAGS = {"a", "abbr", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col",
        "colgroup", "dd", "del", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2",
        "h3", "h4", "h5", "h6", "header", "hr", "i", "img", "ins", "li", "mark", "nav", "ol",
        "p", "pre", "q", "s", "section", "small", "span", "strong", "sub", "sup", "table",
        "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul"}
ATTRIBUTES = {
    "*": {"id", "class", "role", "title", "lang", "dir", "style"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "col": {"span"}, "colgroup": {"span"},
    "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "type"}, "li": {"value"},
}
STYLE_PROPERTIES = {"width", "height", "text-align", "vertical-align"}
URL_SCHEMES = {"http", "https", "mailto", "data"}
EMBEDDED_IMAGE = re.compile(r"data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z")
_BODY = re.compile(r"(<body[^>]*>)(.*)(</body>)", re.S | re.I)


def _attribute(tag: str, attribute: str, value: str) -> str | None:
    """``data:`` only as an embedded raster image; everything else as nh3 decided."""
    if attribute in ("href", "src") and value.strip().lower().startswith("data:"):
        return value if tag == "img" and attribute == "src" and EMBEDDED_IMAGE.match(value) \
            else None
    return value


def sanitize(html: str) -> str:
    """``html`` (a standalone pandoc page) with its ``<body>`` cleaned by nh3."""
    m = _BODY.search(html)
    if not m:
        raise RenderError("pandoc's HTML has no <body> to check")
    body = nh3.clean(m.group(2), tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     attribute_filter=_attribute, filter_style_properties=STYLE_PROPERTIES,
                     link_rel=None, strip_comments=True,
                     generic_attribute_prefixes={"data-", "aria-"})
    return html[:m.start(2)] + body + html[m.end(2):]


ACTIVE_ELEMENTS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet",
                   "form", "input", "button", "textarea", "select", "base", "link", "svg",
                   "math", "template", "portal", "noscript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster",
                  "background", "srcset", "ping", "cite", "longdesc", "lowsrc", "dynsrc"}


class _Scanner(HTMLParser):
    def __init__(self, allow: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.allow = allow
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ACTIVE_ELEMENTS and tag not in self.allow:
            self.found.append(f"<{tag}> element")
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on"):
                self.found.append(f"{name} attribute on <{tag}>")
            elif name == "srcdoc":
                self.found.append(f"srcdoc attribute on <{tag}>")
            elif name in URL_ATTRIBUTES and _scheme(value) not in ("", "http", "https",
                                                                    "mailto", "data"):
                self.found.append(f"{_scheme(value)}: URL in {name} of <{tag}>")
            elif name in URL_ATTRIBUTES and _scheme(value) == "data" and not (
                    tag == "img" and name == "src" and EMBEDDED_IMAGE.match(value)):
                self.found.append(f"data: URL in {name} of <{tag}>")
            elif tag == "meta" and name == "http-equiv" and value.lower() == "refresh":
                self.found.append("<meta http-equiv=refresh>")


def _scheme(url: str) -> str:
    # browsers drop ASCII whitespace and controls inside a URL's scheme ("java\tscript:")
    cleaned = re.sub(r"[\x00-\x20]", "", url)
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    return m.group(1).lower() if m else ""


def active_content(html: str, allow: set[str] = frozenset()) -> list[str]:
    """What in ``html`` could run in a browser (empty for a safe page).

    ``allow``: element names the page may hold anyway (e.g. ``{"script"}`` for a page whose
    own template brings scripts; use only where the body was checked separately).
    """
    scanner = _Scanner(set(allow))
    scanner.feed(html)
    scanner.close()
    return scanner.found
