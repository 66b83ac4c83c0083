"""Peer comparison: where the state stands among all states reviewed in the same cycle.

Everything here is a view of :func:`uprlib.output.crosscountry.summary_table` (one row per state
under review, computed for all states in one vectorised pass); the state's peer comparison is
its own row within that table. Peers are the states of the cycle *in the data*: all 193 for
cycles 1 and 2, and for cycle 3 the 14 reviews of session 27 (the 2018 UPR Info export stops
there) and those with an OHCHR file. :func:`coverage_note` says so with the numbers of the
data."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from uprlib.errors import NoDataError
from uprlib.output.crosscountry import coverage, summary_table
from uprlib.output.review import Review
from uprlib.transform.countries import REGIONAL_GROUPS

from . import figures

MIN_PEERS = 5  # fewer states than this in a cycle: no distribution to draw

PEER_COLUMNS = ["sur_iso3", "sur_name", "un_regional_group", "source", "state_level",
                "acceptance_rate", "paragraph_acceptance_rate", "recommending_states",
                "action5_share", "action5_acceptance_rate", "acceptance_rank",
                "acceptance_percentile"]


def table(review: Review) -> pd.DataFrame:
    """All states of the review's cycle (the batch summary), with ``is_this_state``."""
    t = summary_table(review.cycle, review.processed_dir)
    return t.assign(is_this_state=t["sur_iso3"] == review.iso3)


def state_row(review: Review) -> pd.Series:
    """The state's row of the summary table."""
    t = table(review)
    row = t.loc[t["is_this_state"]]
    if row.empty:  # cannot happen for a valid Review; guards a changed source preference
        raise NoDataError(f"{review.iso3} is not in the cycle {review.cycle} summary table")
    return row.iloc[0]


def _enough(t: pd.DataFrame) -> bool:
    return len(t) >= MIN_PEERS


def comparison(review: Review) -> pd.DataFrame:
    """The state beside the median of its regional group and of all states in the cycle
    (empty if the cycle has fewer than MIN_PEERS states in the data)."""
    t = table(review)
    if not _enough(t):
        return pd.DataFrame()
    me = state_row(review)
    group = t.loc[t["un_regional_group"] == me["un_regional_group"]]
    measures = {
        "acceptance_rate": "Recommendations accepted (%, state level)",
        "paragraph_acceptance_rate": "Recommendations accepted (%, paragraphs)",
        "state_level": "Recommendations received (state level)",
        "recommending_states": "Recommending states",
        "action5_share": "Specific-action (category 5) share of those received (%)",
        "action5_acceptance_rate": "Specific-action recommendations accepted (%)",
    }
    rows = []
    for col, label in measures.items():
        rank = t[col].rank(ascending=False, method="min").loc[me.name]
        rows.append({"measure": label, review.name: me[col],
                     f"median, {me['un_regional_group']} ({len(group)} states)":
                         round(float(group[col].median()), 1),
                     f"median, all states ({len(t)})": round(float(t[col].median()), 1),
                     "rank (1 = highest)": None if pd.isna(rank) else int(rank),
                     "states ranked": int(t[col].notna().sum())})
    out = pd.DataFrame(rows)
    out["rank (1 = highest)"] = out["rank (1 = highest)"].astype("Int64")
    return out


def by_group(review: Review) -> pd.DataFrame:
    """Median acceptance and specific-action figures by UN regional group of the state under
    review, for every group with states in the cycle (empty if too few states)."""
    t = table(review)
    if not _enough(t):
        return pd.DataFrame()
    g = t.groupby("un_regional_group")
    out = pd.DataFrame({
        "states": g.size(),
        "median_acceptance_rate": g["acceptance_rate"].median(),
        "median_recommendations": g["state_level"].median(),
        "median_action5_share": g["action5_share"].median(),
        "median_action5_acceptance_rate": g["action5_acceptance_rate"].median(),
    }).round(1)
    out = out.reindex([x for x in REGIONAL_GROUPS if x in out.index])
    me = state_row(review)
    out["this_state's_group"] = out.index == me["un_regional_group"]
    return out.rename_axis("un_regional_group").reset_index()


def neighbours(review: Review, n: int = 5) -> pd.DataFrame:
    """The states just above and below this one by acceptance rate (empty if too few)."""
    if not _enough(table(review)):
        return pd.DataFrame()
    t = table(review).sort_values(["acceptance_rate", "sur_iso3"], ascending=[False, True],
                                  ignore_index=True)
    i = int(np.flatnonzero(t["is_this_state"])[0])
    return t.iloc[max(0, i - n): i + n + 1][PEER_COLUMNS + ["is_this_state"]].reset_index(
        drop=True)


def key_figures(review: Review) -> dict[str, Any]:
    """The state's place in its cycle."""
    me = state_row(review)
    cov = coverage(review.cycle, review.processed_dir)
    return {
        "country": review.iso3, "cycle": review.cycle,
        "states_in_cycle": int(me["states_in_cycle"]),
        "sessions_in_data": str(cov["first_session"]) if cov["first_session"] ==
        cov["last_session"] else f"{cov['first_session']}-{cov['last_session']}",
        # none while the state's response is awaited (it is then in no ranking)
        "acceptance_rate": _number(me["acceptance_rate"]),
        "acceptance_rank": None if pd.isna(me["acceptance_rank"]) else int(me["acceptance_rank"]),
        "acceptance_percentile": _number(me["acceptance_percentile"]),
        "cycle_median_acceptance_rate": _number(me["cycle_median_acceptance_rate"]),
        "un_regional_group": str(me["un_regional_group"]),
        "group_states": int(me["group_states"]),
        "group_median_acceptance_rate": _number(me["group_median_acceptance_rate"]),
        "action5_share": None if pd.isna(me["action5_share"]) else float(me["action5_share"]),
        "action5_acceptance_rate": None if pd.isna(me["action5_acceptance_rate"])
        else float(me["action5_acceptance_rate"]),
    }


def _number(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def coverage_note(review: Review) -> str:
    """Which states the comparison is among, computed from the data."""
    cov = coverage(review.cycle, review.processed_dir)
    f = key_figures(review)
    sessions = (f"Working Group session {cov['first_session']}"
                if cov["first_session"] == cov["last_session"]
                else f"Working Group sessions {cov['first_session']}-{cov['last_session']}")
    years = (str(cov["first_year"]) if cov["first_year"] == cov["last_year"]
             else f"{cov['first_year']}-{cov['last_year']}")
    text = (f"Peers are the {cov['states']} state(s) under review in cycle {review.cycle} "
            f"that are in the data ({sessions}, {years}).")
    if cov["states"] < MIN_PEERS:
        return text + (f" That is too few for a comparison; cycle {review.cycle} is in the "
                       "data only through the OHCHR files imported or in the registry.")
    if f["acceptance_rate"] is None:
        return text + (f" The response of {review.name} is awaited, so it has no acceptance "
                       f"rate to rank; the median is {f['cycle_median_acceptance_rate']:.1f}% "
                       "for the states that have responded.")
    ranked = int(table(review)["acceptance_rate"].notna().sum())
    among = (str(f["states_in_cycle"]) if ranked == f["states_in_cycle"]
             else f"the {ranked} that have responded")
    return text + (
        f" {review.name} accepted {f['acceptance_rate']:.1f}% of its recommendations (counted "
        f"per recommending state), rank {f['acceptance_rank']} of {among} "
        f"(1 = highest); the median is {f['cycle_median_acceptance_rate']:.1f}% for all these "
        f"states and {f['group_median_acceptance_rate']:.1f}% for the {f['group_states']} of "
        f"the {f['un_regional_group']} group.")


def _label_point(ax: plt.Axes, x: float, y: float, text: str) -> None:
    ax.annotate(text, (x, y), xytext=(6, 6), textcoords="offset points", fontsize=9,
                color=figures.OKABE_ITO[5], fontweight="bold",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})


def figure_distribution(review: Review) -> plt.Figure | None:
    """Histogram of acceptance rates of all states in the cycle, with this state marked."""
    t = table(review)
    if not _enough(t):
        return None
    me = state_row(review)
    rates = t["acceptance_rate"].dropna()  # a state whose response is awaited has none
    figures.use_style()
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    bins = np.arange(np.floor(rates.min() / 5) * 5, 105, 5)
    ax.hist(rates, bins=bins, color=figures.OKABE_ITO[0], edgecolor="white")
    median = float(rates.median())
    ax.set_ylim(0, ax.get_ylim()[1] * 1.25)
    ax.axvline(median, color="#555555", ls="--", lw=1)
    marks = [(median, f"median {median:.0f}%", "#555555")]
    if not pd.isna(me["acceptance_rate"]):
        mine = float(me["acceptance_rate"])
        ax.axvline(mine, color=figures.OKABE_ITO[5], lw=2)
        marks.append((mine, f"{review.name} {mine:.0f}%", figures.OKABE_ITO[5]))
    left = len(marks) > 1 and marks[1][0] < median  # labels on their own sides, no overlap
    for (x, text, colour), on_left in zip(marks, (not left, left), strict=False):
        ax.annotate(text, (x, 0.97), xycoords=("data", "axes fraction"),
                    xytext=(-5 if on_left else 5, 0), textcoords="offset points", va="top",
                    ha="right" if on_left else "left", fontsize=9, color=colour)
    ax.set_xlabel("Recommendations accepted (%, counted per recommending state)")
    ax.set_ylabel("States under review")
    ax.set_title(f"Acceptance rates of the {len(rates)} states reviewed in cycle {review.cycle}"
                 + (" that have responded" if len(rates) < len(t) else ""))
    fig.tight_layout()
    return fig


def figure_groups(review: Review) -> plt.Figure | None:
    """Acceptance rate of every state by UN regional group, medians as bars, this state
    highlighted."""
    t = table(review)
    if not _enough(t):
        return None
    groups = [g for g in REGIONAL_GROUPS if g in set(t["un_regional_group"])]
    figures.use_style()
    fig, ax = plt.subplots(figsize=(7.5, 0.55 * len(groups) + 1.6))
    rng = np.random.default_rng(0)  # fixed jitter: the figure is the same on every run
    for i, g in enumerate(groups):
        sub = t.loc[t["un_regional_group"] == g]
        y = i + rng.uniform(-0.18, 0.18, len(sub))
        ax.scatter(sub["acceptance_rate"], y, s=14, color=figures.OKABE_ITO[0], alpha=0.55,
                   linewidths=0)
        med = sub["acceptance_rate"].median()
        ax.plot([med, med], [i - 0.3, i + 0.3], color="#000000", lw=2)
    me = state_row(review)
    i = groups.index(me["un_regional_group"])
    if not pd.isna(me["acceptance_rate"]):  # none while the state's response is awaited
        ax.scatter([me["acceptance_rate"]], [i], s=70, color=figures.OKABE_ITO[5], zorder=3,
                   edgecolors="black")
        _label_point(ax, float(me["acceptance_rate"]), i, review.name)
    ax.set_yticks(range(len(groups)),
                  [f"{g} ({(t['un_regional_group'] == g).sum()})" for g in groups])
    ax.invert_yaxis()
    ax.set_xlabel("Recommendations accepted (%, counted per recommending state)")
    ax.set_ylabel("UN regional group (states)")
    ax.set_title(f"Acceptance by regional group, cycle {review.cycle} (bar: median)")
    fig.tight_layout()
    return fig


def figure_action5(review: Review) -> plt.Figure | None:
    """Share of specific-action (category 5) recommendations received against the share of
    them accepted, every state of the cycle, this state highlighted."""
    t = table(review).dropna(subset=["action5_share", "action5_acceptance_rate"])
    if not _enough(t):
        return None
    figures.use_style()
    fig, ax = plt.subplots(figsize=(6.5, 4.6))
    others = t.loc[~t["is_this_state"]]
    ax.scatter(others["action5_share"], others["action5_acceptance_rate"], s=16,
               color=figures.OKABE_ITO[0], alpha=0.55, linewidths=0)
    me = t.loc[t["is_this_state"]]
    if not me.empty:
        x, y = float(me["action5_share"].iloc[0]), float(me["action5_acceptance_rate"].iloc[0])
        ax.scatter([x], [y], s=70, color=figures.OKABE_ITO[5], edgecolors="black", zorder=3)
        _label_point(ax, x, y, review.name)
    ax.set_xlabel("Specific-action (category 5) share of recommendations received (%)")
    ax.set_ylabel("Specific-action recommendations accepted (%)")
    ax.set_title(f"Specific-action recommendations, cycle {review.cycle} (a dot per state)")
    fig.tight_layout()
    return fig
