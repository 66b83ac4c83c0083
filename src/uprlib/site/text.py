"""Untrusted text into the site's pages, only as literal text: the one place that escapes it.

State names, error messages, curated facts and anything else read from data or reports reach
a page through these helpers and nothing else:

* :func:`md` for Markdown (pandoc and Quarto both read the pages as Markdown): every ASCII
  punctuation character is backslash-escaped, which pandoc's Markdown defines as the literal
  character, so ``*``, ``[``, ``<`` or ``$`` never start emphasis, a link, raw HTML or math;
  line breaks become spaces.
* :func:`md_block` for text that must keep its lines (an error with a traceback): a fenced
  code block whose fence is longer than any run of backticks in the text.
* :func:`html` for the few fragments written as HTML (the index table, the navigation bar):
  ``markupsafe.escape``.
"""

from __future__ import annotations

import re
import string

from markupsafe import escape

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")


def md(value: object) -> str:
    """``value`` as literal Markdown text on one line (None is the empty string)."""
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _PUNCT.sub(r"\\\1", text)


def md_block(value: object) -> str:
    """``value`` as a fenced code block, shown verbatim line by line."""
    text = str(value).replace("\r\n", "\n").rstrip("\n")
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}\n{text}\n{fence}"


def html(value: object) -> str:
    """``value`` escaped for HTML text or a quoted attribute (None is the empty string)."""
    return "" if value is None else str(escape(str(value)))
