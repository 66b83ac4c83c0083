"""The process pool of a batch: every item runs, failures are reported, none stops it."""

from __future__ import annotations

from uprlib.pipeline import batch


def _square_or_fail(x: int) -> int:
    if x == 3:
        raise ValueError("three is not allowed\n(second line)")
    return x * x


def test_run_many_continues_past_failures():
    results, failures = batch.run_many([1, 2, 3, 4], _square_or_fail, workers=2, progress=False)
    assert results == {1: 1, 2: 4, 4: 16}
    assert failures == {3: "ValueError: three is not allowed (second line)"}
    assert "3: ValueError" in batch.failure_report(failures)
    assert batch.run_many([], _square_or_fail) == ({}, {})
