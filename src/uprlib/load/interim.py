"""Interim copies of what a reader got from a large raw file, so ``prepare`` need not read the
file again every time (``data/interim/``, git-ignored, as in cookiecutter-data-science).

Reading a whole-index UHRI export (60 MB of xlsx, 250,000 rows) takes 10 to 20 seconds and
half a gigabyte of memory; its UPR rows as a parquet file take a fraction of a second. The
copy is named by the raw file's sha256 and a digest of the reader's code, so it is used only
for exactly that file read by exactly that reader: a changed reader, or any doubt about the
copy (missing, unreadable, other row count than recorded), reads the raw file again and
rewrites the copy. The raw file stays the record; the copy is a cache that can always be
deleted (``make clean`` does).
"""

from __future__ import annotations

import hashlib
import json
import logging
from functools import cache
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from uprlib.extract import uhri
from uprlib.workspace import responses, text
from uprlib.workspace.atomic import atomic_path
from uprlib.workspace.paths import project_root

log = logging.getLogger(__name__)
META_KEY = b"uprlib.uhri"


def interim_dir() -> Path:
    """``data/interim/`` under the project root."""
    return project_root() / "data" / "interim"


@cache
def reader_digest() -> str:
    """Digest of the code that turns an export into rows (the reader and the vocabulary and
    text conventions it uses)."""
    h = hashlib.sha256()
    for module in (uhri, responses, text):
        h.update(Path(module.__file__).read_bytes())
    return h.hexdigest()[:16]


def _path(sha256: str) -> Path:
    return interim_dir() / "uhri" / f"{sha256[:24]}-{reader_digest()}.parquet"


def _read(path: Path) -> uhri.UhriExport | None:
    try:
        table = pq.read_table(path)
        meta = json.loads(table.schema.metadata[META_KEY])
        df = table.to_pandas()
    except (OSError, pa.ArrowException, KeyError, TypeError, ValueError) as err:
        log.info("interim copy %s not usable (%s); reading the raw file", path, err)
        return None
    if len(df) != meta["counts"].get("upr_rows") or list(df.columns) != uhri.ROW_COLUMNS:
        return None
    df["states"] = df["states"].map(tuple)
    return uhri.UhriExport(df, meta["format"], meta["counts"])


def store(export: uhri.UhriExport, sha256: str) -> Path:
    """Write the interim copy of an export read from the raw file with this sha256 (atomic),
    removing copies of the same file made by another reader version."""
    target = _path(sha256)
    df = export.rows.assign(states=export.rows["states"].map(list))
    table = pa.Table.from_pandas(df, preserve_index=False)
    meta = json.dumps({"format": export.format, "counts": export.counts, "sha256": sha256})
    table = table.replace_schema_metadata({**(table.schema.metadata or {}),
                                           META_KEY: meta.encode()})
    with atomic_path(target, suffix=".parquet") as tmp:
        pq.write_table(table, tmp)
    for old in target.parent.glob(f"{sha256[:24]}-*.parquet"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def read_uhri(path: Path, sha256: str, where: str | None = None,
              progress: bool = False) -> uhri.UhriExport:
    """The UPR rows of a UHRI export: from its interim copy when there is a good one, else
    read from the file (and the copy written)."""
    copy = _path(sha256)
    if copy.is_file():
        export = _read(copy)
        if export is not None:
            return export
    export = uhri.read_export(path, where=where, progress=progress)
    try:
        store(export, sha256)
    except OSError as err:  # a read-only project still prepares, only more slowly
        log.warning("could not write the interim copy of %s: %s", path, err)
    return export
