"""Load the canonical tables that ``uprlib prepare`` wrote to data/processed/."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import pandas as pd

from uprlib.errors import DataError, MissingFileError, NoDataError, UsageError
from uprlib.transform.countries import UnmappedCountryError, iso3_of
from uprlib.transform.sources import PRECEDENCE
from uprlib.workspace.paths import (
    CROSSCHECK_FILE,
    RATIFICATION_FILE,
    RECOMMENDATIONS_FILE,
    processed_dir,
)
from uprlib.workspace.text import LIST_SEP

Level = Literal["state", "paragraph"]
SOURCE_PREFERENCE = PRECEDENCE  # the first source present is the one a review uses


def table_stamp(folder: Path | None, name: str = RECOMMENDATIONS_FILE) -> tuple[str, int]:
    """(folder, modification time) of a processed table: the key of every cache derived from
    it, so a rebuilt table is read again. Fails if the table has not been prepared."""
    path = (folder or processed_dir()) / name
    if not path.exists():
        raise MissingFileError(f"{path} does not exist: run `uprlib prepare` first")
    return str(path.parent), path.stat().st_mtime_ns


def _read(name: str, folder: Path | None) -> pd.DataFrame:
    where, mtime = table_stamp(folder, name)
    return _read_cached(Path(where) / name, mtime)


@cache
def _read_cached(path: Path, _mtime: int) -> pd.DataFrame:
    import pyarrow as pa

    try:
        return pd.read_parquet(path)
    except (pa.ArrowException, OSError) as err:  # truncated, overwritten, not parquet
        raise DataError(f"{path} cannot be read ({' '.join(str(err).split())[:200]}): run "
                        "`uprlib prepare` to rebuild it") from err


def _recommendations(folder: Path | None) -> pd.DataFrame:
    """The cached table itself: callers here only filter it, never change it in place."""
    return _read(RECOMMENDATIONS_FILE, folder)


def all_recommendations(folder: Path | None = None) -> pd.DataFrame:
    """Every state-level recommendation from every source (a copy the caller may change)."""
    return _recommendations(folder).copy()


def resolve_country(country: str) -> str:
    """ISO3 code for a code or a country name."""
    c = country.strip()
    if len(c) == 3 and c.isalpha() and c.isupper():
        return c
    try:
        return iso3_of(c)
    except UnmappedCountryError as err:
        raise NoDataError(str(err)) from err


def available(folder: Path | None = None) -> pd.DataFrame:
    """Reviews in the data: state under review, cycle, source, year and row count."""
    recs = _recommendations(folder)
    return (recs.groupby(["sur_iso3", "sur_name", "cycle", "source"], as_index=False)
            .agg(year=("year", "min"), recommendations=("rec_id", "size")))


def review_sources(folder: Path | None = None) -> pd.DataFrame:
    """One row per review: the sources that cover it (in order of precedence), the one used,
    its counts, and whether its paragraph level comes from paragraph numbers.

    ``paragraph_numbers`` is ``official`` when every row of the source used has the report's
    paragraph number, ``partly estimated`` when some have, ``estimated`` when none has (the
    paragraphs are then identical texts grouped).
    """
    recs = _recommendations(folder)
    rank = {s: i for i, s in enumerate(PRECEDENCE)}
    per = (recs.assign(numbered=recs["paragraph_id"].notna())
           .groupby(["sur_iso3", "cycle", "source"], as_index=False)
           .agg(sur_name=("sur_name", "first"), session=("session", "min"),
                year=("year", "min"), state_level=("rec_id", "size"),
                paragraphs=("paragraph_key", "nunique"), numbered=("numbered", "mean")))
    per["rank"] = per["source"].map(rank)
    per = per.sort_values(["sur_iso3", "cycle", "rank"])
    sources = per.groupby(["sur_iso3", "cycle"], sort=False)["source"].agg(", ".join)
    used = per.drop_duplicates(["sur_iso3", "cycle"]).set_index(["sur_iso3", "cycle"])
    used["sources"] = sources
    used["paragraph_numbers"] = pd.cut(used["numbered"], [-1, 0, 0.999999, 1],
                                       labels=["estimated", "partly estimated", "official"]
                                       ).astype(str)
    out = used.reset_index().rename(columns={"source": "used"})
    return out[["sur_iso3", "sur_name", "cycle", "session", "year", "sources", "used",
                "state_level", "paragraphs", "paragraph_numbers"]].reset_index(drop=True)


def coverage(folder: Path | None = None) -> pd.DataFrame:
    """Per cycle: states with a review, how many reviews each source covers and is used for,
    and how many reviews have official, partly estimated or estimated paragraph counts
    (see :func:`review_sources`); computed from the prepared table."""
    rs = review_sources(folder)
    rows = []
    for cycle, g in rs.groupby("cycle"):
        row: dict[str, object] = {"cycle": int(cycle), "states": int(g["sur_iso3"].nunique())}
        for s in PRECEDENCE:
            row[f"{s} covers"] = int(g["sources"].str.split(", ").map(
                lambda xs, s=s: s in xs).sum())
            row[f"{s} used"] = int((g["used"] == s).sum())
        for kind in ("official", "partly estimated", "estimated"):
            row[f"paragraphs {kind}"] = int((g["paragraph_numbers"] == kind).sum())
        rows.append(row)
    return pd.DataFrame(rows)


def choose_source(recs: pd.DataFrame, iso3: str, cycle: int) -> str:
    """The source used for a review: the first of :data:`SOURCE_PREFERENCE` present."""
    sel = recs.loc[(recs["sur_iso3"] == iso3)]
    if sel.empty:
        known = sorted(recs["sur_iso3"].unique())
        raise NoDataError(f"no state under review {iso3!r} in the data; available: "
                          + ", ".join(known))
    present = set(sel.loc[sel["cycle"] == cycle, "source"])
    if not present:
        cycles = sorted(int(c) for c in sel["cycle"].unique())
        raise NoDataError(f"no cycle {cycle} for {iso3}; available cycles: {cycles}")
    return next(s for s in SOURCE_PREFERENCE if s in present)


def to_paragraphs(state_level: pd.DataFrame) -> pd.DataFrame:
    """Collapse state-level rows into one row per paragraph (a view of the same table)."""
    if state_level.empty:
        return state_level.assign(n_states=pd.Series(dtype="Int64"))
    g = state_level.sort_values(["paragraph_key", "state_order"]).groupby(
        "paragraph_key", sort=False)
    keep = ["sur_iso3", "sur_name", "cycle", "session", "year", "source_document",
            "paragraph_id", "paragraph_text", "response", "action_category", "themes",
            "theme_codes", "affected_persons", "theme_section", "source", "source_file"]
    out = g[keep].first()
    out["n_states"] = g.size()
    out["recommending_states"] = g["recommending_state"].agg(
        lambda s: LIST_SEP.join(x for x in s if isinstance(x, str)))
    out["recommending_iso3s"] = g["recommending_iso3"].agg(
        lambda s: LIST_SEP.join(x for x in s if isinstance(x, str)))
    out = out.reset_index()
    if out["paragraph_id"].notna().all():
        key = out["paragraph_id"].str.split(".", expand=True).astype(int)
        out = out.iloc[key.sort_values([0, 1]).index].reset_index(drop=True)
    return out


def load_recommendations(country: str = "CHN", cycle: int = 2, level: Level = "state",
                         source: str = "auto", folder: Path | None = None) -> pd.DataFrame:
    """Recommendations to one state under review in one cycle.

    ``level="state"``: one row per recommendation as made by one recommending state.
    ``level="paragraph"``: one row per paragraph of the Working Group report (where the
    source has no paragraph number, rows with identical text and response stand for one
    paragraph: an estimate). ``source="auto"`` uses the first source of
    :data:`SOURCE_PREFERENCE` that covers the review (OHCHR file, DIHR, UPR Info).
    """
    if level not in ("state", "paragraph"):
        raise UsageError(f"level must be 'state' or 'paragraph', not {level!r}")
    recs = _recommendations(folder)
    iso3 = resolve_country(country)
    chosen = choose_source(recs, iso3, int(cycle)) if source == "auto" else source
    sel = recs.loc[(recs["sur_iso3"] == iso3) & (recs["cycle"] == int(cycle))
                   & (recs["source"] == chosen)].reset_index(drop=True)
    if sel.empty:
        raise NoDataError(f"no {chosen} rows for {iso3} cycle {cycle}")
    return to_paragraphs(sel) if level == "paragraph" else sel


def load_ratification(country: str | None = None, folder: Path | None = None) -> pd.DataFrame:
    """Ratification status, one row per (state, instrument); one state's if ``country``."""
    df = _read(RATIFICATION_FILE, folder).copy()
    if country is not None:
        df = df.loc[df["iso3"] == resolve_country(country)].reset_index(drop=True)
    return df


def load_crosscheck(folder: Path | None = None) -> pd.DataFrame:
    """The matrix-versus-UPR-Info cross-check written by ``uprlib prepare``."""
    path = (folder or processed_dir()) / CROSSCHECK_FILE
    if not path.exists():
        raise MissingFileError(f"{path} does not exist: run `uprlib prepare` first")
    return pd.read_csv(path, dtype={"a_paragraph_id": str, "b_paragraph_id": str})
