r"""The one escaping rule for text that reaches the paper: untrusted text stays literal text.

The paper (``paper.qmd``) is Markdown that Quarto or pandoc writes to HTML and to Typst (PDF).
Text the project writes (prose, templates) is Markdown, marked by the type :class:`Markdown`.
Every other string, whatever it looks like (data rows, curated CSVs, registry fields, a
report's text, a file name), is made literal by :func:`escape` before it joins that Markdown;
:meth:`Markdown.format`, ``+`` and :meth:`Markdown.join` escape every piece that is not itself
:class:`Markdown` (the design of ``markupsafe.Markup``, for Markdown). :func:`html` is the
same rule for the HTML that notebooks display, through markupsafe.

The rule, in two steps:

1. :func:`plain`, the characters a reader should see: any run of whitespace (line ends,
   tabs) is one space, so a value can never open a Markdown block (heading, list, code block,
   fence, table, YAML); control characters (NUL, ESC, C1), lone surrogates and the
   bidirectional controls that reorder the text around them (RLO, RLM, isolates) have no
   glyph and are shown as their code point, ``[U+202E]``.
2. A backslash before every ASCII punctuation character, which pandoc's Markdown defines as
   that literal character (``all_symbols_escapable``). So emphasis, links, raw HTML (``<``),
   code and raw blocks (`````), math (``$``), citations and cross-references (``@``),
   attributes (``{``), tables (``|``), footnotes (``^``) and the backslash itself are read as
   plain characters: a string in pandoc's document tree, which the HTML writer escapes for
   HTML and the Typst writer for Typst (``#``, ``$``, ``\``, ``//``, ``<``, ``@``, ``=``).

Quarto reads the same file. Its shortcode parser (``lpegshortcode.lua``, run on the raw text
before pandoc parses it) starts a shortcode only at a literal ``{{<`` (or ``{{{<``, its own
escape); after this rule no two braces of untrusted text are adjacent (``\{\{\<``), and
Quarto's later shortcode pass looks only inside code, raw blocks, link targets and image
sources, which untrusted text never becomes. So ``{{< env HOME >}}`` from a data row is
shown as those characters by both renderers and never expanded.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Iterable
from typing import Any, SupportsIndex

import markupsafe

# Unicode's Bidi_Control characters: they reorder the text around them without a glyph
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_SPACES = re.compile(" {2,}")


def _shown(char: str) -> str:
    if char.isspace():
        return " "
    if char in BIDI_CONTROLS or unicodedata.category(char) in ("Cc", "Cs"):
        return f"[U+{ord(char):04X}]"
    return char


def plain(value: Any) -> str:
    """The text a reader sees for ``value``: one line (each run of whitespace one space),
    invisible controls as ``[U+XXXX]``."""
    return _SPACES.sub(" ", "".join(map(_shown, str(value))))


class Markdown(str):
    """Markdown written by the project. Combining it with any other string escapes that string.

    ``Markdown("**{n}** of {name}").format(n=3, name=row)`` escapes ``row`` (and ``3``, which
    has nothing to escape); a value that is itself :class:`Markdown` is kept as it is.
    """

    __slots__ = ()

    def format(self, *args: Any, **kwargs: Any) -> Markdown:  # type: ignore[override]
        """``str.format`` that escapes every value that is not Markdown."""
        return Markdown(_FORMATTER.vformat(self, args, kwargs))

    def __add__(self, other: str) -> Markdown:
        return Markdown(str.__add__(self, escape(other)))

    def __radd__(self, other: str) -> Markdown:
        return Markdown(str.__add__(escape(other), self))

    def join(self, iterable: Iterable[Any]) -> Markdown:  # type: ignore[override]
        """``str.join`` that escapes every item that is not Markdown."""
        return Markdown(str.join(self, [escape(s) for s in iterable]))

    def __mul__(self, n: SupportsIndex) -> Markdown:
        return Markdown(str.__mul__(self, n))

    def __repr__(self) -> str:
        return f"Markdown({str.__repr__(self)})"


class _EscapingFormatter(string.Formatter):
    def format_field(self, value: Any, format_spec: str) -> str:
        return value if isinstance(value, Markdown) else escape(format(value, format_spec))


_FORMATTER = _EscapingFormatter()


def escape(value: Any) -> Markdown:
    """``value`` as Markdown that shows its characters literally (rule: module docstring).

    :class:`Markdown` is returned unchanged; anything else is converted with ``str()``.
    """
    if isinstance(value, Markdown):
        return value
    return Markdown(_PUNCTUATION.sub(r"\\\1", plain(value)))


def md(template: str, *args: Any, **kwargs: Any) -> Markdown:
    """``Markdown(template).format(*args, **kwargs)``: project Markdown with escaped values."""
    return Markdown(template).format(*args, **kwargs)


def html(value: Any) -> markupsafe.Markup:
    """``value`` as HTML text (for what notebooks display): :func:`plain`, then markupsafe."""
    return markupsafe.escape(plain(value))
