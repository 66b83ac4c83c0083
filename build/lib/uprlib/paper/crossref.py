"""Resolve Quarto cross-references for plain pandoc, and check citations.

The paper's Markdown uses Quarto's documented syntax: ``{#sec-x}`` on level-1 headings,
``![cap](img){#fig-x}`` for figures, a ``: caption {#tbl-x}`` line after a pipe table, and
``@sec-x`` / ``@fig-x`` / ``@tbl-x`` to refer to them. Quarto numbers and links these itself.
Pandoc does not, so before the fallback renders, :func:`resolve` numbers them in document
order and rewrites each reference as a link ("[Figure 3](#fig-x)"). For HTML it also writes
the number into the caption; Typst numbers figures and tables itself, in the same order.

Text from data is escaped (:mod:`uprlib.output.markup`), so an ``@`` or ``]`` it brings is
preceded by a backslash: the patterns below skip escaped characters, so such text is neither
taken for a reference or citation nor ends a caption.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from uprlib.errors import UnresolvedReference

_SEC = re.compile(r"^# (?P<title>.+?) \{#(?P<label>sec-[\w-]+)(?P<rest>[^}]*)\}\s*$", re.M)
_H1 = re.compile(r"^# .+$", re.M)
_FIG = re.compile(r"!\[(?P<cap>(?:\\.|[^\]\\])*)\]\((?P<src>[^)]+)\)"
                  r"\{#(?P<label>fig-[\w-]+)(?P<rest>[^}]*)\}")
_TBL = re.compile(r"^: (?P<cap>.*?) \{#(?P<label>tbl-[\w-]+)\}[ \t]*$", re.M)
_REF = re.compile(r"(?<![\w@\]\\])@(?P<label>(?:sec|fig|tbl)-[\w-]*\w)")
_CITE = re.compile(r"(?<![\w.@\\])-?@(?P<key>[\w][\w:.#$%&+?<>~/-]*\w|\w)")

KIND_NAMES = {"sec": "Section", "fig": "Figure", "tbl": "Table"}


@dataclass
class Numbering:
    """Numbers of sections, figures and tables in document order."""

    numbers: dict[str, str] = field(default_factory=dict)

    def text(self, label: str) -> str:
        """How a reference to ``label`` reads, e.g. "Figure 3"."""
        return f"{KIND_NAMES[label.split('-', 1)[0]]} {self.numbers[label]}"


def number(markdown: str) -> Numbering:
    """Number level-1 sections (skipping ``.unnumbered`` ones), figures and tables."""
    n = Numbering()
    section = 0
    for m in _H1.finditer(markdown):
        line = m.group(0)
        if ".unnumbered" in line or "{-}" in line:
            continue
        section += 1
        s = _SEC.match(line)
        if s:
            n.numbers[s.group("label")] = str(section)
    for i, m in enumerate(_FIG.finditer(markdown), start=1):
        n.numbers[m.group("label")] = str(i)
    for i, m in enumerate(_TBL.finditer(markdown), start=1):
        n.numbers[m.group("label")] = str(i)
    return n


def references(markdown: str) -> list[str]:
    """Every ``@sec-``/``@fig-``/``@tbl-`` reference, in order."""
    return [m.group("label") for m in _REF.finditer(markdown)]


def check_references(markdown: str) -> Numbering:
    """Number the targets and fail, listing them, if any reference has no target."""
    n = number(markdown)
    missing = sorted({r for r in references(markdown) if r not in n.numbers})
    if missing:
        raise UnresolvedReference(f"cross-references without a target: {', '.join(missing)}")
    return n


def citations(markdown: str) -> set[str]:
    """Citation keys used in bracketed or in-text citations (cross-references excluded)."""
    keys = set()
    for m in _CITE.finditer(markdown):
        key = m.group("key")
        if key.split("-", 1)[0] in KIND_NAMES and "-" in key:
            continue
        keys.add(key)
    return keys


def check_citations(markdown: str, bib_keys: set[str]) -> None:
    """Fail, listing them, if a citation key is not in the bibliography."""
    missing = sorted(citations(markdown) - bib_keys)
    if missing:
        raise UnresolvedReference(f"citations missing from the bibliography: {', '.join(missing)}")


def bib_keys(bibtex: str) -> set[str]:
    """Entry keys of a BibTeX file."""
    return set(re.findall(r"^@\w+\{([^,\s]+),", bibtex, flags=re.M))


def resolve(markdown: str, target: str) -> str:
    """Rewrite cross-references as numbered links for pandoc (``target``: html or typst)."""
    n = check_references(markdown)

    def ref(m: re.Match) -> str:
        label = m.group("label")
        return f"[{n.text(label)}](#{label})"

    out = _REF.sub(ref, markdown)
    if target == "html":
        out = _FIG.sub(lambda m: (f"![{n.text(m.group('label'))}: {m.group('cap')}]"
                                  f"({m.group('src')}){{#{m.group('label')}{m.group('rest')}}}"),
                       out)
        out = _TBL.sub(lambda m: (f": {n.text(m.group('label'))}: {m.group('cap')} "
                                  f"{{#{m.group('label')}}}"), out)
    return out
