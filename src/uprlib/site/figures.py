"""The site's cross-country figures and the tables behind them, computed for all states at once.

* :func:`acceptance_by_group`: median acceptance rate by UN regional group and cycle;
* :func:`acceptance_distribution`: the spread of acceptance rates in a cycle, the states at
  both tails labelled;
* :func:`top_recommenders`: the recommending states that address the most recommendations;
* :func:`followup_rates`: how many recommendations of one cycle come back in the next, per
  state, by the method of :mod:`uprlib.analysis.followup`.

Each returns ``(figure or None, table)``; None where the data have too few states to draw.
Figures use the project's style and the Okabe-Ito palette (:mod:`uprlib.analysis.figures`).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from tqdm import tqdm

from uprlib.analysis import figures, followup
from uprlib.analysis.peers import MIN_PEERS
from uprlib.output.crosscountry import cycle_rows, summary_table
from uprlib.output.review import Review
from uprlib.transform.countries import REGIONAL_GROUPS
from uprlib.workspace import responses

TAIL = 5  # states labelled at each end of the distribution


def acceptance_by_group(cycles: list[int], processed_dir: Path | None = None
                        ) -> tuple[plt.Figure | None, pd.DataFrame]:
    """Median acceptance rate (state level) of the states under review, by regional group
    and cycle, for the cycles with at least MIN_PEERS states in the data."""
    frames = [summary_table(c, processed_dir) for c in cycles]
    t = pd.concat([f for f in frames if len(f) >= MIN_PEERS] or [frames[0].iloc[:0]],
                  ignore_index=True)
    table = (t.groupby(["un_regional_group", "cycle"])
             .agg(states=("sur_iso3", "size"),
                  median_acceptance_rate=("acceptance_rate", "median"),
                  recommendations=("state_level", "sum"),
                  pending=("state_level_pending", "sum"),
                  accepted=("state_level_accepted", "sum"))
             .reset_index())
    answered = (table["recommendations"] - table["pending"]).where(lambda n: n > 0)
    table["pooled_acceptance_rate"] = (100 * table["accepted"] / answered).round(1)
    table = table.drop(columns="pending")
    table["median_acceptance_rate"] = table["median_acceptance_rate"].round(1)
    if table.empty:
        return None, table
    groups = [g for g in REGIONAL_GROUPS if g in set(table["un_regional_group"])]
    shown = sorted(table["cycle"].unique())
    figures.use_style()
    fig, ax = plt.subplots(figsize=(7.5, 0.32 * len(groups) * len(shown) + 1.6))
    height = 0.8 / len(shown)
    for k, cycle in enumerate(shown):
        sub = table.loc[table["cycle"] == cycle].set_index("un_regional_group").reindex(groups)
        y = np.arange(len(groups)) + (k - (len(shown) - 1) / 2) * height
        bars = ax.barh(y, sub["median_acceptance_rate"], height=height * 0.95,
                       color=figures.OKABE_ITO[k % len(figures.OKABE_ITO)],
                       label=f"cycle {cycle}")
        for bar, n in zip(bars, sub["states"], strict=True):
            if pd.notna(n):
                centre = bar.get_y() + bar.get_height() / 2
                ax.annotate(f"{int(n)} states", (bar.get_width(), centre), xytext=(3, 0),
                            textcoords="offset points", va="center", fontsize=8)
    ax.set_yticks(range(len(groups)), groups)
    ax.invert_yaxis()
    ax.set_xlim(0, 115)
    ax.set_xlabel("Median share of recommendations accepted (%, counted per recommending state)")
    ax.set_ylabel("UN regional group of the state under review")
    ax.set_title("Acceptance by regional group and cycle")
    ax.legend(title="UPR cycle", frameon=False, loc="lower right")
    fig.tight_layout()
    return fig, table


def acceptance_distribution(cycle: int, processed_dir: Path | None = None
                            ) -> tuple[plt.Figure | None, pd.DataFrame]:
    """Histogram of the acceptance rates of the states reviewed in ``cycle``, with the TAIL
    lowest and highest labelled; the table is those tail states."""
    t = summary_table(cycle, processed_dir).sort_values(["acceptance_rate", "sur_name"])
    t = t.loc[t["acceptance_rate"].notna()]  # no rate while a state's response is awaited
    low, high = t.head(TAIL), t.tail(TAIL).iloc[::-1]
    tails = pd.concat([low.assign(tail="lowest"), high.assign(tail="highest")],
                      ignore_index=True)[["tail", "sur_name", "sur_iso3", "un_regional_group",
                                          "acceptance_rate", "state_level"]]
    if len(t) < MIN_PEERS:
        return None, tails
    figures.use_style()
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    lo = np.floor(t["acceptance_rate"].min() / 5) * 5
    ax.hist(t["acceptance_rate"], bins=np.arange(lo, 105, 5), color=figures.OKABE_ITO[4],
            edgecolor="white")
    top = ax.get_ylim()[1]
    ax.set_ylim(0, top * 1.9)
    ax.set_xlim(lo - 2, 104)
    mark = figures.OKABE_ITO[5]
    for side, rows in (("left", low), ("right", high)):
        # the most extreme state lowest in the stack, so leader lines cross no other label
        for i, r in enumerate(rows.itertuples()):
            y = top * (1.15 + 0.15 * i)
            x_text = lo if side == "left" else 103
            ax.annotate(f"{r.sur_name} {r.acceptance_rate:.0f}%", (r.acceptance_rate, 0),
                        xytext=(x_text, y), textcoords="data", fontsize=8, color="black",
                        ha=side, va="center",
                        arrowprops={"arrowstyle": "-", "color": mark, "lw": 0.6,
                                    "shrinkA": 2, "shrinkB": 0,
                                    "relpos": (1, 0.5) if side == "left" else (0, 0.5)})
        ax.plot(rows["acceptance_rate"], np.zeros(len(rows)), "|", color=mark, ms=14, mew=2)
    ax.axvline(t["acceptance_rate"].median(), color="#555555", ls="--", lw=1)
    ax.set_xlabel("Recommendations accepted (%, counted per recommending state)")
    ax.set_ylabel("States under review")
    ax.set_title(f"Acceptance rates of the {len(t)} states reviewed in cycle {cycle} "
                 f"(dashed: median {t['acceptance_rate'].median():.1f}%)")
    fig.tight_layout()
    return fig, tails


def top_recommenders(cycle: int, n: int = 15, processed_dir: Path | None = None
                     ) -> tuple[plt.Figure | None, pd.DataFrame]:
    """The ``n`` recommending states that made the most recommendations (counted per
    recommending state) in ``cycle``, with how many were accepted or noted."""
    recs = cycle_rows(cycle, processed_dir)
    recs = recs.loc[recs["recommending_state"].notna()]
    g = recs.groupby("recommending_state")
    table = pd.DataFrame({
        "recommendations": g.size(),
        "states_addressed": g["sur_iso3"].nunique(),
        **{r: g["response"].agg(lambda s, r=r: int((s == r).sum())) for r in responses.RESPONSES},
    })
    answered = table[list(responses.RESPONDED)].sum(axis=1).where(lambda n: n > 0)
    table["accepted_share"] = (100 * table["accepted"] / answered).round(1)
    # partly supported and pending only where a recommendation has them
    table = table.drop(columns=[r for r in responses.EXTRA if not table[r].any()])
    table = table.sort_values(["recommendations", "accepted"], ascending=False).head(n)
    table = table.rename_axis("recommending_state").reset_index()
    if len(table) < MIN_PEERS:
        return None, table
    fig = figures.response_bars(
        table.set_index("recommending_state")[
            [r for r in responses.RESPONSES if r in table.columns]],
        title=f"The {len(table)} states that made the most recommendations, cycle {cycle}",
        xlabel="Recommendations made (one per recommending state), by the response received",
        ylabel="Recommending state")
    return fig, table


def followup_table(cycles: list[int], processed_dir: Path | None = None,
                   progress: bool = False) -> pd.DataFrame:
    """For every state under review in ``cycles`` with two consecutive cycles in the data:
    the share of its accepted and noted recommendations that come back in the next cycle
    (:func:`uprlib.analysis.followup.come_back`), one row per state and transition."""
    todo = []
    for cycle in cycles:
        states = summary_table(cycle, processed_dir)[["sur_iso3", "sur_name",
                                                      "un_regional_group"]]
        try:
            nxt = set(summary_table(cycle + 1, processed_dir)["sur_iso3"])
        except LookupError:  # no next cycle in the data
            continue
        todo += [(cycle, r) for r in states.loc[states["sur_iso3"].isin(nxt)].itertuples()]
    rows = []
    for cycle, r in tqdm(todo, desc="follow-up", unit="state", disable=not progress):
        cb = followup.come_back(Review(r.sur_iso3, cycle, processed_dir))
        cb = cb.loc[cb["from_cycle"] == cycle].set_index("response")
        rows.append({"sur_iso3": r.sur_iso3, "sur_name": r.sur_name,
                     "un_regional_group": r.un_regional_group, "from_cycle": cycle,
                     "to_cycle": cycle + 1,
                     "accepted": int(cb.at["accepted", "recommendations"]),
                     "accepted_come_back_share": cb.at["accepted", "come_back_share"],
                     "noted": int(cb.at["noted", "recommendations"]),
                     "noted_come_back_share": cb.at["noted", "come_back_share"]})
    return pd.DataFrame(rows, columns=["sur_iso3", "sur_name", "un_regional_group",
                                       "from_cycle", "to_cycle", "accepted",
                                       "accepted_come_back_share", "noted",
                                       "noted_come_back_share"])


def followup_rates(table: pd.DataFrame) -> plt.Figure | None:
    """Strip plot of the come-back shares of :func:`followup_table`: per transition with at
    least MIN_PEERS states, one dot per state for its accepted and for its noted
    recommendations, medians marked (the table lists the other transitions)."""
    if len(table) < MIN_PEERS:
        return None
    figures.use_style()
    counts = table.groupby("from_cycle")["sur_iso3"].nunique()
    transitions = [(int(a), int(a) + 1) for a, n in counts.items() if n >= MIN_PEERS]
    if not transitions:
        return None
    labels, rng = [], np.random.default_rng(0)  # fixed jitter: the same figure on every run
    fig, ax = plt.subplots(figsize=(7.5, 1.1 * 2 * len(transitions) + 1.6))
    for k, (a, _) in enumerate(transitions):
        sub = table.loc[table["from_cycle"] == a]
        for j, response in enumerate(("accepted", "noted")):
            i = 2 * k + j
            x = sub[f"{response}_come_back_share"].dropna()
            colour = figures.RESPONSE_COLOURS[response]
            ax.scatter(x, i + rng.uniform(-0.2, 0.2, len(x)), s=14, alpha=0.6, color=colour,
                       linewidths=0)
            if len(x):
                med = float(x.median())
                ax.plot([med, med], [i - 0.32, i + 0.32], color="black", lw=2)
                ax.annotate(f"median {med:.0f}%", (med, i - 0.34), ha="center", va="bottom",
                            fontsize=8)
            labels.append(f"{response} in cycle {a}\n({len(x)} state{'s' if len(x) != 1 else ''})")
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlim(-2, 102)
    ax.set_xlabel(f"Recommendations that come back in the next cycle (%, similarity >= "
                  f"{followup.MIN_SIMILARITY} and a shared topic)")
    ax.set_ylabel("Response in the earlier cycle (back in the next one)")
    ax.set_title("Follow-up: recommendations made again in the next review")
    fig.tight_layout()
    return fig
