"""Skip work already done: a content hash of a step's inputs, stored next to its outputs.

Only for work outside the pipeline: the site's follow-up table (:mod:`uprlib.site`). The
pipeline's steps (fetch, prepare, notebooks, papers, summaries) are the Snakemake workflow's
jobs (``workflow/Snakefile``) and use no stamp.

A step records the SHA-256 of everything it
read (files and parameters) in a small JSON stamp once it has succeeded. Next time, if the
digest is the same and every output still exists, the step is skipped. Content hashes, not
timestamps, so a fresh clone or a touched file does not force a rerun, and any change in data,
code or notebooks does.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .atomic import write_text
from .paths import project_root


def code_files() -> list[Path]:
    """The package's own source and data files: a change in any of them reruns every step."""
    pkg = Path(__file__).resolve().parents[1]
    return sorted(p for p in pkg.rglob("*") if p.is_file() and p.suffix in
                  {".py", ".csv", ".toml", ".bib", ".md", ".css"} and "__pycache__" not in p.parts)


def digest(files: Iterable[Path], params: dict[str, Any] | None = None) -> str:
    """SHA-256 over the files' relative names and contents, and the parameters."""
    h = hashlib.sha256()
    root = project_root()
    for path in sorted({Path(p) for p in files}):
        try:
            name = str(path.resolve().relative_to(root))
        except ValueError:
            name = str(path.resolve())
        h.update(name.encode())
        h.update(b"\0")
        if path.exists():
            with open(path, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
        else:
            h.update(b"<missing>")
        h.update(b"\0")
    h.update(json.dumps(params or {}, sort_keys=True, default=str).encode())
    return h.hexdigest()


def is_fresh(stamp: Path, value: str, outputs: Iterable[Path]) -> bool:
    """True if ``stamp`` records ``value`` and every output exists."""
    if not stamp.exists() or not all(Path(p).exists() for p in outputs):
        return False
    try:
        return json.loads(stamp.read_text())["digest"] == value
    except (ValueError, KeyError):
        return False


def record(stamp: Path, value: str, **info: Any) -> None:
    """Write the stamp (atomically) after the step succeeded."""
    write_text(stamp, json.dumps({"digest": value, **info}, indent=1, default=str) + "\n")
