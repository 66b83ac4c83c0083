"""What every ``uprlib import`` shares: its refusal, its result, and how an imported file is
named and copied into ``data/raw/user/``.

An imported file is a raw file like any other: copied byte for byte (and verified against its
sha256) to ``data/raw/user/<sha256 prefix>_<safe name>.<ext>``, recorded in the user registry
with its checksum, size, original name and import time, and never changed afterwards. The
file's own name is untrusted: it is kept only as a registry field, never used unsanitised in a
path or the paper.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uprlib.errors import UprlibError
from uprlib.workspace.atomic import atomic_path
from uprlib.workspace.fetch import sha256_of
from uprlib.workspace.registry import RawFile

USER_DIR = "user"  # imported files live in data/raw/user/


class ImportRefusedError(UprlibError, ValueError):
    """A file cannot be imported; nothing was changed."""


@dataclass(frozen=True)
class ImportResult:
    """What an import did: the registry entry (None when nothing was recorded), whether it was
    added, the message (one line, or the report of a UHRI export), and for a UHRI export each
    review it added, replaced or left unchanged."""

    entry: RawFile | None
    added: bool
    message: str
    reviews: tuple[dict[str, Any], ...] = field(default=())
    dry_run: bool = False


def safe_name(name: str, limit: int = 60, suffix: str = "docx") -> str:
    """A file name safe in any path: ASCII letters, digits and '-', ending in ``.<suffix>``."""
    stem = unicodedata.normalize("NFKD", Path(name).stem).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9]+", "-", stem).strip("-")[:limit].strip("-")
    return f"{stem or 'file'}.{suffix}"


def shown(path: Path) -> str:
    """The user's file name as it may appear in a one-line message (control characters and
    quotes escaped)."""
    return repr(str(path))


def copy_verified(src: Path, target: Path, sha256: str) -> bool:
    """Copy ``src`` to ``target`` atomically and verify it; False if a good copy was there."""
    if target.is_file() and sha256_of(target) == sha256:
        return False
    with atomic_path(target) as tmp:
        shutil.copyfile(src, tmp)
        if sha256_of(tmp) != sha256:
            raise ImportRefusedError(f"{shown(src)} changed while it was being imported; "
                                     "nothing imported")
    return True
