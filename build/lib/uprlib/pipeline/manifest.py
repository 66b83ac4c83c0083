"""What a job wrote, with checksums: so a deleted, truncated or edited output is noticed.

Snakemake reruns a job whose declared output is missing or older than its inputs, but it does
not look inside an output, and a notebook also writes figures and tables whose names depend on
the data. So every job of the workflow ends by writing a *manifest* beside its outputs: each
file it wrote with its size, modification time and sha256. Before a run, the Snakefile checks
the manifest of each job (:func:`problem`); when it or a file it records is missing or differs,
the job that wrote it is scheduled again (through an extra input, see ``workflow/Snakefile``),
and so is everything downstream of it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path

from uprlib.workspace.atomic import write_text

VERSION = 1


def sha256(path: Path) -> str:
    """SHA-256 of a file's content (hex)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write(manifest: Path, files: Iterable[Path]) -> None:
    """Record ``files`` (paths relative to the manifest's folder) atomically."""
    manifest = Path(manifest)
    entries = {}
    for path in sorted({Path(p) for p in files}):
        st = path.stat()
        entries[os.path.relpath(path, manifest.parent)] = {
            "size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": sha256(path)}
    write_text(manifest, json.dumps({"version": VERSION, "files": entries}, indent=1) + "\n")


def files(manifest: Path) -> list[Path]:
    """The files a manifest records (absolute paths)."""
    data = json.loads(Path(manifest).read_text(encoding="utf-8"))
    return [(Path(manifest).parent / rel).resolve() for rel in data["files"]]


def problem(manifest: Path) -> str | None:
    """Why the outputs recorded in ``manifest`` can no longer be trusted, or None.

    A missing manifest is one (the job never completed, or its outputs were deleted). A file
    whose size and modification time are as recorded is taken as unchanged; otherwise its
    sha256 decides.
    """
    manifest = Path(manifest)
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        entries = data["files"]
    except FileNotFoundError:
        return f"{manifest.name} is missing"
    except (ValueError, KeyError, TypeError):
        return f"{manifest.name} is unreadable"
    for rel, rec in entries.items():
        path = manifest.parent / rel
        try:
            st = path.stat()
        except FileNotFoundError:
            return f"{os.path.normpath(rel)} is missing"
        if st.st_size == rec["size"] and st.st_mtime_ns == rec["mtime_ns"]:
            continue
        if st.st_size != rec["size"] or sha256(path) != rec["sha256"]:
            return f"{os.path.normpath(rel)} changed since it was written"
    return None
