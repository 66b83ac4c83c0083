"""Audit a report on a UPR review against the official record: the recommendations it cites
and the figures it gives.

    from uprlib.audit import audit_report
    result = audit_report("default", country="CHN", cycle=2)
    citations, summary, claims = result

``report`` is a registry key (role ``report``), a path to a plain-text file, ``"default"``
(the registered report on that review, if any) or None. With no report the result is empty
and ``result.report`` is None.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from uprlib.errors import UsageError
from uprlib.output.review import Review

from . import citations as _citations
from . import claims as _claims
from . import matching
from .report_text import ReportError, ReportText, default_report, report_path

__all__ = ["Audit", "ReportError", "ReportText", "audit_report", "audit_text", "default_report",
           "resolve_report", "summarise"]

CITATION_COLUMNS = ["kind", "line", "footnote", "cited_paragraph", "cited_state", "cited_iso3",
                    "cited_text", *matching.COLUMNS, "chain"]


@dataclass
class Audit:
    """What the audit of one report against one review found."""

    review: Review
    report: str | None  # registry key or file stem; None when there is no report
    path: Path | None
    citations: pd.DataFrame
    summary: dict[str, Any]
    claims: pd.DataFrame
    text: ReportText | None = field(default=None, repr=False)

    def __iter__(self) -> Iterator[Any]:
        """Unpack as ``citations, summary, claims``."""
        return iter((self.citations, self.summary, self.claims))


def resolve_report(report: str | Path | None, iso3: str, cycle: int) -> str | Path | None:
    """``"default"`` becomes the registered report on the review (or None); others pass."""
    if isinstance(report, str) and report == "default":
        return default_report(iso3, cycle)
    if isinstance(report, str) and not report.strip():
        return None
    return report


def audit_text(text: ReportText, review: Review,
               claims: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Citations (classified) and claims (compared) of a report text against a review."""
    found = _citations.extract(text, exclude=review.iso3)
    record = matching.Record.from_state_level(review.state)
    cites = matching.classify(found, record)[CITATION_COLUMNS]
    cites.insert(0, "citation", range(1, len(cites) + 1))
    for col in ("footnote", "line"):
        cites[col] = cites[col].astype("Int64")
    claim_rows = claims if claims is not None else pd.DataFrame(
        columns=["claim_id", "section", "claim", "value", "unit", "page", "footnote", "metric"])
    return cites, _claims.compare(claim_rows, review, text)


def summarise(cites: pd.DataFrame, claims: pd.DataFrame, review: Review,
              report: str | None) -> dict[str, Any]:
    """Key figures of an audit (JSON-friendly)."""
    counts = cites["finding"].value_counts()
    record = review.state
    pids = set(record["paragraph_id"].dropna())
    numbered = cites.loc[cites["kind"] != "quoted"]
    matched = cites.dropna(subset=["matched_paragraph"]).drop_duplicates("matched_paragraph")
    errors = cites.loc[cites["finding"].isin(["wrong number", "wrong state", "not found"])]
    testable = claims.loc[claims["status"] != _claims.NOT_TESTABLE]
    weak = claims.loc[claims["footnote_check"].str.contains("does not cite|lost", na=False)
                      & (claims["status"] != _claims.NOT_TESTABLE)]
    return {
        "report": report, "country": review.iso3, "cycle": review.cycle,
        "citations": len(cites),
        "numbered": int((cites["kind"] == "numbered").sum()),
        "continuations": int((cites["kind"] == "continuation").sum()),
        "quoted": int((cites["kind"] == "quoted").sum()),
        **{f"class_{c.replace(' ', '_')}": int(counts.get(c, 0)) for c in matching.CLASSES},
        "numbers_not_in_record": int((~numbered["cited_paragraph"].isin(pids)).sum()),
        "paragraphs_cited": len(matched),
        "paragraphs_cited_noted": int((matched["response"] == "noted").sum()),
        "errors": [f"line {r.line}: {r.cited_paragraph or 'quote'} ({r.cited_state or '?'}) "
                   f"{r.finding}: {r.detail}" for r in errors.itertuples()],
        "claims": len(claims),
        "claims_testable": len(testable),
        "claims_agree": int((testable["status"] == "agrees").sum()),
        "claims_differ": int((testable["status"] == "differs").sum()),
        "claims_not_testable": int(len(claims) - len(testable)),
        "testable_claims_without_support": sorted({int(f) for f in weak["footnote"].dropna()}),
    }


def audit_report(report: str | Path | None = "default", review: Review | None = None, *,
                 country: str | None = None, cycle: int | None = None,
                 processed_dir: Path | None = None, claims_folder: Path | None = None) -> Audit:
    """Audit ``report`` against a review (a :class:`Review`, or country, cycle and folder).

    ``report``: registry key, path to a .txt file, ``"default"`` or None. Claims come from the
    curated ``report_claims`` rows of that report and review (``claims_folder`` overrides the
    curated folder, for tests).
    """
    if review is None:
        if country is None or cycle is None:
            raise UsageError("give a Review, or country and cycle")
        review = Review(country, cycle, processed_dir)
    chosen = resolve_report(report, review.iso3, review.cycle)
    if chosen is None:
        cites, claims = audit_text(ReportText.from_string("", "none"), review)
        return Audit(review, None, None, cites.iloc[:0], summarise(
            cites.iloc[:0], claims, review, None), claims)
    name, path = report_path(chosen)
    text = ReportText.from_file(path, name)
    claim_rows = _claims.load_claims(name, review.iso3, review.cycle, claims_folder)
    cites, claims = audit_text(text, review, claim_rows)
    return Audit(review, name, path, cites, summarise(cites, claims, review, name), claims, text)
