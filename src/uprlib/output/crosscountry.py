"""Many states at once: the cross-country summary table of one cycle.

:func:`summary_table` computes one row per state under review in a cycle, for every state in
one vectorised pass over the canonical table (group-bys, no loop over reviews). Each state's
rows come from the same source its :class:`~uprlib.output.review.Review` uses (the OHCHR
file where there is one, else DIHR, else UPR Info), so a row agrees with that review's
overview figures.

Coverage: cycles 1 and 2 hold all 193 states under review (DIHR and UPR Info exports); cycle 3
only session 27 (the 2018 UPR Info export) and the reviews with an OHCHR file in the registry,
unless a UHRI export was imported (then every review it holds).
Peer figures (rank, percentile, medians) are therefore among the states *in the data* for
that cycle; :func:`coverage` says which.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd
from pandera.pandas import Column, DataFrameSchema

from uprlib.transform import countries
from uprlib.workspace import responses
from uprlib.workspace.atomic import atomic_path
from uprlib.workspace.paths import outputs_dir

from .tables import (
    SOURCE_PREFERENCE,
    NoDataError,
    all_recommendations,
    resolve_country,
    table_stamp,
)

SUMMARY_FILE = "summary.csv"
SPECIFIC_ACTION = 5  # UPR Info action category 5: specific action

# the summary table: one column per entry, in this order, with its meaning
SUMMARY = DataFrameSchema(
    {
        "sur_iso3": Column(str, description="state under review (ISO 3166 alpha-3)"),
        "sur_name": Column(str, description="UN short name"),
        "un_regional_group": Column(str, nullable=True, description=(
            "UN regional group of the state under review")),
        "cycle": Column("int64", description="UPR cycle"),
        "session": Column("int64", description="Working Group session"),
        "year": Column("int64", description="year of the review"),
        "source": Column(str, description=(
            "source of the rows (the first present of " + ", ".join(SOURCE_PREFERENCE) + ")")),
        "paragraphs": Column("int64", description=(
            "recommendations as paragraphs of the Working Group report")),
        "paragraphs_official": Column(bool, description=(
            "paragraph counts are official: every row has its paragraph number in the Working "
            "Group report (OHCHR file, UHRI, DIHR); else estimated, in part or whole, from rows "
            "with identical text and response")),
        "paragraphs_accepted": Column("int64", description="paragraphs accepted"),
        "paragraphs_partly_supported": Column("int64", description=(
            "paragraphs supported in part and noted in part (counted apart, not as accepted)")),
        "paragraphs_pending": Column("int64", description=(
            "paragraphs with no response published yet")),
        "paragraph_acceptance_rate": Column("float64", nullable=True, description=(
            "paragraphs accepted (% of those with a response; empty while all are pending)")),
        "state_level": Column("int64", description=(
            "recommendations counted once per recommending state")),
        "state_level_accepted": Column("int64", description="state-level recommendations accepted"),
        "state_level_partly_supported": Column("int64", description=(
            "state-level recommendations supported in part")),
        "state_level_pending": Column("int64", description=(
            "state-level recommendations with no response published yet")),
        "acceptance_rate": Column("float64", nullable=True, description=(
            "state-level recommendations accepted (% of those with a response; empty while all "
            "are pending)")),
        "recommending_states": Column("int64", description="distinct recommending states"),
        "action_coded": Column("int64", description=(
            "state-level recommendations with a UPR Info action category")),
        "action5": Column("int64", description=(
            "state-level recommendations of action category 5 (specific action)")),
        "action5_share": Column("float64", nullable=True, description=(
            "category-5 share of the coded recommendations received (%)")),
        "action5_accepted": Column("int64", description="category-5 recommendations accepted"),
        "action5_acceptance_rate": Column("float64", nullable=True, description=(
            "category-5 recommendations accepted (% of those with a response)")),
        "states_in_cycle": Column("int64", description=(
            "states under review in the data for this cycle")),
        "acceptance_rank": Column("Int64", nullable=True, description=(
            "rank by acceptance rate among them (1 = highest; ties share a rank; empty while "
            "the state's response is awaited)")),
        "acceptance_percentile": Column("float64", nullable=True, description=(
            "share of them with an acceptance rate at or below this one (%)")),
        "group_states": Column("int64", description=(
            "states of the same regional group in the data for this cycle")),
        "group_median_acceptance_rate": Column("float64", nullable=True, description=(
            "median acceptance rate of the regional group (%)")),
        "cycle_median_acceptance_rate": Column("float64", nullable=True, description=(
            "median acceptance rate of all states in the cycle (%)")),
    },
    strict=True,
    ordered=True,
    name="summary",
)
# column -> meaning, in the order of the summary table
SUMMARY_COLUMNS: dict[str, str] = {name: col.description for name, col in SUMMARY.columns.items()}


def cycle_rows(cycle: int, processed_dir: Path | None = None) -> pd.DataFrame:
    """State-level rows of one cycle, each state taken from its preferred source."""
    recs = all_recommendations(processed_dir)
    cycles = sorted(int(c) for c in recs["cycle"].dropna().unique())
    recs = recs.loc[recs["cycle"] == int(cycle)]
    if recs.empty:
        raise NoDataError(f"no reviews of cycle {cycle} in the data; cycles: {cycles}")
    rank = recs["source"].map({s: i for i, s in enumerate(SOURCE_PREFERENCE)})
    best = rank.groupby(recs["sur_iso3"]).transform("min")
    return recs.loc[rank == best].reset_index(drop=True)


def _rate(num: pd.Series, den: pd.Series) -> pd.Series:
    """Percentage rounded to one decimal; missing where the denominator is zero."""
    return (100 * num / den.where(den > 0)).astype(float).round(1)


@lru_cache(maxsize=8)
def _summary(cycle: int, stamp: tuple[str, int]) -> pd.DataFrame:
    folder = Path(stamp[0])
    recs = cycle_rows(cycle, folder)
    accepted = recs["response"].eq(responses.ACCEPTED)
    answered = recs["response"].isin(responses.RESPONDED)
    action5 = recs["action_category"].eq(SPECIFIC_ACTION).fillna(False).astype(bool)
    g = recs.assign(accepted=accepted, answered=answered, action5=action5,
                    action5_accepted=action5 & accepted, action5_answered=action5 & answered,
                    partly=recs["response"].eq(responses.PARTLY_SUPPORTED),
                    pending=recs["response"].eq(responses.PENDING),
                    coded=recs["action_category"].notna()).groupby("sur_iso3")
    out = g.agg(sur_name=("sur_name", "first"), cycle=("cycle", "first"),
                session=("session", "min"), year=("year", "min"), source=("source", "first"),
                state_level=("rec_id", "size"), state_level_accepted=("accepted", "sum"),
                state_level_partly_supported=("partly", "sum"),
                state_level_pending=("pending", "sum"), answered=("answered", "sum"),
                recommending_states=("recommending_iso3", "nunique"),
                action_coded=("coded", "sum"), action5=("action5", "sum"),
                action5_accepted=("action5_accepted", "sum"),
                action5_answered=("action5_answered", "sum"),
                paragraphs_official=("paragraph_id", lambda s: bool(s.notna().all())))
    # a paragraph's response is that of its first clause, as in tables.to_paragraphs
    para = (recs.sort_values(["sur_iso3", "paragraph_key", "state_order"])
            .drop_duplicates(["sur_iso3", "paragraph_key"]))
    pg = para.assign(accepted=para["response"].eq(responses.ACCEPTED),
                     answered=para["response"].isin(responses.RESPONDED),
                     partly=para["response"].eq(responses.PARTLY_SUPPORTED),
                     pending=para["response"].eq(responses.PENDING)).groupby("sur_iso3")
    out["paragraphs"] = pg.size()
    out["paragraphs_accepted"] = pg["accepted"].sum()
    out["paragraphs_partly_supported"] = pg["partly"].sum()
    out["paragraphs_pending"] = pg["pending"].sum()
    para_answered = pg["answered"].sum()
    out = out.reset_index()
    groups = dict(zip(countries.countries()["iso3"], countries.countries()["un_regional_group"],
                      strict=True))
    out["un_regional_group"] = out["sur_iso3"].map(groups)
    # rates are of the recommendations answered: a pending one is in no denominator
    out["paragraph_acceptance_rate"] = _rate(out["paragraphs_accepted"],
                                             out["sur_iso3"].map(para_answered))
    out["acceptance_rate"] = _rate(out["state_level_accepted"], out["answered"])
    out["action5_share"] = _rate(out["action5"], out["action_coded"])
    out["action5_acceptance_rate"] = _rate(out["action5_accepted"], out["action5_answered"])
    rate = out["acceptance_rate"]
    out["states_in_cycle"] = len(out)
    out["acceptance_rank"] = rate.rank(ascending=False, method="min").astype("Int64")
    out["acceptance_percentile"] = (100 * rate.rank(method="max", pct=True)).round(1)
    by_group = out.groupby("un_regional_group")["acceptance_rate"]
    out["group_states"] = by_group.transform("size")
    out["group_median_acceptance_rate"] = by_group.transform("median").round(1)
    out["cycle_median_acceptance_rate"] = round(float(rate.median()), 1)
    ints = ["cycle", "session", "year", "state_level", "state_level_accepted",
            "state_level_partly_supported", "state_level_pending", "recommending_states",
            "action_coded", "action5", "action5_accepted", "paragraphs", "paragraphs_accepted",
            "paragraphs_partly_supported", "paragraphs_pending", "group_states"]
    out[ints] = out[ints].astype(int)
    return out[list(SUMMARY_COLUMNS)].sort_values("sur_iso3").reset_index(drop=True)


def summary_table(cycle: int, processed_dir: Path | None = None) -> pd.DataFrame:
    """One row per state under review in ``cycle``: counts, acceptance, action category 5,
    regional group, source, and its rank among the states of the cycle (see SUMMARY_COLUMNS).

    Computed for all states in one vectorised pass (cached per table version; a copy).
    """
    return _summary(int(cycle), table_stamp(processed_dir)).copy()


def coverage(cycle: int, processed_dir: Path | None = None) -> dict[str, Any]:
    """Which reviews of ``cycle`` are in the data: states, sessions, sources, years."""
    recs = cycle_rows(cycle, processed_dir)
    return {
        "cycle": int(cycle),
        "states": int(recs["sur_iso3"].nunique()),
        "first_session": int(recs["session"].min()),
        "last_session": int(recs["session"].max()),
        "first_year": int(recs["year"].min()),
        "last_year": int(recs["year"].max()),
        "sources": sorted(recs["source"].unique()),
    }


def default_summary_path(cycle: int) -> Path:
    """``outputs/batch-cycle<N>/summary.csv`` (under ``$UPRLIB_OUTPUTS_DIR`` if set)."""
    return outputs_dir() / f"batch-cycle{int(cycle)}" / SUMMARY_FILE


def write_summary(cycle: int, out_path: Path | str | None = None,
                  processed_dir: Path | None = None) -> Path:
    """Write :func:`summary_table` as CSV atomically; return the path written."""
    target = Path(out_path) if out_path else default_summary_path(cycle)
    table = summary_table(cycle, processed_dir)
    with atomic_path(target, suffix=".csv") as tmp:
        table.to_csv(tmp, index=False)
    return target


def resolve_countries(spec: str | Sequence[str] | None, cycle: int,
                      processed_dir: Path | None = None) -> list[str]:
    """ISO3 codes of a comma-separated list (or sequence) of codes or names, checked against
    the states under review in ``cycle``; ``None`` or ``"all"`` means every one of them.

    Raises NoDataError naming every code that is not in the cycle.
    """
    known = set(cycle_rows(cycle, processed_dir)["sur_iso3"])
    if spec is None or (isinstance(spec, str) and spec.strip().lower() in ("", "all")):
        return sorted(known)
    items = spec.split(",") if isinstance(spec, str) else list(spec)
    codes, missing = [], []
    for item in (i.strip() for i in items if i.strip()):
        try:
            code = resolve_country(item)
        except NoDataError:
            missing.append(item)
            continue
        (codes if code in known else missing).append(code)
    if missing:
        raise NoDataError(f"not reviewed in cycle {cycle} in the data: {', '.join(missing)} "
                          f"({len(known)} states are; `uprlib reviews` lists them)")
    return list(dict.fromkeys(codes))


