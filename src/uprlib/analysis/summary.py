"""Key figures of one review, as printed by ``uprlib summary``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from uprlib.output.tables import available, load_crosscheck, load_recommendations, to_paragraphs

from .common import count_figures


def overview_figures(country: str, cycle: int, folder: Path | None = None) -> dict[str, Any]:
    """Counts at paragraph and state level, recommending states, and the source used."""
    state = load_recommendations(country, cycle, "state", folder=folder)
    para = to_paragraphs(state)
    iso3 = str(state["sur_iso3"].iloc[0])
    reviews = available(folder)
    out: dict[str, Any] = {
        "country": iso3,
        "country_name": str(state["sur_name"].iloc[0]),
        "cycle": int(cycle),
        "session": int(state["session"].iloc[0]),
        "year": int(state["year"].iloc[0]),
        "source": str(state["source"].iloc[0]),
        "sources_available": sorted(reviews.loc[(reviews["sur_iso3"] == iso3)
                                                & (reviews["cycle"] == cycle), "source"]),
        "paragraphs": int(len(para)),
        **count_figures(para, "paragraphs"),
        "state_level": int(len(state)),
        **count_figures(state, "state_level"),
        "recommending_states": int(state["recommending_iso3"].nunique()),
        "unknown_recommending_state": int(state["recommending_iso3"].isna().sum()),
    }
    if len(out["sources_available"]) > 1:
        cross = load_crosscheck(folder)
        used = out["source"]
        cross = cross.loc[(cross["review"] == f"{iso3} cycle {cycle}")
                          & ((cross["source_a"] == used) | (cross["source_b"] == used))]
        out["crosscheck"] = {
            f"{a} vs {b}": {k: int(v) for k, v in g["status"].value_counts().items()}
            for (a, b), g in cross.groupby(["source_a", "source_b"], sort=False)}
    return out


def section_figures(section: str, country: str, cycle: int,
                    folder: Path | None = None) -> dict[str, Any]:
    """Key figures of one section (the same numbers its notebook prints)."""
    from importlib import import_module

    from uprlib.output.review import Review
    from uprlib.output.sections import SECTION_MODULES

    module = import_module(f"uprlib.analysis.{SECTION_MODULES[section]}")
    return module.key_figures(Review(country, cycle, folder))
