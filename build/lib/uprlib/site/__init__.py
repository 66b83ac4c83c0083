"""The UPR atlas: every review in the data as one browsable website (``outputs/site/``).

:func:`build_site` writes a Quarto website project (index of every review, one page per state
linking its papers, cross-country figures, follow-up across cycles, data and method) and
renders it with Quarto or, without Quarto, pandoc (:mod:`uprlib.site.render`). It does not
build papers: it is given the outcome of the builds that were asked for (from
:mod:`uprlib.pipeline.site`) and links every finished paper it finds; a review whose paper
failed gets its page with the error. The rendered site must pass :func:`check_links`.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from uprlib.analysis import followup, themes
from uprlib.analysis.figures import save_figure
from uprlib.output.tables import table_stamp
from uprlib.paper.render import choose
from uprlib.workspace.atomic import atomic_path
from uprlib.workspace.paths import RECOMMENDATIONS_FILE, outputs_dir

from . import figures as sitefigs
from .data import PaperStatus, cycles_in_data, paper_statuses, review_index
from .links import check_links
from .pages import (
    Page,
    about_page,
    crosscountry_page,
    figure_md,
    followup_page,
    index_page,
    index_table_html,
    listing_items,
    num,
    pipe_table,
    state_page,
)
from .render import datatable_script, render, write_project
from .text import md

__all__ = ["PaperStatus", "SiteResult", "build_site", "check_links", "default_site_dir"]


def default_site_dir() -> Path:
    """``outputs/site`` (under ``$UPRLIB_OUTPUTS_DIR`` if set)."""
    return outputs_dir() / "site"


@dataclass
class SiteResult:
    """What :func:`build_site` wrote: the project, the rendered site, and paper statuses."""

    site_dir: Path
    output: Path
    renderer: str
    reviews: int
    pages: int
    statuses: dict[tuple[str, int], PaperStatus]
    timings: dict[str, float] = field(default_factory=dict)
    not_in_data: list[str] = field(default_factory=list)  # states asked for, no such review

    @property
    def failed(self) -> dict[tuple[str, int], str]:
        """The reviews whose paper failed, with the error."""
        return {k: s.error for k, s in self.statuses.items() if s.error}


def _figure(fig: plt.Figure | None, folder: Path, name: str, caption: str, alt: str,
            missing: str) -> str:
    if fig is None:
        return f"*{missing}*\n"
    save_figure(fig, folder, name)
    plt.close(fig)
    return figure_md(name, caption, alt)


def _table_md(df: pd.DataFrame, columns: dict[str, str]) -> str:
    rows = [[(num(v) if isinstance(v, float) else md(v)) for v in r]
            for r in df[list(columns)].itertuples(index=False)]
    return pipe_table(list(columns.values()), rows) + "\n"


def crosscountry_parts(cycles: list[int], site_dir: Path,
                       processed_dir: Path | None) -> list[str]:
    """The figures (saved under ``site_dir/figures``) and tables of the cross-country page."""
    parts = ["## Acceptance by regional group and cycle {#by-group}\n"]
    fig, table = sitefigs.acceptance_by_group(cycles, processed_dir)
    parts.append(_figure(
        fig, site_dir, "acceptance_by_group",
        "Median share of the recommendations accepted by the states under review of each UN "
        "regional group, by cycle (cycles with too few states in the data left out).",
        "Horizontal bars, one per regional group and cycle.",
        "Too few states in the data for a comparison by regional group."))
    if not table.empty:
        parts.append(_table_md(table, {
            "un_regional_group": "Regional group", "cycle": "Cycle", "states": "States",
            "median_acceptance_rate": "Median accepted (%)",
            "pooled_acceptance_rate": "All their recommendations accepted (%)"}))
    for cycle in cycles:
        parts.append(f"## Cycle {cycle} {{#cycle-{cycle}}}\n")
        fig, tails = sitefigs.acceptance_distribution(cycle, processed_dir)
        parts.append(_figure(
            fig, site_dir, f"acceptance_distribution_cycle{cycle}",
            f"Distribution of the acceptance rates of the states reviewed in cycle {cycle}; "
            f"the {sitefigs.TAIL} lowest and highest are named.",
            "Histogram of acceptance rates with the states at both ends labelled.",
            f"Cycle {cycle} has too few states in the data for a distribution."))
        parts.append(_table_md(tails, {"tail": "Tail", "sur_name": "State",
                                       "un_regional_group": "Region",
                                       "acceptance_rate": "Accepted (%)",
                                       "state_level": "Recommendations"}))
        fig, top = sitefigs.top_recommenders(cycle, processed_dir=processed_dir)
        parts.append(_figure(
            fig, site_dir, f"top_recommenders_cycle{cycle}",
            f"The recommending states that made the most recommendations in cycle {cycle}, "
            "split by the response of the state under review.",
            "Stacked horizontal bars of accepted and noted recommendations per recommending "
            "state.", f"Cycle {cycle} has too few recommending states in the data."))
        parts.append(_table_md(top, {"recommending_state": "Recommending state",
                                     "recommendations": "Recommendations",
                                     "states_addressed": "States addressed",
                                     "accepted_share": "Accepted (%)"}))
    return parts


def build_site(cycles: list[int] | None = None,
               outcomes: dict[tuple[str, int], PaperStatus] | None = None,
               site_dir: Path | None = None, renderer: str = "auto",
               processed_dir: Path | None = None, workers: int | None = None,
               progress: bool = True) -> SiteResult:
    """Write and render the site for ``cycles`` (default: every cycle in the data).

    ``outcomes`` are the paper builds of this run (:class:`PaperStatus` per (ISO3, cycle));
    other reviews link a finished earlier build if there is one. Raises RenderError if the
    rendered site has a broken link or loads anything remote (the previous site then stays).
    """
    t0 = time.perf_counter()
    site_dir = Path(site_dir or default_site_dir()).resolve()
    site_dir.mkdir(parents=True, exist_ok=True)
    used = choose(renderer)
    cycles = sorted({int(c) for c in cycles}) if cycles else cycles_in_data(processed_dir)
    index = review_index(cycles, processed_dir)
    statuses = paper_statuses(index, site_dir, outcomes or {})
    timings = {"index": time.perf_counter() - t0}

    t1 = time.perf_counter()
    parts = crosscountry_parts(cycles, site_dir, processed_dir)
    fu = _followup(cycles, site_dir, processed_dir, progress)
    fu_fig = _figure(sitefigs.followup_rates(fu), site_dir, "followup_rates",
                     "Share of each state's accepted and noted recommendations that are made "
                     "again in its next review, one dot per state.",
                     "Strip plot of come-back shares per state, by response.",
                     "Too few states with consecutive reviews in the data for a figure.")
    timings["figures"] = time.perf_counter() - t1

    pages: list[Page] = [
        index_page(index, statuses, index_table_html(index, statuses)
                   + datatable_script("reviews-table")),
        crosscountry_page(parts), followup_page(fu, fu_fig),
        about_page(cycles, processed_dir, "Quarto" if used == "quarto" else "pandoc"),
        *[state_page(iso3, rows, statuses) for iso3, rows in index.groupby("sur_iso3")],
    ]
    _sync_states(site_dir, {p.path for p in pages})
    _sync_papers(site_dir, statuses)
    export = index.drop(columns=["curated_tables"]).assign(
        paper=[statuses[(s, int(c))].state for s, c in zip(index["sur_iso3"], index["cycle"],
                                                            strict=True)])
    with atomic_path(site_dir / "reviews.csv", suffix=".csv") as tmp:
        export.to_csv(tmp, index=False)
    write_project(site_dir, pages, listing_items(index, statuses))
    t2 = time.perf_counter()
    output = render(site_dir, pages, used, workers, progress)  # link-checked
    timings["render"] = time.perf_counter() - t2
    timings = {k: round(v, 2) for k, v in timings.items()}
    return SiteResult(site_dir, output, used, len(index), len(pages), statuses, timings)


FOLLOWUP_METHOD = (followup, themes, sitefigs)
"""The modules whose code computes the follow-up table: editing one recomputes it."""


def followup_key(cycles: list[int], processed_dir: Path | None) -> str:
    """The follow-up table's cache key: SHA-256 of the recommendations table's content, the
    code of :data:`FOLLOWUP_METHOD` and the cycles (16 hex digits). Fails with
    :class:`~uprlib.errors.MissingFileError` when the table has not been prepared."""
    folder, _mtime = table_stamp(processed_dir)
    h = hashlib.sha256()
    with open(Path(folder) / RECOMMENDATIONS_FILE, "rb") as fh:
        h.update(hashlib.file_digest(fh, "sha256").digest())
    for module in FOLLOWUP_METHOD:
        h.update(Path(module.__file__).read_bytes())
    h.update(json.dumps(sorted(cycles)).encode())
    return h.hexdigest()[:16]


def _followup(cycles: list[int], site_dir: Path, processed_dir: Path | None,
              progress: bool) -> pd.DataFrame:
    """:func:`uprlib.site.figures.followup_table`, kept in ``site_dir/followup-<key>.csv``
    (:func:`followup_key`) and recomputed only when the table, the method or the cycles change
    (minutes: every state with two cycles). The file is written atomically, so one that exists
    under its key is complete; tables of other keys are removed."""
    target = site_dir / f"followup-{followup_key(cycles, processed_dir)}.csv"
    if target.is_file():
        return pd.read_csv(target)
    out = sitefigs.followup_table(cycles, processed_dir, progress=progress)
    with atomic_path(target, suffix=".csv") as tmp:
        out.to_csv(tmp, index=False)
    for old in [*site_dir.glob("followup-*.csv"), site_dir / "followup.csv",
                site_dir / ".followup.stamp.json"]:  # other keys; the stamped file of old
        if old != target:
            old.unlink(missing_ok=True)
    return out


def _sync_states(site_dir: Path, keep: set[str]) -> None:
    """Remove the pages of states no longer in the site (an earlier build's)."""
    for page in (site_dir / "states").glob("*.qmd"):
        if f"states/{page.name}" not in keep:
            page.unlink()


def _sync_papers(site_dir: Path, statuses: dict[tuple[str, int], PaperStatus]) -> None:
    """Copy every built paper (HTML and PDF) into ``site_dir/papers/<slug>/``; drop copies of
    papers that are no longer built."""
    papers = site_dir / "papers"
    built = {s.slug: s for s in statuses.values() if s.state == "built"}
    if papers.exists():
        for folder in papers.iterdir():
            if folder.name not in built:
                shutil.rmtree(folder, ignore_errors=True)
    for slug, status in built.items():
        for src in (status.html, status.pdf):
            assert src is not None
            target = papers / slug / src.name
            if target.exists() and target.stat().st_mtime >= src.stat().st_mtime \
                    and target.stat().st_size == src.stat().st_size:
                continue
            with atomic_path(target, suffix=src.suffix) as tmp:
                shutil.copy2(src, tmp)

