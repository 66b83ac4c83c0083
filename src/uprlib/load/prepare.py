"""Build the canonical tables in data/processed/ from the verified raw files.

``prepare_all`` fetches every source, builds the canonical tables
(:mod:`uprlib.transform.canonical`), validates each against its schema and only then writes
all outputs at once (temp files, then rename): a failure leaves data/processed/ exactly as it
was.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from uprlib.extract import session_years
from uprlib.transform import corrections
from uprlib.transform.canonical import (
    dihr_table,
    fill_estimated_paragraph_keys,
    matrix_table,
    ratification_table,
    review_sessions,
    uhri_export_table,
    uprinfo2018_table,
    uprinfo_table,
)
from uprlib.transform.crosscheck import borrow_from_upr_info, crosscheck_all
from uprlib.transform.sources import PARAGRAPH_SOURCES
from uprlib.transform.uhri import ROLE as UHRI_ROLE
from uprlib.transform.uhri import assignment
from uprlib.workspace.atomic import write_many
from uprlib.workspace.fetch import fetch_file
from uprlib.workspace.paths import (
    CROSSCHECK_FILE,
    QUALITY_FILE,
    RATIFICATION_FILE,
    RECOMMENDATIONS_FILE,
    processed_dir,
)
from uprlib.workspace.registry import by_role
from uprlib.workspace.text import normalise_texts

from .interim import read_uhri
from .schemas import RATIFICATION, RECOMMENDATIONS, validate

log = logging.getLogger(__name__)

__all__ = ["CROSSCHECK_FILE", "QUALITY_FILE", "RATIFICATION_FILE", "RECOMMENDATIONS_FILE",
           "build_tables", "prepare_all", "quality_report"]


def build_tables() -> dict[str, pd.DataFrame]:
    """Read, map and validate every source; return the tables (nothing written).

    ``recommendations.attrs["quality"]`` carries what the readers handled on the way
    (duplicates dropped, sessions inferred, rows without a paragraph number).
    """
    years = session_years.read_session_years(fetch_file(by_role("session_years")[0]))
    matrices = [matrix_table(e, fetch_file(e), years) for e in by_role("ohchr_matrix")]
    upr = uprinfo_table([fetch_file(e) for e in by_role("uprinfo_csv")], years)
    upr18 = uprinfo2018_table([fetch_file(e) for e in by_role("uprinfo_2018_csv")], years)
    sessions = review_sessions(pd.concat([upr, upr18])[["sur_iso3", "cycle", "session"]]
                               .drop_duplicates())
    dihr = dihr_table([fetch_file(e) for e in by_role("dihr_xlsx")], sessions, years)
    uhri = uhri_tables(years)
    readers = {"upr_info_2018": upr18.attrs, "dihr": dihr.attrs}
    if uhri:
        readers["uhri"] = {k: v for t in uhri for k, v in t.attrs.items()}
    # documented corrections, table by table (a table no correction names is left as is)
    parts = [corrections.apply(t) for t in (*matrices, *uhri, dihr, upr18, upr)]
    fixed = [fix for t in parts for fix in t.attrs["corrections"]]
    recs = pd.concat(parts, ignore_index=True)
    recs.attrs = {}
    norm = normalise_texts(recs["text"])  # once, for the estimated paragraphs and cross-check
    recs = fill_estimated_paragraph_keys(recs, norm)
    recs = validate(recs, RECOMMENDATIONS, "OHCHR matrices, DIHR and UPR Info")
    rat = ratification_table([(e, fetch_file(e)) for e in by_role("ratification")])
    fixes = rat.attrs.get("corrections", [])
    rat = validate(rat, RATIFICATION, "ratification files")
    rat.attrs["corrections"] = fixes
    cross = crosscheck_all(recs, norm)
    recs = borrow_from_upr_info(recs, cross)
    recs.attrs["quality"] = {"readers": readers, "corrections": fixed}
    return {"recommendations": recs, "ratification": rat, "crosscheck": cross}


def uhri_tables(years: dict[int, int]) -> list[pd.DataFrame]:
    """The rows of every imported UHRI export, each only for the reviews taken from it (the
    latest export listing a review; an export none of whose reviews is taken is not read)."""
    used: dict[str, set[str]] = {}
    entries = {}
    for label, entry in assignment(by_role(UHRI_ROLE)).items():
        used.setdefault(entry.key, set()).add(label)
        entries[entry.key] = entry
    return [uhri_export_table(read_uhri(fetch_file(entries[k]), entries[k].sha256),
                              entries[k].name, labels, years)
            for k, labels in used.items()]


def _crosscheck_summary(cross: pd.DataFrame) -> dict:
    """Counts per pair of sources, and per review and pair; where both sources of a pair
    number the paragraphs, which paragraphs only one of them has and which paired rows carry
    different numbers."""
    if cross.empty:
        return {"by_pair": {}, "by_review": {}}
    pair = cross["source_a"] + " vs " + cross["source_b"]
    by_pair: dict[str, dict] = {}
    reviews = cross.groupby(pair, sort=False)["review"].nunique()
    for (name, status), n in cross.groupby([pair, cross["status"]], sort=False).size().items():
        by_pair.setdefault(name, {"reviews": int(reviews[name])})[status] = int(n)
    by_review: dict[str, dict] = {}
    counts = cross.groupby([cross["review"], pair, cross["status"]]).size()
    for (review, name, status), n in counts.items():
        by_review.setdefault(review, {}).setdefault(name, {})[status] = int(n)
    numbered = cross["source_a"].isin(PARAGRAPH_SOURCES) & cross["source_b"].isin(
        PARAGRAPH_SOURCES)
    for (review, name), g in cross.loc[numbered].groupby([cross["review"], pair]):
        sa, sb = g["source_a"].iloc[0], g["source_b"].iloc[0]
        a_ids, b_ids = set(g["a_paragraph_id"].dropna()), set(g["b_paragraph_id"].dropna())
        if a_ids and b_ids:
            moved = g.loc[g["a_paragraph_id"].notna() & g["b_paragraph_id"].notna()
                          & (g["a_paragraph_id"] != g["b_paragraph_id"])]
            by_review[review][name]["paragraphs"] = {
                sa: len(a_ids), sb: len(b_ids),
                f"only_{sa}": sorted(a_ids - b_ids, key=_para_order),
                f"only_{sb}": sorted(b_ids - a_ids, key=_para_order),
                # the same recommendation under another number in each source
                "numbered_differently": sorted(
                    ([x, y] for x, y in zip(moved["a_paragraph_id"], moved["b_paragraph_id"],
                                            strict=True)), key=lambda p: _para_order(p[0]))}
    return {"by_pair": by_pair, "by_review": by_review}


def _para_order(pid: str) -> tuple[int, ...]:
    return tuple(int(x) for x in pid.split("."))


def quality_report(tables: dict[str, pd.DataFrame]) -> dict:
    """Counts a reader should know about the data: what the readers handled, unknown
    states, paragraph numbers, cross-check results."""
    recs = tables["recommendations"]
    unknown = recs.loc[recs["recommending_iso3"].isna()]
    cross = tables["crosscheck"]
    return {
        "rows": {k: int(len(v)) for k, v in tables.items()},
        "rows_by_source": {k: int(v) for k, v in recs["source"].value_counts().items()},
        "reviews": int(recs[["sur_iso3", "cycle", "source"]].drop_duplicates().shape[0]),
        "readers": recs.attrs.get("quality", {}).get("readers", {}),
        "unknown_recommending_state": {
            "rows": int(len(unknown)),
            "by_review": {f"{s} cycle {c} ({src})": int(n) for (s, c, src), n in
                          unknown.groupby(["sur_iso3", "cycle", "source"]).size().items()},
        },
        "source_corrections": (tables["ratification"].attrs.get("corrections", [])
                               + recs.attrs.get("quality", {}).get("corrections", [])),
        "crosscheck": _crosscheck_summary(cross),
    }


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    """CSV through pyarrow's writer: 20 times faster than pandas on the 80 MB table."""
    pacsv.write_csv(pa.Table.from_pandas(df, preserve_index=False), path)


def _parquet_and_csv(df: pd.DataFrame, name: str, out: Path) -> dict:
    stem = name.removesuffix(".parquet")
    return {
        out / name: lambda p: df.to_parquet(p, index=False),
        out / f"{stem}.csv": lambda p: _write_csv(df, p),
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
    writers[out / CROSSCHECK_FILE] = lambda p: _write_csv(tables["crosscheck"], p)
    writers[out / QUALITY_FILE] = lambda p: p.write_text(json.dumps(report, indent=2) + "\n")
    write_many(writers)
    log.info("prepared %s in %.2f s", ", ".join(p.name for p in writers), time.perf_counter() - t0)
    return {p.name: p for p in writers}
