"""A report's quantitative claims set beside the figures computed from the data.

The claims are rows of the curated table ``report_claims`` for one report and review. A
claim's ``metric`` names what it is tested against: ``<section>.<key>`` is a key of that
section's ``key_figures(review)`` (sections as in :mod:`uprlib.output.sections`),
``review.<fact>`` a
fact of the review itself (below). A claim with no metric is listed as not testable from the
UPR data. Each claim's supporting footnote is looked up in the report's text.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from uprlib.output import curated
from uprlib.output.review import Review
from uprlib.output.sections import SECTION_MODULES

from .report_text import ReportText

NOT_TESTABLE = "not testable from the UPR data"
# a recommendation number cited in a footnote
CITES_RECOMMENDATION = re.compile(r"\bRecommendations?\s+\d{1,3}\.\d{1,3}")

COLUMNS = ["claim_id", "section", "claim", "page", "footnote", "claimed", "computed", "agrees",
           "status", "metric", "unit", "footnote_check"]


def _cycles_to_date(review: Review) -> int:
    """Reviews of the state in the data up to and including this one."""
    cycles = _section_figures(review, "overview", {})["cycles_in_data"]
    return sum(1 for c in cycles if c <= review.cycle)


# facts of the review itself that a claim can be tested against
REVIEW_METRICS: dict[str, Callable[[Review], Any]] = {
    "year": lambda r: r.year,
    "cycle": lambda r: r.cycle,
    "cycles_to_date": _cycles_to_date,
}


def _section_figures(review: Review, section: str, cache: dict[str, Any]) -> dict[str, Any]:
    """``key_figures`` of one section, computed once per ``cache``."""
    if section not in cache:
        module = importlib.import_module(f"uprlib.analysis.{SECTION_MODULES[section]}")
        cache[section] = module.key_figures(review)
    return cache[section]


def computed_value(review: Review, metric: str, where: str = "",
                   cache: dict[str, Any] | None = None) -> Any:
    """The value of ``metric`` for the review; fail naming the metric if it is unknown."""
    space, _, key = metric.partition(".")
    if space == "review" and key in REVIEW_METRICS:
        return REVIEW_METRICS[key](review)
    if space in SECTION_MODULES:
        figs = _section_figures(review, space, {} if cache is None else cache)
        if key in figs:
            return figs[key]
        raise KeyError(f"{where}unknown metric {metric!r}: {space}.key_figures has "
                       f"{sorted(figs)}")
    raise KeyError(f"{where}unknown metric {metric!r}: the part before the dot must be one of "
                   f"{sorted(SECTION_MODULES) + ['review']}")


def same_value(claimed: str, computed: Any) -> bool:
    """Whether a claimed value (text from the CSV) equals a computed one."""
    if computed is None:
        return False
    try:
        return float(claimed) == float(computed)
    except (TypeError, ValueError):
        return str(claimed).strip().casefold() == str(computed).strip().casefold()


def load_claims(report: str, iso3: str, cycle: int, folder: Path | None = None) -> pd.DataFrame:
    """The curated claims of one report about one review (may be empty)."""
    df = curated.load("report_claims", folder=folder)
    sel = (df["report"] == report) & (df["country"] == iso3) & (df["cycle"] == int(cycle))
    return df.loc[sel].reset_index(drop=True)


def record_symbol(review: Review) -> str | None:
    """Symbol of the review's Working Group report (curated ``review_dates``), if known."""
    d = review.curated("review_dates")
    d = d.loc[d["cycle"] == review.cycle, "working_group_report"].dropna()
    return None if d.empty else str(d.iloc[0])


def footnote_check(report: ReportText, number: Any, symbol: str | None,
                   testable: bool) -> str:
    """What the report's text holds for a claim's supporting footnote.

    For a claim the data can test, the footnote should cite the review's record: a
    recommendation number or the Working Group report's symbol.
    """
    if number is None or pd.isna(number):
        return ""
    fn = report.footnotes.get(int(number))
    if fn is None:
        return f"footnote {int(number)}: marker lost in the extraction"
    if not testable:
        return f"footnote {int(number)}: present"
    cites = bool(CITES_RECOMMENDATION.search(fn.text)) or bool(symbol and symbol in fn.text)
    return (f"footnote {int(number)}: cites the review's record" if cites else
            f"footnote {int(number)}: text does not cite the review's record (missing or "
            f"garbled in the extraction)")


def compare(claims: pd.DataFrame, review: Review, report: ReportText | None) -> pd.DataFrame:
    """Claimed beside computed for every claim; untestable ones are kept and marked."""
    symbol = record_symbol(review)
    cache: dict[str, Any] = {}
    rows = []
    for i, c in claims.iterrows():
        metric = c["metric"] if isinstance(c["metric"], str) and c["metric"] else None
        where = f"report_claims.csv, claim {c['claim_id']!r} (row {i + 2}): "
        computed = computed_value(review, metric, where, cache) if metric else None
        agrees = same_value(c["value"], computed) if metric else None
        status = NOT_TESTABLE if not metric else ("agrees" if agrees else "differs")
        rows.append({
            "claim_id": c["claim_id"], "section": c["section"], "claim": c["claim"],
            "page": c["page"], "footnote": c["footnote"], "claimed": c["value"],
            "computed": None if computed is None else str(computed), "agrees": agrees,
            "status": status, "metric": metric, "unit": c["unit"],
            "footnote_check": "" if report is None else footnote_check(
                report, c["footnote"], symbol, bool(metric)),
        })
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["agrees"] = out["agrees"].astype("boolean")
    return out
