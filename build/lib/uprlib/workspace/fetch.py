"""Fetch raw files by checksum into data/raw/: local copy, then mirrors, then the pinned URL.

Every file is verified against the sha256 in the registry before it is used. A file with the
wrong checksum is never left in data/raw/ as if it were good.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import pooch
from tqdm import tqdm

from uprlib.errors import ChecksumError, FetchError, MissingFileError

from .atomic import atomic_path
from .paths import project_root, raw_dir
from .registry import RawFile, load_registry

log = logging.getLogger(__name__)


def mirror_dirs() -> list[Path]:
    """Mirror folders from $UPRLIB_DATA_MIRROR (colon-separated), else ../shared/upr-data."""
    env = os.environ.get("UPRLIB_DATA_MIRROR")
    if env is not None:
        return [Path(p).expanduser() for p in env.split(":") if p]
    default = project_root().parent / "shared" / "upr-data"
    return [default] if default.is_dir() else []


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file (pooch's hasher)."""
    return pooch.file_hash(str(path), alg="sha256")


def verify(path: Path, entry: RawFile) -> None:
    """Raise ChecksumError unless ``path`` matches the registry entry."""
    actual = sha256_of(path)
    if actual != entry.sha256:
        raise ChecksumError(path, entry.sha256, actual)


def _from_mirror(entry: RawFile, mirror: Path, target: Path) -> None:
    source = mirror / entry.path
    if not source.is_file():
        raise MissingFileError(f"{source} does not exist")
    verify(source, entry)  # never copy a bad file
    with atomic_path(target) as tmp:
        shutil.copyfile(source, tmp)
        verify(tmp, entry)  # and check the copy


def _from_url(entry: RawFile, target: Path, progress: bool) -> None:
    if not entry.url:
        raise FetchError(f"{entry.path} has no pinned URL; it can only come from a mirror")
    # pooch downloads to a temporary file, checks the hash and only then moves it in place;
    # on a mismatch it deletes the download and raises ValueError.
    pooch.retrieve(
        url=entry.url,
        known_hash=f"sha256:{entry.sha256}",
        fname=target.name,
        path=target.parent,
        progressbar=progress,
    )


def fetch_file(entry: RawFile, dest: Path | None = None, progress: bool = False) -> Path:
    """Return the local path of a verified copy of ``entry``, fetching it if needed."""
    dest = dest or raw_dir()
    target = dest / entry.path
    attempts: list[str] = []
    if target.exists():
        try:
            verify(target, entry)
            return target
        except ChecksumError as err:
            # a bad local copy is moved aside, not trusted and not silently deleted
            bad = target.with_name(target.name + ".bad")
            os.replace(target, bad)
            log.warning("%s; moved to %s and fetching again", err, bad)
            attempts.append(f"local copy: {err} (moved to {bad.name})")
    if entry.imported:  # only ever in data/raw/: no mirror or URL has it
        original = entry.meta.get("original_name", "")
        raise FetchError(f"{target} (imported with `uprlib import` as {entry.key} from "
                         f"{original!r}) is {'not verified' if attempts else 'missing'}; "
                         "import the file again")
    target.parent.mkdir(parents=True, exist_ok=True)
    for mirror in mirror_dirs():
        try:
            _from_mirror(entry, mirror, target)
            return target
        except (OSError, ChecksumError) as err:
            attempts.append(f"mirror {mirror}: {err}")
    try:
        _from_url(entry, target, progress)
        return target
    except Exception as err:  # network errors come in many types; report them all
        attempts.append(f"url {entry.url or '(none)'}: {err}")
    detail = "\n  ".join(attempts)
    raise FetchError(f"could not fetch a verified copy of {entry.path}:\n  {detail}")


def fetch_all(entries: Iterable[RawFile] | None = None, progress: bool = True) -> list[Path]:
    """Fetch every registered raw file (or the given ones); return their local paths."""
    entries = list(entries if entries is not None else load_registry())
    paths = []
    for entry in tqdm(entries, desc="fetch", unit="file", disable=not progress):
        paths.append(fetch_file(entry))
    return paths


def local_path(entry: RawFile) -> Path:
    """Path of ``entry`` in data/raw/, fetched and verified."""
    return fetch_file(entry)
