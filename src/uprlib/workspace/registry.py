"""The committed registry of raw files: checksum, size, URL, licence and citation of each."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from uprlib.errors import DataError

from .paths import PACKAGE_DATA

REGISTRY_FILE = PACKAGE_DATA / "registry.toml"


@dataclass(frozen=True)
class RawFile:
    """One pinned raw file and its provenance."""

    key: str
    path: str  # <owner>/<repo>/<path>, also its place under data/raw/ and in a mirror
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
        return Path(self.path).name


_FIELDS = {"key", "path", "role", "sha256", "size", "url", "commit", "licence", "producer",
           "citation"}


@cache
def load_registry(path: Path = REGISTRY_FILE) -> tuple[RawFile, ...]:
    """Read the registry; fail with the entry's key if a field is missing."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    files = []
    for i, entry in enumerate(data.get("file", [])):
        missing = _FIELDS - set(entry)
        if missing:
            raise DataError(f"{path}: entry {i} ({entry.get('key', '?')}) lacks {sorted(missing)}")
        meta = {k: v for k, v in entry.items() if k not in _FIELDS}
        files.append(RawFile(**{k: entry[k] for k in _FIELDS}, meta=meta))
    keys = [f.key for f in files]
    dupes = {k for k in keys if keys.count(k) > 1}
    if dupes:
        raise DataError(f"{path}: duplicate keys {sorted(dupes)}")
    return tuple(files)


def by_role(role: str) -> list[RawFile]:
    """All registered files with the given role."""
    return [f for f in load_registry() if f.role == role]


def get(key: str) -> RawFile:
    """The registered file with this key."""
    for f in load_registry():
        if f.key == key:
            return f
    raise KeyError(f"no raw file {key!r} in {REGISTRY_FILE}")
