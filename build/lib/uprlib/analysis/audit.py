"""The audit section: a report's citations and figures checked against the review's record.

Every function takes the review and the report (``"default"``: the registered report on that
review; a registry key; a path to a .txt file; or None). The audit itself runs once per
(review, report) and is kept for the other functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from uprlib.audit import Audit, audit_report
from uprlib.audit.matching import CLASSES
from uprlib.output.review import Review

from . import figures

KEY = "audit"
ReportArg = str | Path | None
_RUNS: dict[tuple[str, int, str, str], Audit] = {}


def run(review: Review, report: ReportArg = "default") -> Audit:
    """The audit of ``report`` against ``review`` (computed once, then reused)."""
    key = (review.iso3, review.cycle, str(review.processed_dir), str(report))
    if key not in _RUNS:
        _RUNS[key] = audit_report(report, review)
    return _RUNS[key]


def key_figures(review: Review, report: ReportArg = "default") -> dict[str, Any]:
    """Counts of the audit: citations per class, claims agreeing and differing."""
    s = dict(run(review, report).summary)
    s.pop("errors")
    return s


def findings(review: Review, report: ReportArg = "default") -> pd.DataFrame:
    """Citations per class (rows) and kind (columns), with totals."""
    c = run(review, report).citations
    t = pd.crosstab(c["finding"], c["kind"]).reindex(CLASSES, fill_value=0)
    t = t.reindex(columns=[k for k in ("numbered", "continuation", "quoted") if k in t.columns])
    t["total"] = t.sum(axis=1)
    return t.rename_axis(index="finding", columns=None).reset_index()


def citations(review: Review, report: ReportArg = "default") -> pd.DataFrame:
    """Every citation found, as printed and as matched."""
    cols = ["citation", "line", "footnote", "kind", "cited_paragraph", "cited_state", "finding",
            "matched_paragraph", "matched_state", "response", "similarity", "cited_text"]
    return run(review, report).citations[cols]


def errors(review: Review, report: ReportArg = "default") -> pd.DataFrame:
    """Citations whose number, state or text does not match the record, with what it is."""
    c = run(review, report).citations
    c = c.loc[c["finding"].isin(["wrong number", "wrong state", "not found"])]
    return c[["line", "footnote", "cited_paragraph", "cited_state", "finding",
              "matched_paragraph", "matched_state", "detail"]].reset_index(drop=True)


def claims(review: Review, report: ReportArg = "default") -> pd.DataFrame:
    """The report's claims, claimed beside computed; untestable ones last."""
    c = run(review, report).claims
    order = c["metric"].isna()
    return c.assign(_o=order).sort_values("_o", kind="stable").drop(columns="_o")[
        ["claim", "page", "claimed", "computed", "status", "metric", "footnote_check"]
    ].reset_index(drop=True)


def figure_findings(review: Review, report: ReportArg = "default") -> plt.Figure | None:
    """Citations per class, stacked by kind; None if the report cites nothing."""
    t = findings(review, report).set_index("finding").drop(columns="total")
    if t.to_numpy().sum() == 0:
        return None
    figures.use_style()
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    left = pd.Series(0, index=t.index)
    for i, kind in enumerate(t.columns):
        ax.barh(t.index, t[kind], left=left, color=figures.OKABE_ITO[i], label=kind)
        left = left + t[kind]
    for y, n in enumerate(left):
        ax.text(n + 0.3, y, str(int(n)), va="center", fontsize=9)
    ax.invert_yaxis()
    ax.set_xlabel("Citations")
    ax.legend(frameon=False, loc="lower right")
    ax.set_title(f"Citations of recommendations by finding, {review.label}")
    fig.tight_layout()
    return fig
