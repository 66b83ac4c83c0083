"""Which raw files one review's paper was built from, and what each was used for.

The canonical tables keep the name of the raw file every row came from (``source_file``); the
registry gives that file's provenance. A review's paper reads: its own rows; for a review taken
from an OHCHR file or the DIHR export, the rows of the same review in each UPR Info export
(action categories, and for DIHR rows the issues, are borrowed from them, and the sources are
cross-checked); the state's other reviews (the comparison across cycles and the follow-up);
the session table that dates every source's rows; the ratification files (their rows for the
state); and the report when one was audited. The peer comparison reads the
rows of every state reviewed in the cycle: those further files are only counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from uprlib.errors import DataError
from uprlib.transform.sources import UPR_INFO_SOURCES
from uprlib.workspace.registry import RawFile, load_registry

from .crosscountry import cycle_rows
from .review import Review
from .tables import SOURCE_PREFERENCE, all_recommendations, load_ratification


@dataclass
class FilesUsed:
    """The raw files of a review with what each was used for, in registry order."""

    files: list[tuple[RawFile, str]]
    peer_files: int  # further files read only for the peer comparison


def _by_name() -> dict[str, RawFile]:
    out: dict[str, RawFile] = {}
    for f in load_registry():
        name = Path(f.path).name
        if name in out:
            raise DataError(f"registry: two raw files named {name} ({out[name].key}, {f.key}): "
                            "source_file cannot tell them apart")
        out[name] = f
    return out


class _Uses:
    """Raw file name -> what the paper used it for, each name checked against the registry."""

    def __init__(self) -> None:
        self.by_name = _by_name()
        self.what: dict[str, list[str]] = {}

    def __call__(self, names, what: str) -> None:
        for name in sorted(set(names)):
            if name not in self.by_name:
                raise DataError(f"source_file {name!r} of the processed tables is not in the "
                                "registry: run `uprlib prepare` again")
            self.what.setdefault(name, [])
            if what not in self.what[name]:
                self.what[name].append(what)


def _state_rows(review: Review, use: _Uses) -> None:
    """The state's other rows the paper reads: the UPR Info rows of a review taken from an
    OHCHR file or DIHR, and each other review from its preferred source."""
    recs = all_recommendations(review.processed_dir)
    state = recs.loc[recs["sur_iso3"] == review.iso3]
    if review.source not in UPR_INFO_SOURCES:
        same = state.loc[(state["cycle"] == review.cycle)
                         & state["source"].isin(UPR_INFO_SOURCES)]
        use(same["source_file"], "action categories and cross-check of this review")
    for cycle, rows in state.loc[state["cycle"] != review.cycle].groupby("cycle"):
        best = next(s for s in SOURCE_PREFERENCE if s in set(rows["source"]))
        use(rows.loc[rows["source"] == best, "source_file"],
            f"the review of cycle {int(cycle)} (across cycles)")


def files_used(review: Review, report: str | None = None, peers: bool = True) -> FilesUsed:
    """The raw files ``review``'s data came from (``report``: registry key of the audited
    report, if any; ``peers``: whether the paper compares the state with its peers)."""
    use = _Uses()
    use(review.state["source_file"], "recommendations and responses of this review")
    _state_rows(review, use)
    # every source's rows are dated (and DIHR rows given their session) through this table
    use([Path(f.path).name for f in load_registry() if f.role == "session_years"],
        "year of each Working Group session")
    use(load_ratification(review.iso3, folder=review.processed_dir)["source_file"],
        "ratification status")
    if report is not None:
        use([Path(f.path).name for f in load_registry() if f.key == report],
            "the report audited")
    peer_files = 0
    if peers:
        peer_files = len(set(cycle_rows(review.cycle, review.processed_dir)["source_file"])
                         - set(use.what))
    order = {Path(f.path).name: i for i, f in enumerate(load_registry())}
    files = [(use.by_name[n], "; ".join(use.what[n]))
             for n in sorted(use.what, key=order.__getitem__)]
    return FilesUsed(files, peer_files)
