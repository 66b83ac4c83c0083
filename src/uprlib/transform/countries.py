"""Country names to ISO 3166-1 alpha-3, through an explicit committed mapping.

``data/countries.csv`` holds one row per UN member or observer state (iso3, iso2, UN short
name, UN regional group); ``data/country_aliases.csv`` lists every other spelling met in the
sources. Lookup is exact after a light normalisation (HTML entities, Unicode NFC, curly
apostrophes, white space, case): no fuzzy matching. An unmapped name is an error that lists
every unmapped name at once.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Iterable
from functools import cache

import pandas as pd

from uprlib.errors import DataError, UnmappedCountryError
from uprlib.workspace.paths import PACKAGE_DATA

COUNTRIES_FILE = PACKAGE_DATA / "countries.csv"
ALIASES_FILE = PACKAGE_DATA / "country_aliases.csv"
REGIONAL_GROUPS = ("Africa", "Asia-Pacific", "EEG", "GRULAC", "WEOG", "Observer")


def normalise(name: str) -> str:
    """Key used for lookup: unescaped, NFC, straight apostrophes, casefolded, no white space.

    White space is dropped rather than collapsed because text extracted from Word and PDF
    files sometimes splits a word ("Plurinational S tate of"); no two state names differ
    only in spacing, so this cannot merge two states.
    """
    s = unicodedata.normalize("NFC", html.unescape(str(name)))
    s = s.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ")
    return "".join(s.split()).casefold()


@cache
def countries() -> pd.DataFrame:
    """The committed table of states: iso3, iso2, name, un_regional_group."""
    df = pd.read_csv(COUNTRIES_FILE, dtype=str, keep_default_na=False)
    bad = sorted(set(df["un_regional_group"]) - set(REGIONAL_GROUPS))
    if bad:
        raise DataError(f"{COUNTRIES_FILE}: unknown regional group(s) {bad}")
    return df


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    clashes = []
    aliases = pd.read_csv(ALIASES_FILE, dtype=str, keep_default_na=False)
    pairs = list(zip(countries()["name"], countries()["iso3"], strict=True))
    pairs += list(zip(countries()["iso3"], countries()["iso3"], strict=True))
    pairs += list(zip(aliases["alias"], aliases["iso3"], strict=True))
    known = set(countries()["iso3"])
    for name, iso3 in pairs:
        if iso3 not in known:
            raise DataError(f"{ALIASES_FILE}: alias {name!r} points to unknown code {iso3!r}")
        key = normalise(name)
        if table.get(key, iso3) != iso3:
            clashes.append(f"{name!r} -> {table[key]} and {iso3}")
        table[key] = iso3
    if clashes:
        raise DataError(f"{ALIASES_FILE}: ambiguous aliases: " + "; ".join(clashes))
    return table


def to_iso3(names: Iterable[str], where: str = "") -> dict[str, str]:
    """Map each distinct name to its ISO3 code; raise listing every unmapped name."""
    table = _lookup()
    out: dict[str, str] = {}
    missing = []
    # a column's distinct values in one vectorised pass, not a Python loop over every row
    distinct = names.unique() if isinstance(names, pd.Series) else set(names)
    for name in distinct:
        code = table.get(normalise(name))
        if code is None:
            missing.append(name)
        else:
            out[name] = code
    if missing:
        raise UnmappedCountryError(missing, where)
    return out


def lookup(name: str) -> str | None:
    """ISO3 code of one name, or None where the mapping does not know it (no error)."""
    return _lookup().get(normalise(name))


def iso3_of(name: str) -> str:
    """ISO3 code of one country name."""
    return to_iso3([name])[name]


@cache
def names() -> dict[str, str]:
    """Map ISO3 code to UN short name."""
    return dict(zip(countries()["iso3"], countries()["name"], strict=True))


def name_of(iso3: str) -> str:
    """UN short name of an ISO3 code."""
    try:
        return names()[iso3.upper()]
    except KeyError:
        raise KeyError(f"unknown ISO3 code {iso3!r}") from None


def regional_group(iso3: str) -> str:
    """UN regional group of an ISO3 code."""
    return dict(zip(countries()["iso3"], countries()["un_regional_group"], strict=True))[iso3]


def iso2_to_iso3() -> dict[str, str]:
    """Map ISO 3166-1 alpha-2 codes to alpha-3."""
    return dict(zip(countries()["iso2"], countries()["iso3"], strict=True))
