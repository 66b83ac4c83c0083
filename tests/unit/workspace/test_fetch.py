"""Fetching raw files by checksum from a mirror or URL."""

import hashlib

import pytest

from uprlib.workspace import fetch
from uprlib.workspace.registry import RawFile


def _entry(content: bytes, path="owner/repo/file.csv", url="") -> RawFile:
    return RawFile(key="k", path=path, role="test", sha256=hashlib.sha256(content).hexdigest(),
                   size=len(content), url=url, commit="", licence="", producer="", citation="")


def test_fetch_from_mirror_verifies(tmp_path, monkeypatch):
    mirror, raw = tmp_path / "mirror", tmp_path / "raw"
    entry = _entry(b"good data")
    (mirror / "owner/repo").mkdir(parents=True)
    (mirror / entry.path).write_bytes(b"good data")
    monkeypatch.setenv("UPRLIB_DATA_MIRROR", str(mirror))
    got = fetch.fetch_file(entry, raw)
    assert got == raw / entry.path and got.read_bytes() == b"good data"


def test_bad_checksum_in_mirror_is_never_used(tmp_path, monkeypatch):
    mirror, raw = tmp_path / "mirror", tmp_path / "raw"
    entry = _entry(b"good data")
    (mirror / "owner/repo").mkdir(parents=True)
    (mirror / entry.path).write_bytes(b"tampered")
    monkeypatch.setenv("UPRLIB_DATA_MIRROR", str(mirror))
    with pytest.raises(fetch.FetchError) as err:
        fetch.fetch_file(entry, raw)
    msg = str(err.value)
    assert "file.csv" in msg and entry.sha256 in msg
    assert hashlib.sha256(b"tampered").hexdigest() in msg
    assert not (raw / entry.path).exists()


def test_bad_local_copy_is_moved_aside_and_refetched(tmp_path, monkeypatch):
    mirror, raw = tmp_path / "mirror", tmp_path / "raw"
    entry = _entry(b"good data")
    for root, data in ((mirror, b"good data"), (raw, b"corrupted")):
        (root / "owner/repo").mkdir(parents=True)
        (root / entry.path).write_bytes(data)
    monkeypatch.setenv("UPRLIB_DATA_MIRROR", str(mirror))
    assert fetch.fetch_file(entry, raw).read_bytes() == b"good data"
    assert (raw / "owner/repo/file.csv.bad").read_bytes() == b"corrupted"


def test_checksum_error_message():
    err = fetch.ChecksumError("x.csv", "aa", "bb")
    assert str(err) == "checksum mismatch for x.csv: expected sha256 aa, got bb"
