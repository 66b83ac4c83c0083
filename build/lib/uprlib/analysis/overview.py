"""Overview: the recommendation landscape of one review."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from uprlib.output.review import Review
from uprlib.output.tables import available, load_recommendations, to_paragraphs
from uprlib.workspace.text import LIST_SEP

from . import figures
from .common import response_counts

# UPR Info action categories (McMahon), from least to most demanding
ACTION_CATEGORIES = {
    1: "1 minimal action (e.g. share, seek)",
    2: "2 continuing action (continue)",
    3: "3 considering action (consider)",
    4: "4 general action",
    5: "5 specific action",
}


def responses(review: Review) -> pd.DataFrame:
    """Totals and responses at paragraph and state level."""
    rows = []
    for level, df in (("paragraph", review.paragraphs), ("state", review.state)):
        c = df["response"].value_counts()
        rows.append(
            {
                "level": level,
                "total": len(df),
                "accepted": int(c.get("accepted", 0)),
                "noted": int(c.get("noted", 0)),
            }
        )
    out = pd.DataFrame(rows)
    out["acceptance_rate"] = (100 * out["accepted"] / out["total"]).round(1)
    return out


def by_group(review: Review) -> pd.DataFrame:
    """State-level responses by the recommending state's UN regional group."""
    df = review.state.assign(group=review.state["recommending_group"].fillna("Unknown"))
    return response_counts(df, "group").sort_values("total", ascending=False).reset_index()


def by_action(review: Review) -> pd.DataFrame:
    """State-level responses by UPR Info action category (1-5), with acceptance rate."""
    df = review.state.assign(
        action=review.state["action_category"].map(ACTION_CATEGORIES).fillna("not coded")
    )
    return response_counts(df, "action").sort_index().reset_index()


def by_theme(review: Review, top: int = 15) -> pd.DataFrame:
    """State-level responses by theme (OHCHR theme labels or UPR Info issues)."""
    df = review.state.assign(
        theme=review.state["themes"].fillna("").str.split(LIST_SEP, regex=False)
    )
    df = df.explode("theme")
    df["theme"] = df["theme"].replace("", "no theme")
    t = response_counts(df, "theme").sort_values("total", ascending=False).head(top)
    return t.reset_index()


def cycles(review: Review) -> pd.DataFrame:
    """Counts and acceptance for every cycle of this state in the data (its follow-up)."""
    reviews = available(review.processed_dir)
    rows = []
    for cycle in sorted(reviews.loc[reviews["sur_iso3"] == review.iso3, "cycle"].unique()):
        state = load_recommendations(review.iso3, int(cycle), "state", folder=review.processed_dir)
        para = to_paragraphs(state)
        rows.append(
            {
                "cycle": int(cycle),
                "year": int(state["year"].iloc[0]),
                "source": state["source"].iloc[0],
                "paragraphs": len(para),
                "paragraphs_accepted": int((para["response"] == "accepted").sum()),
                "state_level": len(state),
                "state_level_accepted": int((state["response"] == "accepted").sum()),
                "recommending_states": int(state["recommending_iso3"].nunique()),
            }
        )
    out = pd.DataFrame(rows)
    out["paragraph_acceptance_rate"] = (100 * out["paragraphs_accepted"]
                                        / out["paragraphs"]).round(1)
    out["acceptance_rate"] = (100 * out["state_level_accepted"] / out["state_level"]).round(1)
    return out


def key_figures(review: Review) -> dict[str, Any]:
    """The overview's headline numbers."""
    r = responses(review).set_index("level")
    act = by_action(review).set_index("action")
    spec = act.loc[ACTION_CATEGORIES[5]] if ACTION_CATEGORIES[5] in act.index else None
    return {
        "country": review.iso3,
        "cycle": review.cycle,
        "year": review.year,
        "source": review.source,
        "paragraphs": int(r.at["paragraph", "total"]),
        "paragraphs_accepted": int(r.at["paragraph", "accepted"]),
        "paragraphs_noted": int(r.at["paragraph", "noted"]),
        "state_level": int(r.at["state", "total"]),
        "state_level_accepted": int(r.at["state", "accepted"]),
        "state_level_noted": int(r.at["state", "noted"]),
        "recommending_states": int(review.state["recommending_iso3"].nunique()),
        "specific_action_acceptance_rate": None if spec is None else float(spec["acceptance_rate"]),
        "cycles_in_data": [int(c) for c in cycles(review)["cycle"]],
    }


def figure_groups(review: Review) -> plt.Figure:
    """Responses by UN regional group of the recommending state (bars)."""
    t = by_group(review).set_index("group")
    return figures.response_bars(
        t,
        f"Recommendations to {review.label} by regional group",
        "State-level recommendations",
        "UN regional group of recommender",
    )


def figure_action(review: Review) -> plt.Figure:
    """Acceptance rate by UPR Info action category (bars)."""
    t = by_action(review).set_index("action")
    figures.use_style()
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    ax.barh(t.index, t["acceptance_rate"], color=figures.OKABE_ITO[0])
    for y, (rate, n) in enumerate(zip(t["acceptance_rate"], t["total"], strict=True)):
        ax.text(rate + 1, y, f"{rate:.0f}% of {n}", va="center", fontsize=9)
    ax.set_xlim(0, 115)
    ax.invert_yaxis()
    ax.set_xlabel("Share accepted (%)")
    ax.set_ylabel("Action category")
    ax.set_title(f"Acceptance by action category, {review.label}")
    fig.tight_layout()
    return fig


def figure_themes(review: Review) -> plt.Figure:
    """Responses for the most frequent themes (bars)."""
    t = by_theme(review).set_index("theme")
    return figures.response_bars(
        t, f"Most frequent themes, {review.label}", "State-level recommendations", "Theme"
    )


def figure_cycles(review: Review) -> plt.Figure:
    """Accepted and noted recommendations in each review of the state (bars)."""
    t = cycles(review)
    figures.use_style()
    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    figures.cycle_bars(ax, t["cycle"], t["year"], t["state_level_accepted"],
                       t["state_level"] - t["state_level_accepted"],
                       "State-level recommendations",
                       f"Recommendations to {review.name} across cycles")
    fig.tight_layout()
    return fig
