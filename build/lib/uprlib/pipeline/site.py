"""The site with its papers: build the papers asked for, in parallel, then the site.

:func:`build_papers` is the one place where the papers of many reviews are built: one run of
the workflow (:func:`uprlib.pipeline.workflow.build_papers`), its jobs spread over the cores,
what is up to date reused, a failure recorded and the others going on.
:func:`build_site_with_papers` then writes the site (:func:`uprlib.site.build_site`), where a
review whose paper failed shows its error.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from uprlib.output.crosscountry import cycle_rows
from uprlib.output.tables import resolve_country
from uprlib.site import PaperStatus, SiteResult, build_site
from uprlib.site.data import cycles_in_data


def build_papers(reviews: Sequence[tuple[str, int]], renderer: str = "auto",
                 workers: int | None = None, progress: bool = True,
                 processed_dir: Path | None = None) -> dict[tuple[str, int], PaperStatus]:
    """Build the paper of every (ISO3, cycle) in ``reviews`` in one run of the workflow, its
    jobs in parallel on the cores; up to date papers are reused. Returns the status of each:
    built (paths) or failed (error)."""
    from uprlib.errors import UprlibError

    from .workflow import WorkflowLocked
    from .workflow import build_papers as run_workflow

    # the notebooks run in other folders: a relative table folder must not change meaning
    config = {"processed_dir": str(Path(processed_dir).resolve())} if processed_dir else None
    try:
        outcomes = run_workflow(list(reviews), cores=workers, renderer=renderer, echo=progress,
                                config=config)
    except WorkflowLocked:
        raise
    except UprlibError as err:  # e.g. no Quarto: every review fails with it, the site goes on
        error = f"{type(err).__name__}: {' '.join(str(err).split())}"
        return {(c, int(y)): PaperStatus(c, int(y), error=error) for c, y in reviews}
    out = {}
    for country, cycle in reviews:
        key = (country, int(cycle))
        o = outcomes[f"{country}-cycle{int(cycle)}"]
        out[key] = (PaperStatus(country, int(cycle), o.html, o.pdf) if o.ok
                    else PaperStatus(country, int(cycle), error=o.error))
    return out


def papers_to_build(cycles: Sequence[int], countries: str | Sequence[str] | None,
                    all_papers: bool = False, processed_dir: Path | None = None
                    ) -> tuple[list[tuple[str, int]], list[str]]:
    """The reviews whose papers were asked for: ``countries`` (codes or names) in each of
    ``cycles``, or every state of them with ``all_papers``; none if neither is given.

    Returns ``(reviews, absent)``: ``absent`` are the states asked for that have no review in
    these cycles in the data. A name that is no state
    at all raises NoDataError naming it.
    """
    reviewed = {c: set(cycle_rows(c, processed_dir)["sur_iso3"]) for c in cycles}
    if all_papers:
        return [(s, c) for c in cycles for s in sorted(reviewed[c])], []
    if not countries:
        return [], []
    items = countries.split(",") if isinstance(countries, str) else list(countries)
    codes = list(dict.fromkeys(resolve_country(i.strip()) for i in items if i.strip()))
    wanted = [(code, c) for code in codes for c in cycles if code in reviewed[c]]
    absent = [code for code in codes if not any(code in reviewed[c] for c in cycles)]
    return wanted, absent


def build_site_with_papers(cycles: Sequence[int] | None = None,
                           countries: str | Sequence[str] | None = None,
                           all_papers: bool = False, renderer: str = "auto",
                           workers: int | None = None, site_dir: Path | None = None,
                           processed_dir: Path | None = None, progress: bool = True
                           ) -> SiteResult:
    """Build the papers asked for (see :func:`papers_to_build`), then the site of ``cycles``
    (default: every cycle in the data) linking them and every other finished paper."""
    cycles = sorted({int(c) for c in cycles}) if cycles else cycles_in_data(processed_dir)
    wanted, absent = papers_to_build(cycles, countries, all_papers, processed_dir)
    outcomes = build_papers(wanted, renderer, workers, progress, processed_dir) if wanted else {}
    result = build_site(cycles, outcomes, site_dir, renderer, processed_dir, workers, progress)
    result.not_in_data = absent
    return result
