"""Atomic writes: all files of a step or none."""

import pytest

from uprlib.workspace.atomic import write_many, write_text


def test_write_many_all_or_nothing(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    write_text(a, "old a")
    write_text(b, "old b")

    def boom(p):
        raise RuntimeError("fails half-way")

    with pytest.raises(RuntimeError):
        write_many({a: lambda p: p.write_text("new a"), b: boom})
    assert a.read_text() == "old a" and b.read_text() == "old b"
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.txt", "b.txt"]  # no temp files
