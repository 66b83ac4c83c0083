"""The paper's bibliography: the committed UN documents plus entries generated at build time.

``references.bib`` (next to this module) holds the UN documents and the assessment being
reproduced; it is copied beside the paper as it is. Each raw data file in the registry and
each law in the curated laws table gets an entry written from its own record, so the
bibliography and the data cannot drift apart. Those records are data, not markup: the
generated entries are a CSL YAML file (``references-generated.yaml``), whose fields pandoc
reads as Markdown, so every field goes through the paper's one escaping rule
(:func:`uprlib.output.markup.escape`) and shows as typed, titles protected from the citation
style's case changes. (A BibTeX field would be read as LaTeX instead, with its own specials.)
"""

from __future__ import annotations

import re
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

import pandas as pd
import yaml

from uprlib.errors import DataError
from uprlib.output.markup import Markdown, escape, md
from uprlib.workspace.registry import RawFile, load_registry

STATIC_BIB = files("uprlib.paper").joinpath("references.bib")
STATIC_FILE = "references.bib"
GENERATED_FILE = "references-generated.yaml"
BIB_FILES = (STATIC_FILE, GENERATED_FILE)
# a citation key that reads the same in pandoc's and Quarto's citation syntax
SAFE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.-]*")


def slug(text: str) -> str:
    """Lower-case ASCII key fragment: 'National Security Law' -> 'national-security-law'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def data_key(f: RawFile) -> str:
    """Bibliography key of a raw file: its own entry in references.bib if the registry names
    one (``bib = "..."``), else a generated ``data-<key>`` entry."""
    key = str(f.meta.get("bib") or f"data-{slug(f.key)}")
    if not SAFE_KEY.fullmatch(key):
        raise DataError(f"registry entry {f.key!r}: bib key {key!r} is not a plain citation key "
                        "(letters, digits and _:.- only)")
    return key


def law_key(country_iso3: str, law: str) -> str:
    """Bibliography key of a curated law: ``law-<iso3>-<slug of its name>``."""
    return f"law-{country_iso3.lower()}-{slug(law)}"[:80].rstrip("-")


def _title(text: str) -> Markdown:
    """A title shown as typed: escaped, and kept from the style's title/sentence casing."""
    return md("[{}]{{.nocase}}", text)


def _url(f: RawFile) -> str | None:
    """The file's URL if it has one (an imported file has none); only http(s) is accepted."""
    url = (f.url or "").strip()
    if url and urlsplit(url).scheme.lower() not in ("http", "https"):
        raise DataError(f"registry entry {f.key!r}: url {f.url!r} is not an http(s) URL")
    return url or None


def _data_entry(f: RawFile) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": data_key(f), "type": "",
        "author": [{"literal": escape(f.producer)}],
        "title": _title(f.citation),
        "note": escape(f"Raw file {f.path}; sha256 {f.sha256}; licence: {f.licence}"),
    }
    if _url(f):
        item["URL"] = escape(_url(f))
    years = re.findall(r"\b(19|20)(\d\d)\b", f.citation)
    if years:
        item["issued"] = {"date-parts": [[int("".join(years[-1]))]]}
    return item


def law_entries(laws: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """One CSL entry per distinct law in a curated laws table (key -> entry)."""
    out: dict[str, dict[str, Any]] = {}
    if laws.empty:
        return out
    for (iso3, law), g in laws.groupby(["country_iso3", "law"], sort=True):
        first = g.sort_values("date").iloc[0]
        key = law_key(str(iso3), str(law))
        out[key] = {
            "id": key, "type": "",
            "title": _title(str(law)),
            "issued": {"date-parts": [[int(pd.Timestamp(first["date"]).year)]]},
            "note": escape(f"{first['instrument_type']}; {first['event']} "
                           f"{pd.Timestamp(first['date']).date()}; "
                           f"status: {g['status_at_report'].iloc[-1]}"),
        }
    return out


def _plain_types(value: Any) -> Any:
    """Markdown strings as ``str`` (for the YAML writer), in nested lists and dicts."""
    if isinstance(value, dict):
        return {k: _plain_types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_types(v) for v in value]
    return str(value) if isinstance(value, str) else value


def generated_references(laws: pd.DataFrame | None = None) -> str:
    """The CSL YAML of the generated entries: data files of the registry, then laws."""
    items = [_data_entry(f) for f in load_registry() if "bib" not in f.meta]
    if laws is not None:
        items += list(law_entries(laws).values())
    return yaml.safe_dump({"references": _plain_types(items)}, sort_keys=False,
                          allow_unicode=True, width=1000)


def static_bibliography() -> str:
    """The committed BibTeX of the UN documents and the assessment."""
    return STATIC_BIB.read_text(encoding="utf-8")


def csl_keys(text: str) -> set[str]:
    """Entry ids of a CSL YAML bibliography."""
    data = yaml.safe_load(text) or {}
    return {str(item["id"]) for item in data.get("references", [])}
