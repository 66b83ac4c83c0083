"""The reviews of a UHRI export: their rows in the canonical layout, counts and digests, and
which imported export each review is taken from.

An export read by :mod:`uprlib.extract.uhri` holds one row per UPR recommendation. Here its
rows are split into reviews (state under review × cycle, the session telling the cycle: 1-12
cycle 1, 13-26 cycle 2, 27-40 cycle 3, 41-54 cycle 4), the states are mapped to ISO3 through
the committed country mapping (the source's spelling is kept), a trailing "(State)" is taken
off a text only where it names the row's own recommending states, and each recommendation is
given one row per recommending state (:func:`uhri_rows`).

Each imported export is a registry entry listing the reviews it is used for, with their
counts and a digest of their content (:func:`review_summaries`); a later import lists only
the reviews it adds or whose content changed, so for each review the latest export that lists
it is used (:func:`assignment`), and an export whose reviews are all taken from later ones is
kept (raw files are never changed) but no longer read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from uprlib.errors import DataError, UnmappedCountryError
from uprlib.workspace import responses
from uprlib.workspace.registry import RawFile
from uprlib.workspace.text import LIST_SEP

from . import countries
from .cycles import CYCLE_SESSIONS

ROLE = "uhri_export"
# a comma between two names of a group, not one inside a nested "(Plurinational State of)"
_TOP_LEVEL_COMMA = re.compile(r",(?![^()]*\))")
_CYCLE_OF_SESSION = {s: c for c, sessions in CYCLE_SESSIONS.items() for s in sessions}


def review_label(iso3: str, cycle: int) -> str:
    """``<ISO3>-cycle<N>``: how a review is named in the registry and the import report."""
    return f"{iso3}-cycle{int(cycle)}"


@lru_cache(maxsize=4096)
def _state_key(name: str) -> str:
    """A state's ISO3 code, or its normalised spelling where the mapping does not know it."""
    return countries.lookup(name) or countries.normalise(name)


def _closing_group(text: str) -> tuple[int, str] | None:
    """(start, content) of the parenthesised group that closes ``text`` (trailing ". ; ,"
    and spaces allowed after it), nested groups included; None if it does not end with one."""
    end = len(text.rstrip(" .;,\t\n"))
    if not end or text[end - 1] != ")":
        return None
    depth = 0
    for i in range(end - 1, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return i, text[i + 1: end - 1]
    return None


def strip_own_states(text: str, states: Iterable[str]) -> str:
    """``text`` without the parenthesised recommending states that close it, as the Working
    Group report prints them ("... (France) (Mali)"), when every name in each group is one of
    the row's own ``states`` (compared through the country mapping, so that spellings may
    differ); any other closing parenthesis ("(CEDAW)") is kept."""
    own = {_state_key(s) for s in states}
    if not own:
        return text
    out = text
    while (group := _closing_group(out)) is not None:
        start, content = group
        names = [n.strip() for n in _TOP_LEVEL_COMMA.split(content) if n.strip()]
        if not names or any(_state_key(n) not in own for n in names):
            break
        stripped = out[:start].rstrip(" ;,\t\n")
        if not stripped:
            break
        out = stripped
    return out


def _map_names(names: pd.Series, rows: pd.Series, what: str, where: str) -> dict[str, str]:
    """ISO3 of each distinct name; refuses naming the first row of the first unknown one."""
    try:
        return countries.to_iso3(names, where=where)
    except UnmappedCountryError as err:
        first = err.names[0]
        row = int(rows[names == first].iloc[0])
        more = f" (and {len(err.names) - 1} other unknown name(s))" if len(err.names) > 1 else ""
        raise DataError(f"{where}: row {row}: {what} {first!r} is not a state in countries.csv "
                        f"or country_aliases.csv{more}") from None


def review_rows(df: pd.DataFrame, years: Mapping[int, int], where: str) -> pd.DataFrame:
    """An export's UPR rows (``df``: :data:`uprlib.extract.uhri.ROW_COLUMNS`, one per
    recommendation) with ``sur_iso3``, ``cycle`` and ``year``, and each text without the
    recommending states that close it.

    The year is that of the session in the session table ``years``; for a session the table
    does not have yet, the year of the review's earliest document publication date. Refuses
    (naming the row) an unknown state under review, a state reviewed in two sessions of one
    cycle, and a review whose year cannot be told.
    """
    sur = df["sur"].map(_map_names(df["sur"], df["row"], "state under review", where))
    cycle = df["session"].map(_CYCLE_OF_SESSION).astype("int64")
    out = df.assign(sur_iso3=sur, cycle=cycle)
    sessions = out.groupby(["sur_iso3", "cycle"])["session"].agg(["min", "max"])
    twice = sessions.loc[sessions["min"] != sessions["max"]]
    if len(twice):
        (iso3, c), s = next(iter(twice.iterrows()))
        rows = out.loc[(out["sur_iso3"] == iso3) & (out["cycle"] == c)]
        r1 = rows.loc[rows["session"] == s["min"], "row"].iloc[0]
        r2 = rows.loc[rows["session"] == s["max"], "row"].iloc[0]
        raise DataError(f"{where}: {countries.name_of(iso3)} has UPR rows of sessions "
                        f"{s['min']} (row {r1}) and {s['max']} (row {r2}), both in cycle {c}: "
                        "a state is reviewed once per cycle")
    out["year"] = _years(out, years, where)
    out["text"] = [strip_own_states(t, s) for t, s in zip(out["text"], out["states"],
                                                           strict=True)]
    return out


def explode_states(rows: pd.DataFrame, where: str) -> pd.DataFrame:
    """One row per (recommendation, recommending state) of :func:`review_rows`' rows, with
    ``recommending_state_raw`` (None for a row without any), ``row_state`` (its place in the
    row's list) and ``joint_with`` (the row's other states, canonical names)."""
    n = rows["states"].map(len)
    out = rows.loc[rows.index.repeat(n.clip(lower=1))].copy()
    order = out.groupby(level=0).cumcount().to_numpy()
    states = rows["states"]
    lists = states.loc[out.index].to_numpy()
    out["recommending_state_raw"] = [xs[k] if xs else None
                                     for xs, k in zip(lists, order, strict=True)]
    known = out["recommending_state_raw"].notna()
    iso = _map_names(out.loc[known, "recommending_state_raw"], out.loc[known, "row"],
                     "recommending state", where) if known.any() else {}
    canon = countries.names()
    names = states.map(lambda xs: [canon[iso[x]] for x in xs]).loc[out.index].to_numpy()
    out["joint_with"] = [LIST_SEP.join(x for j, x in enumerate(ns) if j != k) or None
                         for ns, k in zip(names, order, strict=True)]
    out["row_state"] = order + 1
    return out.reset_index(drop=True)


def _years(df: pd.DataFrame, years: Mapping[int, int], where: str) -> pd.Series:
    year = df["session"].map(years)
    missing = year.isna()
    if missing.any():
        first = (df.loc[missing].groupby(["sur_iso3", "cycle"])["published"]
                 .transform("min").str[:4])
        year = year.where(~missing, pd.to_numeric(first, errors="coerce"))
        still = year.isna()
        if still.any():
            r = df.loc[still].iloc[0]
            raise DataError(f"{where}: row {r['row']}: session {r['session']} is not in the "
                            "session table and the export gives no publication date for its "
                            "review, so its year is unknown")
    return year.astype("int64")


def _paragraph_keys(rows: pd.DataFrame) -> pd.Series:
    """The paragraph a row belongs to within its review: its number, or its own file row."""
    return rows["paragraph_id"].where(rows["paragraph_id"].notna(), "row " + rows["row"]
                                      .astype(str))


def review_digests(rows: pd.DataFrame) -> pd.Series:
    """SHA-256 (hex) of each review's content in ``rows`` (the export's rows, one per
    recommendation, with sur_iso3 and cycle): the same recommendations, texts, states,
    positions, themes and SDGs give the same digest, whatever the file, row order or
    annotation ids; by ``<ISO3>-cycle<N>``.

    Each row is hashed on its own (BLAKE2b, 16 bytes) and a review's digest is the SHA-256 of
    its rows' hashes in sorted order: no review's text is ever held twice in memory.
    """
    fields = ["session", "paragraph_id", "text", "states", "response", "symbol", "themes",
              "persons", "sdg_goals", "sdg_targets"]
    cols = [rows[f].to_numpy() for f in fields]
    row_hashes = []
    for values in zip(*cols, strict=True):
        text = "\x1f".join(LIST_SEP.join(v) if isinstance(v, tuple) else
                           ("" if v is None or v != v else str(v)) for v in values)
        row_hashes.append(hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest())
    keys = [review_label(s, c) for s, c in zip(rows["sur_iso3"], rows["cycle"], strict=True)]
    by_review: dict[str, list[bytes]] = {}
    for k, h in zip(keys, row_hashes, strict=True):
        by_review.setdefault(k, []).append(h)
    return pd.Series({k: hashlib.sha256(b"".join(sorted(hs))).hexdigest()
                      for k, hs in sorted(by_review.items())}, dtype=object)


def review_summaries(rows: pd.DataFrame) -> list[dict[str, Any]]:
    """One dict per review of the export's rows (:func:`review_rows`, one per
    recommendation): its label, state, cycle,
    session, year, paragraphs, recommendations counted per recommending state, paragraphs by
    response, and digest, sorted by cycle and state."""
    if rows.empty:
        return []
    para = rows.assign(key=_paragraph_keys(rows)).drop_duplicates(["sur_iso3", "cycle", "key"])
    counts = (para.groupby(["sur_iso3", "cycle", "response"]).size()
              .unstack(fill_value=0).reindex(columns=list(responses.RESPONSES), fill_value=0))
    per = rows.assign(n=rows["states"].map(len).clip(lower=1)).groupby(["sur_iso3", "cycle"])
    digests = review_digests(rows)
    out = []
    for (iso3, cycle), g in per:
        c = counts.loc[(iso3, cycle)]
        out.append({
            "review": review_label(iso3, cycle), "sur_iso3": iso3, "cycle": int(cycle),
            "session": int(g["session"].iloc[0]), "year": int(g["year"].iloc[0]),
            "paragraphs": int(c.sum()), "recommendations": int(g["n"].sum()),
            **{responses.KEYS[r]: int(c[r]) for r in responses.RESPONSES},
            "digest": str(digests[review_label(iso3, cycle)]),
        })
    return sorted(out, key=lambda r: (r["cycle"], r["sur_iso3"]))


def listed_reviews(entry: RawFile) -> dict[str, dict[str, Any]]:
    """The reviews a UHRI registry entry lists (those it was imported for), by label."""
    return {str(r["review"]): dict(r) for r in entry.meta.get("reviews", [])}


def assignment(entries: Iterable[RawFile]) -> dict[str, RawFile]:
    """For each review, the UHRI export it is taken from: the latest entry (in registry order,
    the order of import) that lists it."""
    out: dict[str, RawFile] = {}
    for e in entries:
        if e.role == ROLE:
            for label in listed_reviews(e):
                out[label] = e
    return out


def review_mask(rows: pd.DataFrame, labels: Iterable[str]) -> np.ndarray:
    """Which of ``rows`` (with sur_iso3 and cycle) belong to the reviews ``labels``."""
    wanted = set(labels)
    keys = [review_label(s, c) for s, c in zip(rows["sur_iso3"], rows["cycle"], strict=True)]
    return np.fromiter((k in wanted for k in keys), dtype=bool, count=len(keys))
