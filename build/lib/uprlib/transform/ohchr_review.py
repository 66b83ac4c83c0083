"""Which review an OHCHR recommendations file belongs to: what the file says, checked.

An OHCHR matrix or thematic list names its review in the page heading ("UPR of Slovenia (4th
Cycle - 48th Session)") and cites the Working Group report its positions come from
(A/HRC/59/15). What a registry entry or the user claims (state under review, cycle, session,
year, report symbol) is checked against that: a claim the file contradicts is an error, a claim
fills in what the file does not say, and what neither says is an error. The year comes from the
table of session years.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from uprlib.errors import DataError
from uprlib.extract.ohchr_matrix import FileReview

from . import countries
from .cycles import cycle_of_session


class ReviewMismatchError(DataError):
    """An OHCHR file names another review than the one claimed for it."""


@dataclass(frozen=True)
class ReviewOfFile:
    """The review an OHCHR file belongs to, as checked."""

    sur_iso3: str
    cycle: int
    session: int
    year: int | None  # None only when asked not to require it
    symbol: str | None  # the Working Group report, when the file cites one


def _pick(name: str, found: Any, claimed: Any, where: str, claimed_by: str | Mapping[str, str],
          found_as: str) -> Any:
    if found is not None and claimed is not None and found != claimed:
        by = (claimed_by.get(name, f"{name} is") if isinstance(claimed_by, Mapping)
              else f"{claimed_by} says {name}")
        raise ReviewMismatchError(f"{where}: the file {found_as} {found}, but {by} {claimed}")
    return claimed if claimed is not None else found


def review_of_file(found: FileReview, claimed: Mapping[str, Any], where: str,
                   claimed_by: str | Mapping[str, str], years: Mapping[int, int] | None = None,
                   hint: str = "", year_required: bool = True) -> ReviewOfFile:
    """Check ``claimed`` (keys sur_iso3, cycle, session, year, symbol; any may be missing or
    None) against what the file says; return the review. ``where`` names the file in errors,
    ``claimed_by`` the source of the claims ("registry entry X"), or a label per key
    ({"sur_iso3": "--country is"}); ``hint`` ends the error when something is unknown. With
    ``year_required=False`` and no ``years``, an unknown year is left None."""
    def unknown(what: str) -> DataError:
        by = "the options" if isinstance(claimed_by, Mapping) else claimed_by
        return DataError(f"{where}: the {what} is neither in the file nor given by {by}"
                         f"{'; ' + hint if hint else ''}")

    file_iso3 = countries.iso3_of(found.state) if found.state else None
    heading = f"heading {found.heading!r}" if found.heading else "heading"
    iso3 = _pick("sur_iso3", file_iso3, claimed.get("sur_iso3"), where, claimed_by,
                 f"{heading} names the state under review")
    if iso3 is None:
        raise unknown("state under review")
    session = _pick("session", found.session, _int(claimed.get("session")), where, claimed_by,
                    f"{heading} names session")
    if session is None:
        raise unknown("Working Group session")
    cycle = _pick("cycle", found.cycle, _int(claimed.get("cycle")), where, claimed_by,
                  f"{heading} names cycle")
    of_session = cycle_of_session(session)
    if cycle is not None and cycle != of_session:
        raise ReviewMismatchError(f"{where}: session {session} belongs to cycle {of_session}, "
                                  f"not cycle {cycle}")
    year = _int(claimed.get("year"))
    if years is not None:
        if session not in years:
            raise DataError(f"{where}: no year known for session {session} in the session table")
        year = _pick("year", years[session], year, where, claimed_by,
                     f"is of session {session}, held in")
    if year is None and year_required:
        raise unknown("year")
    symbol = _pick("symbol", found.symbol, claimed.get("symbol"), where, claimed_by,
                   "cites the Working Group report")
    return ReviewOfFile(iso3, of_session, session, year, symbol)


def _int(value: Any) -> int | None:
    return None if value is None else int(value)
