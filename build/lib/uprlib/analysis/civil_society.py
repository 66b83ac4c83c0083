"""Legal framework for civil society: expression, press, association, assembly, NGOs, HRDs."""

from __future__ import annotations

from typing import Any

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd

from uprlib.output.review import Review

from . import figures
from .common import listing, section, section_counts, topic_counts

KEY = "civil_society"
EVENT_MARKERS = {"draft published": "o", "comments closed": "s", "adopted": "D",
                 "in force": "^", "revised": "v"}


def recommendations(review: Review) -> pd.DataFrame:
    """The recommendations the civil-society rule selects, one row per paragraph."""
    return listing(section(review, KEY)[1])


def topics(review: Review) -> pd.DataFrame:
    """Civil-society recommendations per topic and response."""
    return topic_counts(section(review, KEY)[1]).reset_index()


def laws(review: Review) -> pd.DataFrame:
    """Curated laws and drafts with their dated events (may be empty)."""
    df = review.curated("laws")
    return df[["short_name", "instrument_type", "event", "date", "status_at_report", "source"]]


def key_figures(review: Review) -> dict[str, Any]:
    """The section's counts and the number of curated laws and drafts (the checked cell)."""
    lw = review.curated("laws")
    return {
        **section_counts(review, KEY),
        "laws_and_drafts": int(lw["short_name"].nunique()) if len(lw) else 0,
    }


def figure_topics(review: Review) -> plt.Figure | None:
    """Accepted and noted paragraphs per topic (None when the section selects none)."""
    t = topics(review).set_index("topic")
    if t.empty:
        return None
    return figures.response_bars(t, f"Civil-society recommendations by topic, {review.label}",
                                 "Paragraphs (one may touch several topics)", "Topic")


def figure_timeline(review: Review) -> plt.Figure | None:
    """Timeline of laws and drafts, with the review date marked."""
    df = review.curated("laws")
    if df.empty:
        return None
    figures.use_style()
    order = df.groupby("short_name")["date"].min().sort_values()
    fig, ax = plt.subplots(figsize=(8.5, 0.34 * len(order) + 1.8))
    ypos = {name: i for i, name in enumerate(order.index)}
    for name, g in df.groupby("short_name"):
        ax.plot(g["date"], [ypos[name]] * len(g), "-", color="#999999", lw=1)
    for i, (event, marker) in enumerate(EVENT_MARKERS.items()):
        g = df.loc[df["event"] == event]
        if len(g):
            ax.scatter(g["date"], g["short_name"].map(ypos), marker=marker, s=36, zorder=3,
                       color=figures.OKABE_ITO[i], label=event)
    review_day = review.review_date()
    if review_day is not None:
        ax.axvline(review_day, color="#000000", ls="--", lw=1)
        ax.text(review_day, -0.9, f" UPR review {review_day:%d %b %Y}", fontsize=9)
    ax.set_yticks(range(len(order)), order.index)
    ax.set_ylim(len(order) - 0.4, -1.4)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    ax.set_xlabel("Date")
    ax.set_ylabel("Law, draft or rules")
    ax.set_title(f"{review.name}: laws, drafts and rules after the review")
    ax.legend(title="Event", frameon=False, loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig
