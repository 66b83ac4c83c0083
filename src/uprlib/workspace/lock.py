"""One run at a time per project: the lock every command that changes the project holds.

``uprlib paper|run|render|prepare|batch|site`` hold it for their whole Snakemake run
(:mod:`uprlib.pipeline.workflow`) and ``uprlib import`` while it copies a file and writes the
user registry, so an import never changes the raw files or the registry under a running build.
The lock is ``fcntl.flock`` on ``.snakemake/uprlib.lock`` under the project root: the kernel
releases it when its holder exits, however it exits.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from .paths import project_root


def lock_path() -> Path:
    """The project's lock file (``.snakemake/uprlib.lock``)."""
    return project_root() / ".snakemake" / "uprlib.lock"


@contextlib.contextmanager
def project_lock(echo: bool = True) -> Iterator[None]:
    """Hold the project's run lock; wait (saying so once on stderr if ``echo``) while another
    run holds it. The holder's pid and command are written in the file while it is held."""
    path = lock_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "another uprlib run"
            if echo:
                print(f"uprlib: waiting for {holder} to finish (one run at a time per project)",
                      file=sys.stderr, flush=True)
            fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}: {' '.join(sys.argv[:6])}\n")
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)
