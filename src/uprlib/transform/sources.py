"""The sources of recommendations, and which one a review is taken from.

Precedence (first present wins): an OHCHR file of the review (matrix or thematic list, with
the report's paragraph numbers), else an export of OHCHR's Universal Human Rights Index
imported by the researcher (UHRI: every review, paragraph numbers and positions), else the
DIHR explorer export (paragraph numbers for about 95% of rows), else the newest UPR Info
export that covers the session (no paragraph numbers: the paragraph level is then estimated
by grouping identical texts). The older UPR Info export (sessions 1-20) stays for
reproducibility and cross-checks.

The matrix and the UHRI are both OHCHR's. The matrix wins where both cover a review: it is the
review's own document, pinned by checksum, each position citing the paragraph of the addendum
it comes from, each joint paragraph split into every recommending state's clause, with theme
codes and headings; the UHRI export is a snapshot of a database that OHCHR keeps revising,
imported for breadth. Both are cross-checked wherever both cover a review
(:mod:`uprlib.transform.crosscheck`). The UHRI comes before DIHR because the DIHR explorer is
built from OHCHR's index and lacks a paragraph number on about 5% of its rows.
"""

from __future__ import annotations

OHCHR_MATRIX = "ohchr_matrix"
UHRI = "uhri"
DIHR = "dihr"
UPR_INFO_2018 = "upr_info_2018"
UPR_INFO = "upr_info"

PRECEDENCE: tuple[str, ...] = (OHCHR_MATRIX, UHRI, DIHR, UPR_INFO_2018, UPR_INFO)
# UPR Info exports, newest first: the only sources with action categories and UPR Info issues
UPR_INFO_SOURCES: tuple[str, ...] = (UPR_INFO_2018, UPR_INFO)
# sources that carry the Working Group report's paragraph numbers
PARAGRAPH_SOURCES: tuple[str, ...] = (OHCHR_MATRIX, UHRI, DIHR)


def preferred(sources: set[str] | list[str]) -> str:
    """The source a review is taken from, among those that cover it."""
    for s in PRECEDENCE:
        if s in sources:
            return s
    raise ValueError(f"no known source among {sorted(sources)}; known: {list(PRECEDENCE)}")
