"""``uprlib import``: add an OHCHR recommendations file a researcher downloaded to the record.

A researcher downloads the thematic list or matrix of recommendations of a review (the Word
file on the state's UPR page) and imports it. The file is read and checked like every source
before anything is written: its review is inferred from its page heading and the Working Group
report it cites, the options are checked against that (a file naming another state than
``--country`` is refused), and its table is built and validated against the recommendations
schema. Only then is it copied to ``data/raw/user/<sha256 prefix>_<safe name>.docx`` and
recorded in the user registry with its sha256, size, original name, import time and review;
from then on ``uprlib prepare`` includes it like a built-in file and ``uprlib paper`` builds
that review's paper. The same file again is a no-op. The file's name is untrusted: it is kept
only as a registry field, never used unsanitised in a path or the paper.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from uprlib.errors import DataError, MatrixFormatError, UprlibError, UsageError
from uprlib.extract import session_years
from uprlib.extract.ohchr_matrix import read_file
from uprlib.transform import countries
from uprlib.transform.canonical import matrix_table
from uprlib.transform.ohchr_review import ReviewOfFile, review_of_file
from uprlib.workspace.atomic import atomic_path
from uprlib.workspace.fetch import fetch_file, sha256_of
from uprlib.workspace.paths import raw_dir
from uprlib.workspace.registry import (
    RawFile,
    add_user_entry,
    by_role,
    load_registry,
    review_of,
)

from .schemas import RECOMMENDATIONS, validate

USER_DIR = "user"  # imported files live in data/raw/user/
OPTION_LABELS = {"sur_iso3": "--country is", "cycle": "--cycle is", "session": "--session is"}


class ImportRefusedError(UprlibError, ValueError):
    """A file cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the registry entry, whether it was added, and a message."""

    entry: RawFile
    added: bool
    message: str


def safe_name(name: str, limit: int = 60) -> str:
    """A file name safe in any path: ASCII letters, digits and '-', ending in .docx."""
    stem = unicodedata.normalize("NFKD", Path(name).stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-")[:limit].strip("-")
    return f"{stem or 'file'}.docx"


def _shown(path: Path) -> str:
    """The user's file name as it may appear in a one-line message (control characters and
    quotes escaped)."""
    return repr(str(path))


def _country_option(country: str) -> str:
    c = country.strip()
    if c.upper() in set(countries.countries()["iso3"]):
        return c.upper()
    try:
        return countries.iso3_of(c)
    except UprlibError as err:
        raise UsageError(f"--country {country!r} is not a known state (ISO3 code or name): "
                         f"{err}") from err


def _check_options(entry: RawFile, claims: dict[str, Any], shown: str) -> None:
    """The options must agree with the review of a file that is already registered."""
    for name, value in claims.items():
        if value is not None and entry.meta.get(name) != value:
            raise ImportRefusedError(
                f"{shown} is registered as {entry.key}, the review {entry.meta.get('sur_iso3')} "
                f"cycle {entry.meta.get('cycle')} session {entry.meta.get('session')}, but "
                f"{OPTION_LABELS[name]} {value}; nothing changed")


def _refuse_if_covered(review: ReviewOfFile, registered: tuple[RawFile, ...]) -> None:
    for f in registered:
        if review_of(f) == (review.sur_iso3, review.cycle):
            raise ImportRefusedError(
                f"{review.sur_iso3} cycle {review.cycle} already has an OHCHR file in the "
                f"registry ({f.key}, {f.path}); nothing imported")


def _citation(review: ReviewOfFile, kind: str | None) -> str:
    what = {"matrix": "UPR matrix of recommendations",
            "thematic list": "UPR thematic list of recommendations"}.get(
        kind or "", "UPR recommendations")
    report = f", {review.symbol} and Add.1" if review.symbol else ""
    return (f"OHCHR, {what}: {countries.name_of(review.sur_iso3)}, cycle {review.cycle} "
            f"(Working Group session {review.session}{report}), {review.year}")


def _copy(src: Path, target: Path, sha256: str) -> bool:
    """Copy ``src`` to ``target`` atomically and verify it; False if a good copy was there."""
    if target.is_file() and sha256_of(target) == sha256:
        return False
    with atomic_path(target) as tmp:
        shutil.copyfile(src, tmp)
        if sha256_of(tmp) != sha256:
            raise ImportRefusedError(f"{_shown(src)} changed while it was being imported; "
                                     "nothing imported")
    return True


def import_file(file: Path | str, country: str | None = None, cycle: int | None = None,
                session: int | None = None) -> ImportResult:
    """Import an OHCHR matrix or thematic list into the user registry (see the module doc).

    Raises :class:`ImportRefusedError` (or another :class:`UprlibError`) with a one-line
    message, having changed nothing, when the file is not a recommendations file, names
    another review than the options, or its review already has an OHCHR file.
    """
    src = Path(file)
    shown = _shown(src)
    if not src.is_file():
        raise ImportRefusedError(f"{shown} is not a file; nothing imported")
    sha256, size = sha256_of(src), src.stat().st_size
    claims = {"sur_iso3": _country_option(country) if country else None,
              "cycle": cycle, "session": session}
    for f in load_registry():
        if f.sha256 == sha256:
            _check_options(f, claims, shown)
            return ImportResult(f, False, f"{shown} is already registered as {f.key} "
                                          f"({f.path}); nothing to do")
    try:
        read = read_file(src)
    except MatrixFormatError as err:
        raise ImportRefusedError(f"{str(err).replace(str(src), shown)}; nothing imported") \
            from err
    hint = "give it with --country, --cycle or --session"
    # everything that needs no other file first, so that a refusal fetches nothing
    try:
        review = review_of_file(read.review, claims, where=shown, claimed_by=OPTION_LABELS,
                                hint=hint, year_required=False)
    except DataError as err:
        raise ImportRefusedError(f"{err}; nothing imported") from err
    _refuse_if_covered(review, load_registry())
    years = session_years.read_session_years(fetch_file(by_role("session_years")[0]))
    review = review_of_file(read.review, claims, where=shown, claimed_by=OPTION_LABELS,
                            years=years, hint=hint)
    meta = {"sur_iso3": review.sur_iso3, "cycle": review.cycle, "session": review.session,
            "year": review.year}
    if review.symbol:
        meta["symbol"] = review.symbol
    meta |= {"imported": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
             "original_name": src.name}
    entry = RawFile(
        key=f"user_{review.sur_iso3.lower()}_c{review.cycle}_{sha256[:8]}",
        path=f"{USER_DIR}/{sha256[:12]}_{safe_name(src.name)}",
        role="ohchr_matrix", sha256=sha256, size=size, url="", commit="",
        licence="not stated (file imported by the user)",
        producer="OHCHR (file imported by the user)",
        citation=_citation(review, read.review.kind), meta=meta)
    # validated like every source, before anything is written
    table = validate(matrix_table(entry, src, years), RECOMMENDATIONS, f"imported file {shown}")
    target = raw_dir() / entry.path
    copied = _copy(src, target, sha256)
    try:
        existing = add_user_entry(entry, check=lambda reg: _refuse_if_covered(review, reg))
    except BaseException:
        if copied:
            target.unlink(missing_ok=True)
        raise
    if existing is not None:  # a concurrent import of the same file got there first
        return ImportResult(existing, False, f"{shown} is already registered as "
                                             f"{existing.key}; nothing to do")
    paragraphs = table["paragraph_id"].nunique()
    return ImportResult(entry, True, (
        f"imported {shown} as {entry.key}: {countries.name_of(review.sur_iso3)} "
        f"({review.sur_iso3}) cycle {review.cycle}, session {review.session} ({review.year}), "
        f"{paragraphs} paragraphs, {len(table)} recommendations by state; in data/raw/"
        f"{entry.path}. `uprlib paper --country {review.sur_iso3} --cycle {review.cycle}` "
        "builds its paper"))
