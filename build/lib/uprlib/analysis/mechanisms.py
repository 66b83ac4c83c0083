"""Treaty bodies and UN mechanisms: cooperation recommendations, ratification, visits."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from uprlib.output.review import Review
from uprlib.output.tables import load_ratification

from . import figures
from .common import listing, section, section_counts, topic_counts

KEY = "treaty_bodies"
STATUS_ORDER = {"state party": 0, "signatory state": 1, "no action": 2}


def recommendations(review: Review) -> pd.DataFrame:
    """Paragraphs on treaty bodies, special procedures, OHCHR, the UPR and reprisals."""
    return listing(section(review, KEY)[1])


def topics(review: Review) -> pd.DataFrame:
    """Recommendations on UN mechanisms per topic and response."""
    return topic_counts(section(review, KEY)[1]).reset_index()


def ratification(review: Review) -> pd.DataFrame:
    """Status of the 18 core instruments for the state."""
    df = load_ratification(review.iso3, folder=review.processed_dir)
    df = df.assign(order=df["status"].map(STATUS_ORDER)).sort_values(["order", "instrument"])
    return df[["instrument", "instrument_name", "status", "year"]].reset_index(drop=True)


def key_figures(review: Review) -> dict[str, Any]:
    """The section's counts, the instruments by ratification status and the pending visit
    requests (the checked cell)."""
    rat = ratification(review)
    return {
        **section_counts(review, KEY),
        "instruments_ratified": int((rat["status"] == "state party").sum()),
        "instruments_signed_only": int((rat["status"] == "signatory state").sum()),
        "instruments_no_action": int((rat["status"] == "no action").sum()),
        "pending_visit_requests": len(review.curated("visit_requests")),
    }


def figure_ratification(review: Review) -> plt.Figure:
    """The state's ratification status of each core instrument (bars)."""
    rat = ratification(review)
    figures.use_style()
    colours = {"state party": figures.OKABE_ITO[2], "signatory state": figures.OKABE_ITO[1],
               "no action": "#BBBBBB"}
    fig, ax = plt.subplots(figsize=(7.5, 5))
    y = range(len(rat))
    ax.barh(list(y), [1] * len(rat), color=rat["status"].map(colours))
    for i, (status, year) in enumerate(zip(rat["status"], rat["year"], strict=True)):
        ax.text(0.02, i, status + (f" ({year})" if pd.notna(year) else ""), va="center",
                fontsize=9)
    ax.set_yticks(list(y), rat["instrument"])
    ax.invert_yaxis()
    ax.set_xticks([])
    ax.set_xlabel("Status (year of ratification or accession)")
    ax.set_ylabel("Instrument")
    ax.set_title(f"{review.name}: status of the core human rights instruments")
    fig.tight_layout()
    return fig


def figure_visits(review: Review) -> plt.Figure | None:
    """Pending visit requests by year requested (curated); None if there are none."""
    v = review.curated("visit_requests")
    if v.empty:
        return None
    figures.use_style()
    v = v.sort_values("year_requested")
    fig, ax = plt.subplots(figsize=(7.5, 0.35 * len(v) + 1.5))
    for i, row in enumerate(v.itertuples()):
        ax.plot([row.year_requested], [i], "o", color=figures.OKABE_ITO[0])
        for r in str(row.reminders or "").split(";"):
            if r.strip().isdigit():
                ax.plot([int(r)], [i], "x", color=figures.OKABE_ITO[5])
    ax.set_yticks(range(len(v)), v["mandate"].str.replace("Special Rapporteur", "SR"))
    ax.invert_yaxis()
    ax.set_xlabel("Year (o first request, x reminder)")
    ax.set_ylabel("Special procedure")
    ax.set_title(f"Pending special-procedure visit requests to {review.name}")
    fig.tight_layout()
    return fig
