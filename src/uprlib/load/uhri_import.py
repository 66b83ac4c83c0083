"""``uprlib import`` of an export of OHCHR's Universal Human Rights Index (xlsx or JSON).

An export may hold one review, one state's four cycles or the whole index. It is read and
checked like every source before anything is written (:mod:`uprlib.extract.uhri`): only the
UPR rows, split into reviews (state under review × cycle), every row read or the file refused
with one line naming the file, row and column. Its canonical table is built and validated
against the recommendations schema. Each review is then compared, by a digest of its content,
with the one the data already takes from an earlier UHRI import:

* **added**: no earlier export has it;
* **replaced**: an earlier export has it with other content (a newer export: positions
  published since, a corrected text); the new file is used for it from now on;
* **unchanged**: the same content; it stays with the earlier file, so nothing downstream is
  rebuilt.

The file is copied to ``data/raw/user/<sha256 prefix>_<safe name>.xlsx|json`` and recorded in
the user registry (role ``uhri_export``) with the reviews it added or replaced, each with its
counts and digest; all of it under the project's run lock, the copy atomic and removed again
if the registry cannot be written, so an import is all or nothing. A file whose reviews are all
unchanged is not recorded (nothing changed), nor is the same file twice. The report
(:func:`report`) fits on one screen; ``dry_run`` prints it without writing anything.
Earlier exports are never changed: a review is taken from the latest export that lists it
(:func:`uprlib.transform.uhri.assignment`).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from uprlib.errors import DataError, UhriFormatError
from uprlib.extract import session_years, uhri
from uprlib.transform import countries
from uprlib.transform.canonical import fill_estimated_paragraph_keys, uhri_table
from uprlib.transform.uhri import (
    ROLE,
    assignment,
    listed_reviews,
    review_label,
    review_rows,
    review_summaries,
)
from uprlib.workspace import responses
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
from uprlib.workspace.text import normalise_texts

from . import interim
from .importing import USER_DIR, ImportRefusedError, ImportResult, copy_verified, safe_name, shown
from .schemas import RECOMMENDATIONS, validate

log = logging.getLogger(__name__)
SHOWN_REVIEWS = 12  # rows of the report's table; the rest are counted
COUNT_KEYS = ("paragraphs", "recommendations",
              *(responses.KEYS[r] for r in responses.RESPONSES))
_ORDER = {"replaced": 0, "added": 1, "unchanged": 2}


def _years() -> dict[int, int]:
    return session_years.read_session_years(fetch_file(by_role("session_years")[0]))


def read_reviews(src: Path, where: str, progress: bool = False,
                 source_file: str = "") -> tuple[uhri.UhriExport, list[dict[str, Any]]]:
    """Read an export, split it into reviews and build and validate its canonical table;
    return the export and one summary per review (counts, digest). Refuses, changing
    nothing, a file that is not a UHRI export, has no UPR row, or fails any check."""
    try:
        export = uhri.read_export(src, where=where, progress=progress)
        if export.rows.empty:
            c = export.counts
            unit = "record" if export.format == "json" else "row"
            raise ImportRefusedError(
                f"{where} holds no UPR recommendation ({_n(c.get('rows', 0), unit)}, "
                f"{c.get('other_rows', 0)} of treaty bodies or special procedures); nothing "
                "imported")
        rows = review_rows(export.rows, _years(), where)
        summaries = review_summaries(rows)
        table = uhri_table(rows, source_file or src.name, where)
        table = fill_estimated_paragraph_keys(table, normalise_texts(table["text"]))
        validate(table, RECOMMENDATIONS, f"imported file {where}")
    except (UhriFormatError, DataError) as err:
        raise ImportRefusedError(f"{' '.join(str(err).split())}; nothing imported") from None
    return export, summaries


def _matrices() -> dict[str, str]:
    """Reviews with an OHCHR Word file in the registry (which takes precedence): label -> key."""
    out = {}
    for f in by_role("ohchr_matrix"):
        r = review_of(f)
        if r is not None:
            out[review_label(*r)] = f.key
    return out


def compare(summaries: list[dict[str, Any]],
            registered: tuple[RawFile, ...]) -> list[dict[str, Any]]:
    """Each review of the export with its status (added, replaced, unchanged) against the
    UHRI exports in ``registered``, the counts it replaces (``before``) and the export they
    came from (``from_key``), and the OHCHR file that covers it, if any (``matrix``)."""
    current = assignment(f for f in registered if f.role == ROLE)
    matrices = _matrices()
    out = []
    for s in summaries:
        label = s["review"]
        entry = current.get(label)
        before = listed_reviews(entry)[label] if entry is not None else None
        status = ("added" if before is None else
                  "unchanged" if before.get("digest") == s["digest"] else "replaced")
        out.append({**s, "status": status, "before": before,
                    "from_key": entry.key if entry is not None else None,
                    "matrix": matrices.get(label)})
    return out


def _n(count: int, noun: str) -> str:
    """"1 review", "2 reviews", "1,250 rows"."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _cell(change: dict[str, Any], key: str) -> str:
    new = change[key]
    before = change["before"]
    if change["status"] == "replaced" and before is not None and before.get(key) != new:
        return f"{before.get(key, '?')}→{new}"
    return str(new)


def report(where: str, export: uhri.UhriExport, changes: list[dict[str, Any]],
           entry: RawFile | None, dry_run: bool) -> str:
    """The import in a screenful: what the file holds, per cycle what was added, replaced or
    left unchanged, the reviews that changed (up to :data:`SHOWN_REVIEWS`) with their counts,
    the reviews an OHCHR file covers too, what was written and the next command."""
    c = export.counts
    n = {k: sum(x["status"] == k for x in changes) for k in _ORDER}
    unit = "record" if export.format == "json" else "row"
    skipped = c.get("other_rows", 0)
    lines = [
        f"{'dry run: ' if dry_run else ''}UHRI export {where} ({export.format}): "
        f"{_n(c.get('rows', 0), unit)}, {_n(c.get('upr_rows', 0), 'UPR recommendation')} in "
        f"{_n(len(changes), 'review')}" + (f" ({_n(skipped, unit)} of treaty bodies or special "
                                           "procedures skipped)" if skipped else ""),
    ]
    extras = []
    if c.get("duplicates_dropped"):
        extras.append(f"{_n(c['duplicates_dropped'], 'repeated ' + unit)} kept once")
    if c.get("without_paragraph_number"):
        extras.append(f"{_n(c['without_paragraph_number'], 'recommendation')} without a "
                      "paragraph number (their paragraphs are estimated by grouping identical "
                      "texts)")
    if extras:
        lines.append("  " + "; ".join(extras))
    verb = "would be " if dry_run else ""
    lines.append(f"reviews {verb}added: {n['added']}, {verb}replaced: {n['replaced']}, "
                 f"unchanged: {n['unchanged']}")
    per_cycle = []
    for cycle in sorted({x["cycle"] for x in changes}):
        sub = [x for x in changes if x["cycle"] == cycle]
        parts = [f"{sum(x['status'] == k for x in sub)} {k}" for k in _ORDER
                 if any(x["status"] == k for x in sub)]
        pending = sum(x["pending"] == x["paragraphs"] for x in sub)
        parts += [f"{pending} awaiting the state's response"] if pending else []
        per_cycle.append(f"cycle {cycle}: " + ", ".join(parts))
    lines.append("  " + "; ".join(per_cycle))
    shown_rows = sorted(changes, key=lambda x: (_ORDER[x["status"]], x["cycle"],
                                                x["sur_iso3"]))[:SHOWN_REVIEWS]
    head = ["review", "session", "paragraphs", "accepted", "partly", "noted", "pending",
            "status"]
    table = [head] + [[x["review"], _cell(x, "session"), _cell(x, "paragraphs"),
                       _cell(x, "accepted"), _cell(x, "partly_supported"), _cell(x, "noted"),
                       _cell(x, "pending"), x["status"] + (f" (was {x['from_key']})"
                                                           if x["status"] == "replaced" else "")]
                      for x in shown_rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(head) - 1)]
    for r in table:
        lines.append("  " + "  ".join(v.ljust(w) if i == 0 else v.rjust(w)
                                      for i, (v, w) in enumerate(zip(r, widths, strict=False)))
                     + "  " + r[-1])
    if len(changes) > len(shown_rows):
        lines.append(f"  ({len(shown_rows)} of {len(changes)} reviews shown, changes first; "
                     "`uprlib reviews` lists every review after the import)")
    covered = [x["review"] for x in changes if x["matrix"]]
    if covered:
        lines.append(f"also covered by an OHCHR Word file, which is used for them (the UHRI rows "
                     f"are cross-checked against it): {', '.join(covered[:8])}"
                     + (f" and {len(covered) - 8} more" if len(covered) > 8 else ""))
    lines.append(_outcome(where, changes, entry, dry_run))
    return "\n".join(lines)


def _outcome(where: str, changes: list[dict[str, Any]], entry: RawFile | None,
             dry_run: bool) -> str:
    changed = [x for x in changes if x["status"] != "unchanged"]
    if not changed:
        return ("nothing changed: every review in the file is already in the data with the "
                "same content" + ("" if dry_run else "; the file was not recorded"))
    if dry_run:
        return f"nothing written (dry run); `uprlib import {where}` imports it"
    # the paper to suggest: the latest cycle's first review that no Word file covers
    example = min(changed, key=lambda x: (x["matrix"] is not None, -x["cycle"], x["sur_iso3"]))
    where_to = f" (data/raw/{entry.path})" if entry is not None else ""
    return (f"imported as {entry.key if entry else '?'}{where_to}; `uprlib paper --country "
            f"{example['sur_iso3']} --cycle {example['cycle']}` builds the paper of "
            f"{countries.name_of(example['sur_iso3'])}'s review")


def _entry(src: Path, sha256: str, size: int, export: uhri.UhriExport,
           changed: list[dict[str, Any]]) -> RawFile:
    suffix = export.format
    cycles = sorted({x["cycle"] for x in changed})
    listed = [{k: x[k] for k in ("review", "sur_iso3", "cycle", "session", "year",
                                 *COUNT_KEYS, "digest")} for x in changed]
    now = dt.datetime.now(dt.UTC)
    return RawFile(
        key=f"user_uhri_{sha256[:8]}",
        path=f"{USER_DIR}/{sha256[:12]}_{safe_name(src.name, suffix=suffix)}",
        role=ROLE, sha256=sha256, size=size, url="", commit="",
        licence="not stated (file imported by the user)",
        producer="OHCHR (file imported by the user)",
        citation=(f"OHCHR, Universal Human Rights Index (uhri.ohchr.org): export of UPR "
                  f"recommendations, {len(changed)} review(s) of cycle(s) "
                  f"{', '.join(map(str, cycles))}, imported {now.date().isoformat()}"),
        meta={"imported": now.isoformat(timespec="seconds"), "original_name": src.name,
              "format": export.format, "rows": int(export.counts.get("rows", 0)),
              "upr_rows": int(export.counts.get("upr_rows", 0)), "reviews": listed})


def import_uhri(src: Path, dry_run: bool = False, progress: bool = False) -> ImportResult:
    """Import a UHRI export (see the module doc); ``dry_run``: report, write nothing."""
    where = shown(src)
    sha256, size = sha256_of(src), src.stat().st_size
    for f in load_registry():
        if f.sha256 == sha256:
            n = len(listed_reviews(f))
            return ImportResult(f, False, f"{where} is already registered as {f.key} "
                                          f"({f.path}, {n} review(s) taken from it); nothing "
                                          "changed", dry_run=dry_run)
    export, summaries = read_reviews(src, where, progress)
    if dry_run:
        changes = compare(summaries, load_registry())
        return ImportResult(None, False, report(where, export, changes, None, True),
                            tuple(changes), dry_run=True)
    with project_lock():  # the registry cannot change from here to the write
        registered = load_registry()
        changes = compare(summaries, registered)
        changed = [x for x in changes if x["status"] != "unchanged"]
        if not changed:
            return ImportResult(None, False, report(where, export, changes, None, False),
                                tuple(changes))
        entry = _entry(src, sha256, size, export, changed)
        target = raw_dir() / entry.path
        copied = copy_verified(src, target, sha256)
        try:
            existing = add_user_entry(entry)
        except BaseException:
            if copied:
                target.unlink(missing_ok=True)
            raise
    if existing is not None:  # cannot happen under the lock; said plainly if it does
        return ImportResult(existing, False, f"{where} is already registered as "
                                             f"{existing.key}; nothing changed")
    try:  # prepare reads this instead of the file (a cache: it may fail without harm)
        interim.store(export, sha256)
    except OSError as err:
        log.warning("could not write the interim copy of %s: %s", where, err)
    return ImportResult(entry, True, report(where, export, changes, entry, False),
                        tuple(changes))


def reviews_table(result: ImportResult) -> pd.DataFrame:
    """The reviews of an import as a table (one row each: status and counts)."""
    cols = ["review", "sur_iso3", "cycle", "session", "year", *COUNT_KEYS, "status",
            "from_key", "matrix"]
    return pd.DataFrame([{k: r.get(k) for k in cols} for r in result.reviews], columns=cols)
