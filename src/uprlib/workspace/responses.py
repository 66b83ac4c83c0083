"""The responses of a state under review: the one vocabulary of the ``response`` column.

Every reader maps its source's wording to these values, the recommendations schema allows only
these, and every count, rate, figure and sentence that groups responses starts from the
constants here (never from a string typed elsewhere):

* ``accepted``: the state supported the recommendation (OHCHR "Supported", UPR Info
  "Accepted");
* ``noted``: the state took note of it (OHCHR "Noted");
* ``partly supported``: the state supported part of it and noted the rest (UHRI
  "Supported/Noted"); kept apart, never folded into accepted or noted;
* ``pending``: no position is published yet (the review's addendum is still awaited).

:data:`RESPONDED` are the responses a state has given: an acceptance rate is ``accepted`` over
these (a pending recommendation is in no denominator); :data:`GIVEN_IN_PART` says which of them
accept only part. Code that groups responses (accepted against the rest, say) should name the
constants it puts in each group, so that a new value cannot slip into a group unnoticed.
"""

from __future__ import annotations

ACCEPTED = "accepted"
NOTED = "noted"
PARTLY_SUPPORTED = "partly supported"
PENDING = "pending"

# every value of the response column, in the order tables and figures show them
RESPONSES: tuple[str, ...] = (ACCEPTED, PARTLY_SUPPORTED, NOTED, PENDING)
# responses given (the denominator of an acceptance rate)
RESPONDED: tuple[str, ...] = (ACCEPTED, PARTLY_SUPPORTED, NOTED)
# responses that accept a recommendation only in part
GIVEN_IN_PART: tuple[str, ...] = (PARTLY_SUPPORTED,)
# the two responses every source has; the others occur only where a source records them
BASIC: tuple[str, ...] = (ACCEPTED, NOTED)
EXTRA: tuple[str, ...] = (PARTLY_SUPPORTED, PENDING)

DESCRIPTIONS: dict[str, str] = {
    ACCEPTED: "supported by the state under review",
    NOTED: "noted by the state under review",
    PARTLY_SUPPORTED: "supported in part and noted in part, OHCHR's Supported/Noted",
    PENDING: "no response published yet",
}

# key of a count of one response in key figures and tables: paragraphs_<KEY>
KEYS: dict[str, str] = {ACCEPTED: "accepted", NOTED: "noted",
                        PARTLY_SUPPORTED: "partly_supported", PENDING: "pending"}

# OHCHR's position wording (UHRI export, matrices), folded by :func:`position_key`
POSITIONS: dict[str, str] = {
    "supported": ACCEPTED,
    "noted": NOTED,
    "supported/noted": PARTLY_SUPPORTED,
    "supported-noted": PARTLY_SUPPORTED,
    "supported,noted": PARTLY_SUPPORTED,
    "supportedinpart": PARTLY_SUPPORTED,
    "partiallysupported": PARTLY_SUPPORTED,
    "partlysupported": PARTLY_SUPPORTED,
    "": PENDING,
}


def position_key(text: str) -> str:
    """A position as :data:`POSITIONS` keys it: case folded, white space removed."""
    return "".join(str(text).split()).casefold()


def describe() -> str:
    """The vocabulary in words (for schema descriptions and the data dictionary)."""
    return "; ".join(f"{r} ({DESCRIPTIONS[r]})" for r in RESPONSES)
