"""Untrusted text into the site's pages, only as literal text, by the project's one escaping
rule (:mod:`uprlib.output.markup`).

State names, error messages, curated facts and anything else read from data or reports reach
a page through these helpers and nothing else:

* :func:`md` for Markdown (pandoc and Quarto both read the pages as Markdown):
  :func:`uprlib.output.markup.escape`, one line with every ASCII punctuation character
  backslash-escaped, so nothing in it starts emphasis, a link, raw HTML, math or a Quarto
  shortcode.
* :func:`md_lines` for text whose lines matter (an error message with a traceback): each line
  escaped the same way, joined by hard line breaks. Not a code block: Quarto expands
  shortcodes inside code blocks, never in escaped text.
* :func:`html` for the few fragments written as HTML (the index table, the navigation bar):
  :func:`uprlib.output.markup.html` (markupsafe).
"""

from __future__ import annotations

from uprlib.output import markup


def md(value: object) -> str:
    """``value`` as literal Markdown text on one line (None is the empty string)."""
    return "" if value is None else str(markup.escape(value))


def md_lines(value: object) -> str:
    """``value`` as literal Markdown text keeping its lines (hard line breaks between them)."""
    lines = [markup.escape(line) for line in str(value).splitlines() if line.strip()]
    return " \\\n".join(lines)


def html(value: object) -> str:
    """``value`` escaped for HTML text or a quoted attribute (None is the empty string)."""
    return "" if value is None else str(markup.html(value))
