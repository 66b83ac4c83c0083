"""The canonical tables: rows of every source mapped to one layout (no I/O).

Each function takes rows read by a reader of :mod:`uprlib.extract` and returns them in the
layout of the processed tables, with countries mapped to ISO 3166 alpha-3 and known source
errors corrected. :mod:`uprlib.load.prepare` validates and writes them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from uprlib.errors import DataError
from uprlib.extract import dihr, ohchr_matrix, ratification, uhri, uprinfo, uprinfo2018
from uprlib.workspace.registry import RawFile
from uprlib.workspace.text import LIST_SEP

from . import corrections, countries
from .cycles import cycle_of_session
from .ohchr_review import review_of_file
from .sources import DIHR, OHCHR_MATRIX, UHRI, UPR_INFO, UPR_INFO_2018
from .uhri import explode_states, review_mask, review_rows

# the ratification table's columns, in order (the schema in uprlib.load.schemas checks them)
RATIFICATION_COLUMNS = ["iso3", "country", "instrument", "instrument_name", "status", "year",
                        "note", "source_file"]


# the recommendations table's columns, in order (the schema in uprlib.load.schemas checks them)
RECOMMENDATION_COLUMNS = [
    "rec_id", "sur_iso3", "sur_name", "cycle", "session", "year", "source_document",
    "paragraph_id", "paragraph_key", "state_order", "recommending_state",
    "recommending_state_raw", "recommending_iso3", "recommending_group", "joint_with", "text",
    "paragraph_text", "response", "action_category", "themes", "theme_codes",
    "affected_persons", "theme_section", "sdg_goals", "sdg_targets", "source", "source_file",
    "source_row",
]


def _group_of(iso3: pd.Series) -> pd.Series:
    groups = dict(zip(countries.countries()["iso3"], countries.countries()["un_regional_group"],
                      strict=True))
    return iso3.map(groups)


def _finish(df: pd.DataFrame, where: str) -> pd.DataFrame:
    """Map the raw names to ISO3 and canonical names, number the clauses of each paragraph
    and order the columns.

    ``df`` holds ``sur`` (raw name of the state under review, unless ``sur_iso3`` is given)
    and ``recommending_state_raw`` (raw name, None where the source does not know it). The
    canonical name of each state is shown everywhere; the raw spelling stays in
    ``recommending_state_raw``.
    """
    known = df["recommending_state_raw"].notna()
    names = df.loc[known, "recommending_state_raw"]
    if "sur_iso3" not in df:
        names = pd.concat([df["sur"], names])
    iso = countries.to_iso3(names, where=where)
    canon = countries.names()
    if "sur_iso3" not in df:
        df["sur_iso3"] = df["sur"].map(iso)
    df["sur_name"] = df["sur_iso3"].map(canon)
    df["recommending_iso3"] = df["recommending_state_raw"].map(iso).where(known, None)
    df["recommending_state"] = df["recommending_iso3"].map(canon).where(known, None)
    df["recommending_group"] = _group_of(df["recommending_iso3"])
    if "state_order" not in df:  # clauses of a paragraph in order; estimated keys come later
        order = df.groupby(["sur_iso3", "session", "paragraph_key"], sort=False).cumcount() + 1
        df["state_order"] = order.where(df["paragraph_key"].notna(), pd.NA)
    return df.reindex(columns=RECOMMENDATION_COLUMNS)


ESTIMATED_KEY_PREFIX = {UPR_INFO_2018: "uprinfo2018", DIHR: "dihr", UHRI: "uhri"}


def fill_estimated_paragraph_keys(recs: pd.DataFrame, norm: pd.Series) -> pd.DataFrame:
    """Paragraph keys for the rows that have no paragraph number (``paragraph_key`` null).

    The rows of one review and source with the same text (``norm``: case, punctuation and
    spacing folded) and response stand for one paragraph, keyed by its first row. This is an
    estimate of the Working Group report's count, not the count: each review's data note
    says so (:meth:`uprlib.output.review.Review.data_note`).
    """
    todo = recs["paragraph_key"].isna()
    if not todo.any():
        return recs
    df = recs.loc[todo]
    g = df.groupby([df["source"], df["sur_iso3"], df["session"], norm[todo], df["response"]],
                   sort=False)
    first_row = g["source_row"].transform("min").astype(str)
    first_file = g["source_file"].transform("first")
    recs = recs.copy()
    recs.loc[todo, "paragraph_key"] = (df["source"].map(ESTIMATED_KEY_PREFIX) + ":"
                                       + first_file + ":" + first_row)
    order = recs.loc[todo].groupby(["source", "sur_iso3", "session", "paragraph_key"],
                                   sort=False).cumcount() + 1
    recs.loc[todo, "state_order"] = order
    return recs


def matrix_table(entry: RawFile, path: Path,
                 years: dict[int, int] | None = None) -> pd.DataFrame:
    """State-level rows from one OHCHR matrix or thematic list, in the canonical layout.

    The review (state, cycle, session, report symbol) is read from the file and checked
    against the registry entry; the year comes from the session table ``years`` (or the entry).
    """
    read = ohchr_matrix.read_file(path)
    review = review_of_file(read.review, entry.meta, where=str(path),
                            claimed_by=f"registry entry {entry.key}", years=years)
    df = ohchr_matrix.explode_states(read.paragraphs, path)
    sur = review.sur_iso3
    out = pd.DataFrame(
        {
            "rec_id": [f"{sur}-c{review.cycle}-ohchr-{p}-{o}"
                       for p, o in zip(df["paragraph_id"], df["state_order"], strict=True)],
            "sur_iso3": sur,
            "cycle": review.cycle,
            "session": review.session,
            "year": review.year,
            "source_document": df["source_document"],
            "paragraph_id": df["paragraph_id"],
            "paragraph_key": df["paragraph_id"],
            "state_order": df["state_order"],
            "recommending_state_raw": df["recommending_state"],
            "joint_with": df["joint_with"].replace("", None),
            "text": df["text"],
            "paragraph_text": df["paragraph_text"],
            "response": df["response"],
            "action_category": pd.NA,
            "themes": df["theme_labels"].replace("", None),
            "theme_codes": df["theme_codes"].replace("", None),
            "affected_persons": df["affected_persons"].replace("", None),
            "theme_section": df["theme_section"],
            "source": OHCHR_MATRIX,
            "source_file": path.name,
            "source_row": df["row"],
        }
    )
    out = _finish(out, where=str(path))
    # the states credited jointly with a clause, by their canonical names too
    joint = out["joint_with"].dropna().str.split(LIST_SEP, regex=False)
    if len(joint):
        iso = countries.to_iso3({n for names in joint for n in names}, where=str(path))
        out.loc[joint.index, "joint_with"] = joint.map(
            lambda names: LIST_SEP.join(countries.names()[iso[n]] for n in names))
    return out


def uhri_table(rows: pd.DataFrame, source_file: str, where: str) -> pd.DataFrame:
    """State-level rows, in the canonical layout, of an export's UPR rows as
    :func:`uprlib.transform.uhri.review_rows` gives them (one per recommendation, with
    sur_iso3, cycle and year): one row per recommending state, the paragraph number from the
    text where it starts with one (the others are grouped by identical text later, an
    estimate), the position as the response (partly supported and pending kept as such)."""
    df = explode_states(rows, where)
    pid = df["paragraph_id"]
    k = df.groupby(["sur_iso3", "cycle", pid.fillna("")], sort=False).cumcount() + 1
    prefix = df["sur_iso3"] + "-c" + df["cycle"].astype(str) + "-uhri-"
    rec_id = prefix + np.where(pid.notna(), pid.fillna("") + "-" + k.astype(str),
                               "r" + df["row"].astype(str) + "-" + df["row_state"].astype(str))
    out = pd.DataFrame(
        {
            "rec_id": rec_id,
            "sur_iso3": df["sur_iso3"],
            "cycle": df["cycle"],
            "session": df["session"],
            "year": df["year"],
            "source_document": df["symbol"],
            "paragraph_id": pid,
            "paragraph_key": pid,  # the others: fill_estimated_paragraph_keys
            "recommending_state_raw": df["recommending_state_raw"],
            "joint_with": df["joint_with"],
            "text": df["text"],
            "paragraph_text": df["text"],
            "response": df["response"],
            "action_category": pd.NA,
            "themes": df["themes"],
            "affected_persons": df["persons"],
            "sdg_goals": df["sdg_goals"],
            "sdg_targets": df["sdg_targets"],
            "source": UHRI,
            "source_file": source_file,
            "source_row": df["row"],
        }
    )
    return _finish(out, where=where)


def uhri_export_table(export: uhri.UhriExport, source_file: str, reviews: set[str],
                      years: dict[int, int]) -> pd.DataFrame:
    """The canonical rows of the reviews ``reviews`` (``<ISO3>-cycle<N>``) of one read UHRI
    export; ``attrs`` carries the reader's counts. Refuses a listed review the file lacks."""
    where = f"UHRI export {source_file}"
    rows = export.rows
    rows = review_rows(rows.loc[_sessions_mask(rows, reviews)], years, where)
    rows = rows.loc[review_mask(rows, reviews)]
    found = {f"{s}-cycle{c}" for s, c in zip(rows["sur_iso3"], rows["cycle"], strict=True)}
    if reviews - found:
        raise DataError(f"{where}: the registry lists review(s) {sorted(reviews - found)} for "
                        "it, which the file does not hold")
    out = uhri_table(rows, source_file, where)
    out.attrs = {source_file: {**export.counts, "reviews_used": len(reviews)}}
    return out


def _sessions_mask(rows: pd.DataFrame, reviews: set[str]) -> pd.Series:
    """Rows of the cycles of ``reviews`` (a cheap first cut before the states are mapped)."""
    cycles = {int(r.rpartition("-cycle")[2]) for r in reviews}
    return rows["session"].map(cycle_of_session).isin(cycles)


def _years_of(session: pd.Series, years: dict[int, int]) -> pd.Series:
    missing = sorted(set(session) - set(years))
    if missing:
        raise DataError(f"no year known for session(s) {missing} in the session table")
    return session.map(years)


def uprinfo_table(paths: list[Path], years: dict[int, int]) -> pd.DataFrame:
    """State-level rows from the UPR Info export of sessions 1-20, in the canonical layout."""
    df = uprinfo.read_all(paths)
    unknown = df["From"].eq(uprinfo.UNKNOWN_STATE)
    iso = countries.to_iso3(df["To"], where="UPR Info export " + ", ".join(p.name for p in paths))
    session = df["Session"].astype(int)
    sur = df["To"].map(iso)
    # UPR Info has no paragraph numbers: rows of one review with the same text and response
    # stand for one joint recommendation, as the Working Group report would print them.
    norm = df["Text"].str.casefold().str.replace(r"\W+", " ", regex=True).str.strip()
    first_row = df.groupby([sur, session, norm, df["Response"]], sort=False)["row"].transform("min")
    first_file = df.groupby([sur, session, norm, df["Response"]], sort=False)["source_file"]\
        .transform("first")
    paragraph_key = "uprinfo:" + first_file + ":" + first_row.astype(str)
    out = pd.DataFrame(
        {
            "rec_id": "uprinfo-" + df["source_file"].str.removesuffix(".csv") + "-"
            + df["row"].astype(str),
            "sur_iso3": sur,
            "cycle": session.map(cycle_of_session),
            "session": session,
            "year": _years_of(session, years),
            "source_document": None,
            "paragraph_id": None,
            "paragraph_key": paragraph_key,
            "recommending_state_raw": df["From"].where(~unknown, None),
            "joint_with": None,
            "text": df["Text"],
            "paragraph_text": df["Text"],
            "response": df["Response"].str.casefold().map(uprinfo.RESPONSES),
            "action_category": pd.to_numeric(df["Action"].replace("", None)).astype("Int64"),
            "themes": df["Issue"].map(lambda s: LIST_SEP.join(uprinfo.split_issues(s)) or None),
            "source": UPR_INFO,
            "source_file": df["source_file"],
            "source_row": df["row"],
        }
    )
    return _finish(out, where="UPR Info export (sessions 1-20)")


def uprinfo2018_table(paths: list[Path], years: dict[int, int]) -> pd.DataFrame:
    """State-level rows from the UPR Info export of July 2018 (sessions 1-27).

    ``attrs`` carries the reader's quirk counts (duplicates dropped, sessions inferred).
    """
    df = uprinfo2018.read_all(paths)
    session = df["Session"].astype(int)
    unknown = df["RS"].eq(uprinfo2018.UNKNOWN_STATE)
    issues = df["Issue"].str.split(",").map(
        lambda xs: LIST_SEP.join(x.strip() for x in xs if x.strip()) or None)
    stem = df["source_file"].str.extract(r"^(\d+-\d+)", expand=False)
    out = pd.DataFrame(
        {
            "rec_id": "uprinfo2018-" + stem + "-" + df["row"].astype(str),
            "sur": df["SuR"],
            "cycle": session.map(cycle_of_session),
            "session": session,
            "year": _years_of(session, years),
            "source_document": None,
            "paragraph_id": None,
            "recommending_state_raw": df["RS"].where(~unknown, None),
            "joint_with": None,
            "text": df["Recommendation"],
            "paragraph_text": df["Recommendation"],
            "response": df["Response"].str.casefold().map(uprinfo2018.RESPONSES),
            "action_category": pd.to_numeric(df["Action"].replace("", None)).astype("Int64"),
            "themes": issues,
            "source": UPR_INFO_2018,
            "source_file": df["source_file"],
            "source_row": df["row"],
        }
    )
    out["sur_iso3"] = out["sur"].map(countries.to_iso3(out["sur"], where="UPR Info export 2018"))
    out["paragraph_key"] = None  # no paragraph numbers: see fill_estimated_paragraph_keys
    out["state_order"] = pd.NA
    out = _finish(out, where="UPR Info export 2018")
    out.attrs = dict(df.attrs)
    return out


def review_sessions(recs: pd.DataFrame) -> dict[tuple[str, int], int]:
    """Working Group session of each (state under review, cycle) in canonical rows."""
    s = recs.groupby(["sur_iso3", "cycle"])["session"].unique()
    twice = s[s.map(len) > 1]
    if len(twice):
        (sur, cycle), sessions = next(iter(twice.items()))
        raise DataError(f"{sur} has several sessions in cycle {cycle}: {sorted(sessions)}")
    return {k: int(v[0]) for k, v in s.items()}


def dihr_table(paths: list[Path], sessions: dict[tuple[str, int], int],
               years: dict[int, int]) -> pd.DataFrame:
    """State-level rows from the DIHR explorer export (cycles 1-2).

    The export gives year and cycle but not the session: it is taken from ``sessions``
    (the UPR Info export's session of the same review). Rows with a paragraph number
    ``<n>.<m>`` are keyed by it; the others (no number, or a bare number that is no
    recommendation's paragraph) are grouped by identical text, an estimate noted per review.
    ``attrs`` counts the rows without a paragraph number and the dropped duplicates.
    """
    frames = [dihr.read_workbook(p) for p in paths]
    df = pd.concat(frames, ignore_index=True)
    where = "DIHR explorer export " + ", ".join(p.name for p in paths)
    sur = df["sur"].map(countries.to_iso3(df["sur"], where=where))
    known = pd.Series(sessions, dtype="Int64")
    session = pd.Series(known.reindex(pd.MultiIndex.from_arrays([sur, df["cycle"]])).to_numpy(),
                        index=df.index, dtype="Int64")
    if session.isna().any():
        r = df.loc[session.isna()].iloc[0]
        raise DataError(f"{r['source_file']} row {r['row']}: no session known for "
                        f"{r['sur']} cycle {r['cycle']} (taken from the UPR Info export)")
    out = pd.DataFrame(
        {
            "rec_id": "dihr-" + df["source_file"].str.removesuffix(".xlsx") + "-"
            + df["row"].astype(str),
            "sur_iso3": sur,
            "cycle": df["cycle"],
            "session": session,
            "year": _years_of(session.astype(int), years),
            "source_document": df["source_document"],
            "paragraph_id": df["paragraph_id"],
            "recommending_state_raw": df["recommending_state"],
            "joint_with": None,
            "text": df["text"],
            "paragraph_text": df["text"],
            "response": df["response"],
            "action_category": pd.NA,
            "sdg_goals": df["sdg_goals"],
            "sdg_targets": df["sdg_targets"],
            "source": DIHR,
            "source_file": df["source_file"],
            "source_row": df["row"],
        }
    )
    numbered = out["paragraph_id"].notna()
    out["paragraph_key"] = out["paragraph_id"]  # the others: fill_estimated_paragraph_keys
    out = _finish(out, where=where)
    out.attrs = {
        "duplicates_dropped": [x for f in frames for x in f.attrs["duplicates_dropped"]],
        "without_paragraph_number": {
            "rows": int((~numbered).sum()),
            "no_number": int(df["paragraph"].eq("").sum()),
            "not_a_recommendation_number": int((df["paragraph"].ne("") & ~numbered).sum()),
            "year_differs_from_session_year": int((df["year"] != out["year"]).sum()),
        },
    }
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
        raise DataError(f"{r['source_file']} row {r['row']}: {r['member']!r} has iso2 {r['iso2']}"
                         f" but its name maps to {iso_by_name[r['member']]}")
    df["country"] = df["iso3"].map(countries.names())
    cols = RATIFICATION_COLUMNS
    out = df[cols].sort_values(["iso3", "instrument"]).reset_index(drop=True)
    out.attrs["corrections"] = df.attrs.get("corrections", [])
    return out


