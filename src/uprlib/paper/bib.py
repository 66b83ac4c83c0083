"""The paper's bibliography: the committed UN documents plus entries generated at build time.

``references.bib`` (next to this module) holds the UN documents and the assessment being
reproduced. Each raw data file in the registry and each law in the curated laws table gets an
entry written from its own record, so the bibliography and the data cannot drift apart.
"""

from __future__ import annotations

import re
from importlib.resources import files

import pandas as pd

from uprlib.workspace.registry import RawFile, load_registry

STATIC_BIB = files("uprlib.paper").joinpath("references.bib")


def slug(text: str) -> str:
    """Lower-case ASCII key fragment: 'National Security Law' -> 'national-security-law'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _escape(text: str) -> str:
    return text.replace("\\", "").replace("{", "(").replace("}", ")").replace("&", r"\&")


def data_key(f: RawFile) -> str:
    """Bibliography key of a raw file: its own entry in references.bib if the registry names
    one (``bib = "..."``), else a generated ``data-<key>`` entry."""
    return str(f.meta.get("bib") or f"data-{slug(f.key)}")


def law_key(country_iso3: str, law: str) -> str:
    return f"law-{country_iso3.lower()}-{slug(law)}"[:80].rstrip("-")


def _data_entry(f: RawFile) -> str:
    fields = {
        "author": "{" + _escape(f.producer) + "}",
        "title": _escape(f.citation),
        "year": _year(f),
        "url": f.url,
        "note": f"Raw file {f.path}; sha256 {f.sha256}; licence: {_escape(f.licence)}",
    }
    return _entry("misc", data_key(f), fields)


def _year(f: RawFile) -> str:
    years = re.findall(r"\b(19|20)(\d\d)\b", f.citation)
    return f"{years[-1][0]}{years[-1][1]}" if years else ""


def _entry(kind: str, key: str, fields: dict[str, str]) -> str:
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields.items() if v)
    return f"@{kind}{{{key},\n{body},\n}}"


def law_entries(laws: pd.DataFrame) -> dict[str, str]:
    """One entry per distinct law in a curated laws table (key -> BibTeX)."""
    out: dict[str, str] = {}
    if laws.empty:
        return out
    for (iso3, law), g in laws.groupby(["country_iso3", "law"], sort=True):
        first = g.sort_values("date").iloc[0]
        key = law_key(str(iso3), str(law))
        out[key] = _entry("misc", key, {
            "title": _escape(str(law)),
            "year": str(pd.Timestamp(first["date"]).year),
            "note": _escape(f"{first['instrument_type']}; {first['event']} "
                            f"{pd.Timestamp(first['date']).date()}; "
                            f"status: {g['status_at_report'].iloc[-1]}"),
        })
    return out


def bibliography(laws: pd.DataFrame | None = None) -> str:
    """The whole BibTeX text: static UN documents, data files, laws."""
    parts = [STATIC_BIB.read_text(encoding="utf-8").rstrip()]
    parts += [_data_entry(f) for f in load_registry() if "bib" not in f.meta]
    if laws is not None:
        parts += list(law_entries(laws).values())
    return "\n\n".join(parts) + "\n"
