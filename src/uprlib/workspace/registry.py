"""The registry of raw files: checksum, size, URL, licence and citation of each.

Two files make it up. The built-in registry (``package_data/registry.toml``) is committed and
read-only. The user registry (``data/registry.user.toml`` under the project root, git-ignored)
holds the files a researcher added with ``uprlib import``; it is written only through
:func:`add_user_entry`, atomically and under a lock, so concurrent imports cannot corrupt it.
:func:`load_registry` returns the entries of both.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import tomli_w
from filelock import FileLock

from uprlib.errors import DataError

from .atomic import write_text
from .paths import PACKAGE_DATA, project_root

REGISTRY_FILE = PACKAGE_DATA / "registry.toml"
USER_REGISTRY_NAME = "registry.user.toml"


@dataclass(frozen=True)
class RawFile:
    """One pinned raw file and its provenance."""

    key: str
    path: str  # <owner>/<repo>/<path> (user/<name> if imported): its place under data/raw/
    role: str
    sha256: str
    size: int
    url: str
    commit: str
    licence: str
    producer: str
    citation: str
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """The file's name (the last part of its path)."""
        return Path(self.path).name

    @property
    def imported(self) -> bool:
        """True for a file a researcher added with ``uprlib import``."""
        return bool(self.meta.get("imported"))

    def to_toml(self) -> dict[str, Any]:
        """The entry as a TOML table (fields, then metadata)."""
        return {k: getattr(self, k) for k in FIELDS} | dict(self.meta)


FIELDS = ("key", "path", "role", "sha256", "size", "url", "commit", "licence", "producer",
          "citation")


def user_registry_path() -> Path:
    """The user registry: ``data/registry.user.toml`` under the project root."""
    return project_root() / "data" / USER_REGISTRY_NAME


def _entries(data: dict[str, Any], path: Path) -> tuple[RawFile, ...]:
    files = []
    for i, entry in enumerate(data.get("file", [])):
        missing = set(FIELDS) - set(entry)
        if missing:
            raise DataError(f"{path}: entry {i} ({entry.get('key', '?')}) lacks {sorted(missing)}")
        meta = {k: v for k, v in entry.items() if k not in FIELDS}
        files.append(RawFile(**{k: entry[k] for k in FIELDS}, meta=meta))
    _check_unique(files, str(path))
    return tuple(files)


def _check_unique(files: list[RawFile] | tuple[RawFile, ...], where: str) -> None:
    for attr in ("key", "sha256"):
        values = [getattr(f, attr) for f in files]
        dupes = {v for v in values if values.count(v) > 1}
        if dupes:
            raise DataError(f"{where}: duplicate {attr} {sorted(dupes)}")


@cache
def _parse(path: Path, content: bytes) -> tuple[RawFile, ...]:
    """Entries of one registry file's content (cached by content: a changed file is parsed
    again however quickly it changed)."""
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"{path}: not valid TOML: {err}") from err
    return _entries(data, path)


def read_registry(path: Path, missing_ok: bool = False) -> tuple[RawFile, ...]:
    """Entries of one registry file; fails naming a bad entry. A missing file has no entries
    if ``missing_ok``."""
    try:
        content = Path(path).read_bytes()
    except FileNotFoundError:
        if missing_ok:
            return ()
        raise
    return _parse(Path(path), content)


def builtin_registry() -> tuple[RawFile, ...]:
    """The committed registry shipped with the package."""
    return read_registry(REGISTRY_FILE)


# where ``uprlib import`` puts a file: data/raw/user/<sha256 prefix>_<sanitised name>.<ext>
# (an OHCHR Word file, or a UHRI export as xlsx or JSON)
USER_SUFFIXES = ("docx", "xlsx", "json")
USER_PATH = re.compile(r"^user/[0-9a-f]{12}_[A-Za-z0-9-]{1,60}\.(?:docx|xlsx|json)$")


def user_registry() -> tuple[RawFile, ...]:
    """The files imported into this project with ``uprlib import`` (none if none was).

    The file is uprlib's own, but it sits in the project for anyone to edit: an entry whose
    path is not one ``uprlib import`` makes (which could point outside data/raw/) is refused.
    """
    path = user_registry_path()
    files = read_registry(path, missing_ok=True)
    for f in files:
        if not USER_PATH.match(f.path) or not f.imported:
            raise DataError(f"{path}: entry {f.key!r} has path {f.path!r}, not one made by "
                            "`uprlib import` (user/<sha256 prefix>_<name>.docx|xlsx|json)")
    return files


def load_registry(path: Path | None = None) -> tuple[RawFile, ...]:
    """Every registered raw file: the built-in registry, then the user's imports (or only
    the entries of the registry file ``path``)."""
    if path is not None:
        return read_registry(Path(path))
    builtin = builtin_registry()
    files = builtin + tuple(f for f in user_registry() if shadowed_by(f, builtin) is None)
    _check_unique(files, f"{REGISTRY_FILE.name} and {user_registry_path()}")
    return files


def review_of(entry: RawFile) -> tuple[str, int] | None:
    """(state under review, cycle) of an OHCHR recommendations file, else None."""
    if entry.role != "ohchr_matrix" or "sur_iso3" not in entry.meta:
        return None
    return str(entry.meta["sur_iso3"]), int(entry.meta.get("cycle", 0))


def shadowed_by(entry: RawFile, builtin: tuple[RawFile, ...]) -> RawFile | None:
    """The built-in entry that takes the place of an imported one, if any.

    A later uprlib may ship the file a researcher imported, or another OHCHR file of the same
    review; the built-in one is then used and the import is left aside (still listed in the
    user registry), so that no review is read twice.
    """
    review = review_of(entry)
    for f in builtin:
        if f.sha256 == entry.sha256 or (review is not None and review_of(f) == review):
            return f
    return None


def by_role(role: str) -> list[RawFile]:
    """All registered files with the given role."""
    return [f for f in load_registry() if f.role == role]


def get(key: str) -> RawFile:
    """The registered file with this key."""
    for f in load_registry():
        if f.key == key:
            return f
    raise KeyError(f"no raw file {key!r} in {REGISTRY_FILE} or {user_registry_path()}")


def add_user_entry(entry: RawFile,
                   check: Callable[[tuple[RawFile, ...]], RawFile | None] | None = None
                   ) -> RawFile | None:
    """Append ``entry`` to the user registry unless a registered file has its sha256.

    Returns None when added, else the registered entry with that checksum. ``check`` is
    called, under the lock, with every registered entry; it may raise to refuse the entry.
    The file is rewritten atomically while a lock beside it is held, so concurrent imports
    neither lose entries nor leave a half-written file.
    """
    path = user_registry_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with FileLock(str(path) + ".lock", timeout=60):
        current = user_registry()
        registered = builtin_registry() + current
        for f in registered:
            if f.sha256 == entry.sha256:
                return f
        if check is not None:
            check(registered)
        files = [*current, entry]
        _check_unique(files, str(path))
        text = tomli_w.dumps({"file": [f.to_toml() for f in files]})
        write_text(path, _USER_HEADER + text)
    return None


_USER_HEADER = (
    "# Files imported with `uprlib import`: written by uprlib, do not edit by hand.\n"
    "# Each file sits in data/raw/<path> and is verified against its sha256 like every raw "
    "file.\n\n"
)
