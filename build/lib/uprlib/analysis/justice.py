"""Access to justice: lawyers, the judiciary, fair trial and legal aid."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from uprlib.output.review import Review

from . import figures
from .common import listing, section, section_counts, topic_counts

KEY = "access_to_justice"


def recommendations(review: Review) -> pd.DataFrame:
    """The recommendations the access-to-justice rule selects, one row per paragraph."""
    return listing(section(review, KEY)[1])


def topics(review: Review) -> pd.DataFrame:
    """Access-to-justice recommendations per topic and response."""
    return topic_counts(section(review, KEY)[1]).reset_index()


def key_figures(review: Review) -> dict[str, Any]:
    """The section's counts and those on lawyers (the checked cell)."""
    t = topics(review).set_index("topic")
    return {
        **section_counts(review, KEY),
        "lawyers_paragraphs": int(t.at["lawyers", "total"]) if "lawyers" in t.index else 0,
    }


def figure_topics(review: Review) -> plt.Figure | None:
    """Accepted and noted paragraphs per topic (None when the section selects none)."""
    t = topics(review).set_index("topic")
    if t.empty:
        return None
    return figures.response_bars(t, f"Access-to-justice recommendations by topic, "
                                 f"{review.label}", "Paragraphs (one may touch several topics)",
                                 "Topic")
