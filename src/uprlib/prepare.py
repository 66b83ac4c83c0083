"""Build the canonical tables in data/processed/ from the verified raw files.

``prepare_all`` reads every source, maps country names, validates each table against its
schema and only then writes all outputs at once (temp files, then rename): a failure leaves
data/processed/ exactly as it was.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pandas as pd

from . import corrections, countries
from .atomic import write_many
from .crosscheck import borrow_action_categories, crosscheck_all
from .cycles import cycle_of_session
from .fetch import fetch_file
from .paths import processed_dir
from .registry import RawFile, by_role
from .schemas import RATIFICATION, RECOMMENDATIONS, validate
from .sources import ohchr_matrix, ratification, session_years, uprinfo
from .text import LIST_SEP

log = logging.getLogger(__name__)

RECOMMENDATIONS_FILE = "recommendations.parquet"
RATIFICATION_FILE = "ratification.parquet"
CROSSCHECK_FILE = "crosscheck.csv"
QUALITY_FILE = "data_quality.json"


def _group_of(iso3: pd.Series) -> pd.Series:
    groups = dict(zip(countries.countries()["iso3"], countries.countries()["un_regional_group"],
                      strict=True))
    return iso3.map(groups)


def matrix_table(entry: RawFile, path: Path) -> pd.DataFrame:
    """State-level rows from one OHCHR matrix, in the canonical layout."""
    for field in ("sur_iso3", "cycle", "session", "year"):
        if field not in entry.meta:
            raise ValueError(f"registry entry {entry.key} (ohchr_matrix) lacks {field!r}")
    paragraphs = ohchr_matrix.read_matrix(path)
    df = ohchr_matrix.explode_states(paragraphs, path)
    iso = countries.to_iso3(df["recommending_state"], where=str(path))
    sur = entry.meta["sur_iso3"]
    out = pd.DataFrame(
        {
            "rec_id": [f"{sur}-c{entry.meta['cycle']}-ohchr-{p}-{o}"
                       for p, o in zip(df["paragraph_id"], df["state_order"], strict=True)],
            "sur_iso3": sur,
            "sur_name": countries.name_of(sur),
            "cycle": entry.meta["cycle"],
            "session": entry.meta["session"],
            "year": entry.meta["year"],
            "source_document": df["source_document"],
            "paragraph_id": df["paragraph_id"],
            "paragraph_key": df["paragraph_id"],
            "state_order": df["state_order"],
            "recommending_state": df["recommending_state"],
            "recommending_iso3": df["recommending_state"].map(iso),
            "recommending_group": None,
            "joint_with": df["joint_with"].replace("", None),
            "text": df["text"],
            "paragraph_text": df["paragraph_text"],
            "response": df["response"],
            "action_category": pd.NA,
            "themes": df["theme_labels"].replace("", None),
            "theme_codes": df["theme_codes"].replace("", None),
            "affected_persons": df["affected_persons"].replace("", None),
            "theme_section": df["theme_section"],
            "source": "ohchr_matrix",
            "source_file": path.name,
            "source_row": df["row"],
        }
    )
    out["recommending_group"] = _group_of(out["recommending_iso3"])
    return out


def uprinfo_table(paths: list[Path], years: dict[int, int]) -> pd.DataFrame:
    """State-level rows from the UPR Info export, in the canonical layout."""
    df = uprinfo.read_all(paths)
    unknown = df["From"].eq(uprinfo.UNKNOWN_STATE)
    names = pd.concat([df["To"], df.loc[~unknown, "From"]])
    iso = countries.to_iso3(names, where="UPR Info export " + ", ".join(p.name for p in paths))
    session = df["Session"].astype(int)
    missing_years = sorted(set(session) - set(years))
    if missing_years:
        raise ValueError(f"no year known for session(s) {missing_years} in the session table")
    sur = df["To"].map(iso)
    # UPR Info has no paragraph numbers: rows of one review with the same text and response
    # stand for one joint recommendation, as the Working Group report would print them.
    norm = df["Text"].str.casefold().str.replace(r"\W+", " ", regex=True).str.strip()
    first_row = df.groupby([sur, session, norm, df["Response"]], sort=False)["row"].transform("min")
    first_file = df.groupby([sur, session, norm, df["Response"]], sort=False)["source_file"]\
        .transform("first")
    paragraph_key = "uprinfo:" + first_file + ":" + first_row.astype(str)
    state_order = df.groupby(paragraph_key, sort=False).cumcount() + 1
    out = pd.DataFrame(
        {
            "rec_id": "uprinfo-" + df["source_file"].str.removesuffix(".csv") + "-"
            + df["row"].astype(str),
            "sur_iso3": sur,
            "sur_name": sur.map(countries.names()),
            "cycle": session.map(cycle_of_session),
            "session": session,
            "year": session.map(years),
            "source_document": None,
            "paragraph_id": None,
            "paragraph_key": paragraph_key,
            "state_order": state_order,
            "recommending_state": df["From"].where(~unknown, None),
            "recommending_iso3": df["From"].map(iso).where(~unknown, None),
            "recommending_group": None,
            "joint_with": None,
            "text": df["Text"],
            "paragraph_text": df["Text"],
            "response": df["Response"].str.casefold().map(uprinfo.RESPONSES),
            "action_category": pd.to_numeric(df["Action"].replace("", None)).astype("Int64"),
            "themes": df["Issue"].map(lambda s: LIST_SEP.join(uprinfo.split_issues(s)) or None),
            "theme_codes": None,
            "affected_persons": None,
            "theme_section": None,
            "source": "upr_info",
            "source_file": df["source_file"],
            "source_row": df["row"],
        }
    )
    out["recommending_group"] = _group_of(out["recommending_iso3"])
    return out


def ratification_table(entries: list[tuple[RawFile, Path]]) -> pd.DataFrame:
    """One row per (state, instrument) from the ratification files."""
    frames = [ratification.read_status(p, e.meta.get("instrument", "")) for e, p in entries]
    df = corrections.apply(pd.concat(frames, ignore_index=True))
    by_iso2 = countries.iso2_to_iso3()
    unknown = sorted(set(df["iso2"]) - set(by_iso2))
    if unknown:
        bad = df.loc[df["iso2"].isin(unknown), ["source_file", "row", "iso2", "member"]]
        raise countries.UnmappedCountryError(
            [f"{r.member} (iso2 {r.iso2}, {r.source_file} row {r.row})"
             for r in bad.drop_duplicates("iso2").itertuples()],
            where="ratification files",
        )
    # the names must agree with the codes: a check on the source, through the same mapping
    iso_by_name = countries.to_iso3(df["member"], where="ratification files")
    df["iso3"] = df["iso2"].map(by_iso2)
    clash = df.loc[df["member"].map(iso_by_name) != df["iso3"]]
    if len(clash):
        r = clash.iloc[0]
        raise ValueError(f"{r['source_file']} row {r['row']}: {r['member']!r} has iso2 {r['iso2']}"
                         f" but its name maps to {iso_by_name[r['member']]}")
    df["country"] = df["iso3"].map(countries.names())
    cols = list(RATIFICATION.columns)
    out = df[cols].sort_values(["iso3", "instrument"]).reset_index(drop=True)
    out.attrs["corrections"] = df.attrs.get("corrections", [])
    return out


def build_tables() -> dict[str, pd.DataFrame]:
    """Read, map and validate every source; return the tables (nothing written)."""
    years = session_years.read_session_years(fetch_file(by_role("session_years")[0]))
    matrices = [matrix_table(e, fetch_file(e)) for e in by_role("ohchr_matrix")]
    upr = uprinfo_table([fetch_file(e) for e in by_role("uprinfo_csv")], years)
    recs = pd.concat([*matrices, upr], ignore_index=True)
    recs = validate(recs, RECOMMENDATIONS, "OHCHR matrices and UPR Info")
    rat = ratification_table([(e, fetch_file(e)) for e in by_role("ratification")])
    fixes = rat.attrs.get("corrections", [])
    rat = validate(rat, RATIFICATION, "ratification files")
    rat.attrs["corrections"] = fixes
    cross = crosscheck_all(recs)
    recs = borrow_action_categories(recs, cross)
    return {"recommendations": recs, "ratification": rat, "crosscheck": cross}


def quality_report(tables: dict[str, pd.DataFrame]) -> dict:
    """Counts a reader should know about the data: unknown states, cross-check results."""
    recs = tables["recommendations"]
    unknown = recs.loc[recs["recommending_iso3"].isna()]
    cross = tables["crosscheck"]
    return {
        "rows": {k: int(len(v)) for k, v in tables.items()},
        "reviews": int(recs[["sur_iso3", "cycle", "source"]].drop_duplicates().shape[0]),
        "unknown_recommending_state": {
            "rows": int(len(unknown)),
            "by_review": {f"{s} cycle {c}": int(n) for (s, c), n in
                          unknown.groupby(["sur_iso3", "cycle"]).size().items()},
        },
        "source_corrections": tables["ratification"].attrs.get("corrections", []),
        "crosscheck": {
            review: {k: int(v) for k, v in g["status"].value_counts().items()}
            for review, g in cross.groupby("review")
        } if len(cross) else {},
    }


def _parquet_and_csv(df: pd.DataFrame, name: str, out: Path) -> dict:
    stem = name.removesuffix(".parquet")
    return {
        out / name: lambda p: df.to_parquet(p, index=False),
        out / f"{stem}.csv": lambda p: df.to_csv(p, index=False),
    }


def prepare_all(out: Path | None = None) -> dict[str, Path]:
    """Build every canonical table and write them atomically; return the written paths."""
    t0 = time.perf_counter()
    out = out or processed_dir()
    tables = build_tables()
    report = quality_report(tables)
    writers = {}
    writers |= _parquet_and_csv(tables["recommendations"], RECOMMENDATIONS_FILE, out)
    writers |= _parquet_and_csv(tables["ratification"], RATIFICATION_FILE, out)
    writers[out / CROSSCHECK_FILE] = lambda p: tables["crosscheck"].to_csv(p, index=False)
    writers[out / QUALITY_FILE] = lambda p: p.write_text(json.dumps(report, indent=2) + "\n")
    write_many(writers)
    log.info("prepared %s in %.2f s", ", ".join(p.name for p in writers), time.perf_counter() - t0)
    return {p.name: p for p in writers}


def prepare_if_stale(out: Path | None = None, force: bool = False) -> dict[str, Path] | None:
    """Run :func:`prepare_all` unless the package code and data (which include the registry
    pinning every raw file's sha256) are unchanged since the last successful run and the
    outputs exist; return the written paths, or None if skipped.

    The raw files themselves need not be hashed again: fetch refuses any file whose checksum
    differs from the registry, so the registry stands for them.
    """
    from . import cache

    out = out or processed_dir()
    targets = [out / RECOMMENDATIONS_FILE, out / RATIFICATION_FILE, out / CROSSCHECK_FILE,
               out / QUALITY_FILE]
    stamp = out / ".prepare.stamp.json"
    value = cache.digest(cache.code_files())
    if not force and cache.is_fresh(stamp, value, targets):
        return None
    written = prepare_all(out)
    cache.record(stamp, value)
    return written
