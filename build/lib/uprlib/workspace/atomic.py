"""Atomic writes: write to a temporary file beside the target, then rename over it.

A step that fails half-way therefore never leaves a truncated output, and the previous good
output stays in place until the new one is complete. Temporary files are named
``.<target>.<pid>.<random><suffix>`` after the process writing them; a process killed outright
(SIGKILL) cannot remove its own, so :func:`sweep` removes those whose writer is gone before a
step writes into a folder again. Files get the usual mode (0644 under the usual umask), not
the 0600 of :func:`tempfile.mkstemp`.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

_UMASK = os.umask(0o022)
os.umask(_UMASK)
# .<target name>.<pid>.<8 random characters of mkstemp><suffix>
_TEMP = re.compile(r"^\..+\.(\d+)\.[A-Za-z0-9_]{8}(\.[A-Za-z0-9]+)?$")


def _temp_beside(target: Path, suffix: str) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=suffix or ".tmp",
                               dir=target.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are for sharing
    return Path(tmp)


@contextlib.contextmanager
def atomic_path(target: Path | str, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success."""
    target = Path(target)
    tmp_path = _temp_beside(target, suffix)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(target: Path | str, text: str) -> None:
    """Write ``text`` to ``target`` atomically (UTF-8)."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_many(writers: dict[Path, Callable[[Path], None]]) -> None:
    """Write several files so that either all are replaced or none is.

    Each writer receives a temporary path to write to. Only when every writer has succeeded
    are the temporary files renamed onto their targets.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for target, writer in writers.items():
            target = Path(target)
            tmp = _temp_beside(target, ".tmp")
            staged.append((tmp, target))
            writer(tmp)
        for tmp, target in staged:
            os.replace(tmp, target)
    finally:
        for tmp, _ in staged:
            if tmp.exists():
                tmp.unlink()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(folder: Path | str) -> list[Path]:
    """Remove the temporary files in ``folder`` left by writers that no longer run (killed);
    return what was removed. Files of a live writer, and anything else, stay."""
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        m = _TEMP.match(path.name)
        if m and path.is_file() and not _alive(int(m.group(1))):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed
