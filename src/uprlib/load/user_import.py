"""``uprlib import``: add an OHCHR recommendations file a researcher downloaded to the record.

Two kinds of file are taken, told apart by their content: the Word file of one review
(below), and an export of OHCHR's Universal Human Rights Index, xlsx or JSON, of one review or
of the whole index (:mod:`uprlib.load.uhri_import`).

A researcher downloads the thematic list or matrix of recommendations of a review (the Word
file on the state's UPR page) and imports it. The file is read and checked like every source
before anything is written: its review is inferred from its page heading and the Working Group
report it cites, the options are checked against that (a file naming another state than
``--country`` is refused), and its table is built and validated against the recommendations
schema. Only then is it copied to ``data/raw/user/<sha256 prefix>_<safe name>.docx`` and
recorded in the user registry with its sha256, size, original name, import time and review;
from then on ``uprlib prepare`` includes it like a built-in file and ``uprlib paper`` builds
that review's paper. The same file again is a no-op. The file's name is untrusted: it is kept
only as a registry field, never used unsanitised in a path or the paper. The copy and the
registry are written under the project's run lock (:mod:`uprlib.workspace.lock`), never while
a build is reading them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from uprlib.errors import DataError, MatrixFormatError, UprlibError, UsageError
from uprlib.extract import session_years
from uprlib.extract.ohchr_matrix import read_file
from uprlib.extract.uhri import sniff
from uprlib.transform import countries
from uprlib.transform.canonical import matrix_table
from uprlib.transform.ohchr_review import ReviewOfFile, review_of_file
from uprlib.workspace.fetch import fetch_file, sha256_of
from uprlib.workspace.lock import project_lock
from uprlib.workspace.paths import raw_dir
from uprlib.workspace.registry import (
    RawFile,
    add_user_entry,
    by_role,
    load_registry,
    review_of,
)

from .importing import USER_DIR, ImportRefusedError, ImportResult, copy_verified, safe_name
from .importing import shown as _shown
from .schemas import RECOMMENDATIONS, validate
from .uhri_import import import_uhri

__all__ = ["USER_DIR", "ImportRefusedError", "ImportResult", "import_file", "safe_name"]
OPTION_LABELS = {"sur_iso3": "--country is", "cycle": "--cycle is", "session": "--session is"}


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


def import_file(file: Path | str, country: str | None = None, cycle: int | None = None,
                session: int | None = None, dry_run: bool = False,
                progress: bool = False) -> ImportResult:
    """Import an OHCHR matrix or thematic list (Word), or an export of the Universal Human
    Rights Index (xlsx or JSON: :func:`uprlib.load.uhri_import.import_uhri`), into the user
    registry (see the module doc). ``dry_run``: read and check the file, say what the import
    would do, write nothing. ``progress``: a progress bar on stderr while a large export is
    read.

    Raises :class:`ImportRefusedError` (or another :class:`UprlibError`) with a one-line
    message, having changed nothing, when the file is not a recommendations file, names
    another review than the options, or its review already has an OHCHR file.
    """
    src = Path(file)
    shown = _shown(src)
    if not src.is_file():
        raise ImportRefusedError(f"{shown} is not a file; nothing imported")
    kind = sniff(src)
    if kind in ("xlsx", "json") or (kind == "zip" and src.suffix.lower() == ".xlsx"):
        if country or cycle or session:
            raise ImportRefusedError(
                f"{shown} is a Universal Human Rights Index export, which names the review of "
                "every row itself: --country, --cycle and --session are for an OHCHR Word "
                "file; nothing imported")
        return import_uhri(src, dry_run=dry_run, progress=progress)
    if kind is None and src.suffix.lower() != ".docx":
        raise ImportRefusedError(f"{shown} is neither an OHCHR Word file (.docx) nor an export "
                                 "of the Universal Human Rights Index (.xlsx or JSON); nothing "
                                 "imported")
    return _import_matrix(src, shown, country, cycle, session, dry_run)


def _import_matrix(src: Path, shown: str, country: str | None, cycle: int | None,
                   session: int | None, dry_run: bool) -> ImportResult:
    """Import an OHCHR Word file (see the module doc)."""
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
    counts = (f"{countries.name_of(review.sur_iso3)} ({review.sur_iso3}) cycle {review.cycle}, "
              f"session {review.session} ({review.year}), {table['paragraph_id'].nunique()} "
              f"paragraphs, {len(table)} recommendations by state")
    if dry_run:
        return ImportResult(None, False, f"dry run: {shown} would be imported as {entry.key}: "
                                         f"{counts}; nothing written", dry_run=True)
    existing = _register(entry, src, review)
    if existing is not None:  # a concurrent import of the same file got there first
        return ImportResult(existing, False, f"{shown} is already registered as "
                                             f"{existing.key}; nothing to do")
    return ImportResult(entry, True, (
        f"imported {shown} as {entry.key}: {counts}; in data/raw/{entry.path}. `uprlib paper "
        f"--country {review.sur_iso3} --cycle {review.cycle}` builds its paper"))


def _register(entry: RawFile, src: Path, review: ReviewOfFile) -> RawFile | None:
    """Copy the file into data/raw/user/ and record it, under the project's run lock; the
    copy is removed again if the registry refuses it. The registered entry with the same
    checksum, if a concurrent import got there first."""
    target = raw_dir() / entry.path
    with project_lock():
        copied = copy_verified(src, target, entry.sha256)
        try:
            return add_user_entry(entry, check=lambda reg: _refuse_if_covered(review, reg))
        except BaseException:
            if copied:
                target.unlink(missing_ok=True)
            raise
