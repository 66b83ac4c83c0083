"""UPR cycles and the Working Group sessions that belong to each."""

from __future__ import annotations

from uprlib.errors import DataError

# Working Group sessions of each cycle (OHCHR): cycle 1 ran 2008-2011, cycle 2 2012-2016,
# cycle 3 2017-2022, cycle 4 from November 2022.
CYCLE_SESSIONS: dict[int, range] = {
    1: range(1, 13),
    2: range(13, 27),
    3: range(27, 41),
    4: range(41, 55),
}


def cycle_of_session(session: int) -> int:
    """The UPR cycle a Working Group session belongs to."""
    for cycle, sessions in CYCLE_SESSIONS.items():
        if session in sessions:
            return cycle
    raise DataError(f"session {session} is outside the known cycles {sorted(CYCLE_SESSIONS)}")
