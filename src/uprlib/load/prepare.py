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

from uprlib.extract import session_years
from uprlib.transform.canonical import matrix_table, ratification_table, uprinfo_table
from uprlib.transform.crosscheck import borrow_action_categories, crosscheck_all
from uprlib.workspace.atomic import write_many
from uprlib.workspace.fetch import fetch_file
from uprlib.workspace.paths import (
    CROSSCHECK_FILE,
    QUALITY_FILE,
    RATIFICATION_FILE,
    RECOMMENDATIONS_FILE,
    processed_dir,
)
from uprlib.workspace.registry import by_role, user_registry_path

from .schemas import RATIFICATION, RECOMMENDATIONS, validate

log = logging.getLogger(__name__)

__all__ = ["CROSSCHECK_FILE", "QUALITY_FILE", "RATIFICATION_FILE", "RECOMMENDATIONS_FILE",
           "build_tables", "prepare_all", "prepare_if_stale", "quality_report"]


def build_tables() -> dict[str, pd.DataFrame]:
    """Read, map and validate every source; return the tables (nothing written)."""
    years = session_years.read_session_years(fetch_file(by_role("session_years")[0]))
    matrices = [matrix_table(e, fetch_file(e), years) for e in by_role("ohchr_matrix")]
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
    pinning every raw file's sha256) and the user registry of imported files are unchanged
    since the last successful run and the outputs exist; return the written paths, or None
    if skipped.

    The raw files themselves need not be hashed again: fetch refuses any file whose checksum
    differs from the registry, so the registry stands for them.
    """
    from uprlib.workspace import cache

    out = out or processed_dir()
    targets = [out / RECOMMENDATIONS_FILE, out / RATIFICATION_FILE, out / CROSSCHECK_FILE,
               out / QUALITY_FILE]
    stamp = out / ".prepare.stamp.json"
    # the user registry lists imported files, which prepare reads like the built-in ones
    value = cache.digest([*cache.code_files(), user_registry_path()])
    if not force and cache.is_fresh(stamp, value, targets):
        return None
    written = prepare_all(out)
    cache.record(stamp, value)
    return written
