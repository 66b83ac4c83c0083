"""The sources of recommendations, and which one a review is taken from.

Precedence (first present wins): an OHCHR file of the review (matrix or thematic list, with
the report's paragraph numbers), else the DIHR explorer export (paragraph numbers for about
95% of rows), else the newest UPR Info export that covers the session (no paragraph
numbers: the paragraph level is then estimated by grouping identical texts). The older UPR
Info export (sessions 1-20) stays for reproducibility and cross-checks.
"""

from __future__ import annotations

OHCHR_MATRIX = "ohchr_matrix"
DIHR = "dihr"
UPR_INFO_2018 = "upr_info_2018"
UPR_INFO = "upr_info"

PRECEDENCE: tuple[str, ...] = (OHCHR_MATRIX, DIHR, UPR_INFO_2018, UPR_INFO)
# UPR Info exports, newest first: the only sources with action categories and UPR Info issues
UPR_INFO_SOURCES: tuple[str, ...] = (UPR_INFO_2018, UPR_INFO)
# sources that carry the Working Group report's paragraph numbers
PARAGRAPH_SOURCES: tuple[str, ...] = (OHCHR_MATRIX, DIHR)


def preferred(sources: set[str] | list[str]) -> str:
    """The source a review is taken from, among those that cover it."""
    for s in PRECEDENCE:
        if s in sources:
            return s
    raise ValueError(f"no known source among {sorted(sources)}; known: {list(PRECEDENCE)}")
