"""Overview: the recommendation landscape of one review."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from uprlib.output.markup import Markdown, md
from uprlib.output.review import Review
from uprlib.output.tables import available, load_recommendations, to_paragraphs
from uprlib.workspace import responses as vocabulary
from uprlib.workspace.text import LIST_SEP

from . import figures
from .common import acceptance_rate, count_figures, response_columns, response_counts

# UPR Info action categories (McMahon), from least to most demanding
ACTION_CATEGORIES = {
    1: "1 minimal action (e.g. share, seek)",
    2: "2 continuing action (continue)",
    3: "3 considering action (consider)",
    4: "4 general action",
    5: "5 specific action",
}


def responses(review: Review) -> pd.DataFrame:
    """Totals and responses at paragraph and state level (partly supported and pending
    where the review has them), with the acceptance rate of those answered."""
    cols = response_columns(review.state["response"])
    rows = []
    for level, df in (("paragraph", review.paragraphs), ("state", review.state)):
        c = df["response"].value_counts()
        rows.append({"level": level, "total": len(df), **{r: int(c.get(r, 0)) for r in cols}})
    out = pd.DataFrame(rows)
    answered = out[[c for c in cols if c in vocabulary.RESPONDED]].sum(axis=1)
    out["acceptance_rate"] = acceptance_rate(out[vocabulary.ACCEPTED], answered)
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
    answered: dict[str, list[int]] = {"paragraphs": [], "state_level": []}
    extra: dict[str, dict[str, int]] = {}
    for cycle in sorted(reviews.loc[reviews["sur_iso3"] == review.iso3, "cycle"].unique()):
        state = load_recommendations(review.iso3, int(cycle), "state", folder=review.processed_dir)
        para = to_paragraphs(state)
        rows.append(
            {
                "cycle": int(cycle),
                "year": int(state["year"].iloc[0]),
                "source": state["source"].iloc[0],
                "paragraphs": len(para),
                "paragraphs_accepted": int((para["response"] == vocabulary.ACCEPTED).sum()),
                "state_level": len(state),
                "state_level_accepted": int((state["response"] == vocabulary.ACCEPTED).sum()),
                "recommending_states": int(state["recommending_iso3"].nunique()),
            }
        )
        for level, df in (("paragraphs", para), ("state_level", state)):
            answered[level].append(int(df["response"].isin(vocabulary.RESPONDED).sum()))
            for k, v in count_figures(df, level).items():
                if k.endswith(tuple(vocabulary.KEYS[r] for r in vocabulary.EXTRA)):
                    extra.setdefault(k, {})[len(rows) - 1] = v
    out = pd.DataFrame(rows)
    for k, values in extra.items():  # partly supported, pending: only where a review has any
        out[k] = [values.get(i, 0) for i in range(len(out))]
    out["paragraph_acceptance_rate"] = acceptance_rate(out["paragraphs_accepted"],
                                                       pd.Series(answered["paragraphs"]))
    out["acceptance_rate"] = acceptance_rate(out["state_level_accepted"],
                                             pd.Series(answered["state_level"]))
    return out


def key_figures(review: Review) -> dict[str, Any]:
    """The overview's headline numbers."""
    r = responses(review).set_index("level")
    act = by_action(review).set_index("action")
    spec = act.loc[ACTION_CATEGORIES[5]] if ACTION_CATEGORIES[5] in act.index else None
    para, state = count_figures(review.paragraphs, "paragraphs"), count_figures(review.state,
                                                                                "state_level")
    basic = [f"_{vocabulary.KEYS[x]}" for x in vocabulary.BASIC]
    return {
        "country": review.iso3,
        "cycle": review.cycle,
        "year": review.year,
        "source": review.source,
        "paragraphs": int(r.at["paragraph", "total"]),
        "paragraphs_accepted": para["paragraphs_accepted"],
        "paragraphs_noted": para["paragraphs_noted"],
        "state_level": int(r.at["state", "total"]),
        "state_level_accepted": state["state_level_accepted"],
        "state_level_noted": state["state_level_noted"],
        # partly supported and pending: present only where the review has any
        **{k: v for k, v in (para | state).items() if not k.endswith(tuple(basic))},
        "recommending_states": int(review.state["recommending_iso3"].nunique()),
        "specific_action_acceptance_rate": None if spec is None or pd.isna(
            spec["acceptance_rate"]) else float(spec["acceptance_rate"]),
        "cycles_in_data": [int(c) for c in cycles(review)["cycle"]],
    }


def summary_note(review: Review, f: dict[str, Any]) -> Markdown:
    """The overview's opening sentences from its key figures ``f``: paragraphs received and
    the responses (the share accepted of those answered; a response awaited said as such)."""
    head = md("{} received **{}** recommendation paragraphs in cycle {} ({})", review.name,
              f["paragraphs"], review.cycle, f["year"])
    if review.pending:
        return head + md(". {} has not responded yet: no position is published, so none is "
                         "counted as accepted or noted. Counted once per recommending state, "
                         "that is {} recommendations from {} states.", review.name,
                         f["state_level"], f["recommending_states"])
    answered = f["paragraphs"] - f.get("paragraphs_pending", 0)
    partly = f.get("paragraphs_partly_supported", 0)
    text = head + md(" and accepted {} of them ({:.0f}%{}), ", f["paragraphs_accepted"],
                     100 * f["paragraphs_accepted"] / answered,
                     " of those answered" if answered != f["paragraphs"] else "")
    if partly:
        text += md("supported {} in part, ", partly)
    text += md("noting {}.", f["paragraphs_noted"])
    if f.get("paragraphs_pending"):
        text += md(" {} await a response.", f["paragraphs_pending"])
    return text + md(" Counted once per recommending state, that is {} recommendations from "
                     "{} states, {} accepted.", f["state_level"], f["recommending_states"],
                     f["state_level_accepted"])


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
    extra = {r: t[f"state_level_{vocabulary.KEYS[r]}"] for r in vocabulary.EXTRA
             if f"state_level_{vocabulary.KEYS[r]}" in t}
    noted = t["state_level"] - t["state_level_accepted"] - sum(extra.values())
    figures.cycle_bars(ax, t["cycle"], t["year"], t["state_level_accepted"], noted,
                       "State-level recommendations",
                       f"Recommendations to {review.name} across cycles", others=extra)
    fig.tight_layout()
    return fig
