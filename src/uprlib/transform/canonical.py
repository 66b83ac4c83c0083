"""The canonical tables: rows of every source mapped to one layout (no I/O).

Each function takes rows read by a reader of :mod:`uprlib.extract` and returns them in the
layout of the processed tables, with countries mapped to ISO 3166 alpha-3 and known source
errors corrected. :mod:`uprlib.load.prepare` validates and writes them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from uprlib.errors import DataError
from uprlib.extract import ohchr_matrix, ratification, uprinfo
from uprlib.workspace.registry import RawFile
from uprlib.workspace.text import LIST_SEP

from . import corrections, countries
from .cycles import cycle_of_session
from .ohchr_review import review_of_file

# the ratification table's columns, in order (the schema in uprlib.load.schemas checks them)
RATIFICATION_COLUMNS = ["iso3", "country", "instrument", "instrument_name", "status", "year",
                        "note", "source_file"]


def _group_of(iso3: pd.Series) -> pd.Series:
    groups = dict(zip(countries.countries()["iso3"], countries.countries()["un_regional_group"],
                      strict=True))
    return iso3.map(groups)


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
    iso = countries.to_iso3(df["recommending_state"], where=str(path))
    sur = review.sur_iso3
    out = pd.DataFrame(
        {
            "rec_id": [f"{sur}-c{review.cycle}-ohchr-{p}-{o}"
                       for p, o in zip(df["paragraph_id"], df["state_order"], strict=True)],
            "sur_iso3": sur,
            "sur_name": countries.name_of(sur),
            "cycle": review.cycle,
            "session": review.session,
            "year": review.year,
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
        raise DataError(f"no year known for session(s) {missing_years} in the session table")
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
        raise DataError(f"{r['source_file']} row {r['row']}: {r['member']!r} has iso2 {r['iso2']}"
                         f" but its name maps to {iso_by_name[r['member']]}")
    df["country"] = df["iso3"].map(countries.names())
    cols = RATIFICATION_COLUMNS
    out = df[cols].sort_values(["iso3", "instrument"]).reset_index(drop=True)
    out.attrs["corrections"] = df.attrs.get("corrections", [])
    return out


