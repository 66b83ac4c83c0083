"""Build one review's paper: run its notebooks (if stale), assemble and render (if stale)."""

from __future__ import annotations

import time
from pathlib import Path

from uprlib.output.curated import require_valid
from uprlib.output.review import Review
from uprlib.paper import PaperResult, assemble, paper_dir
from uprlib.paper.render import Rendered, choose, pandoc_path, quarto_path, render
from uprlib.workspace import cache
from uprlib.workspace.paths import curated_dir, project_root

from .runner import executed, run


def _paper_inputs(notebooks: dict[str, Path]) -> list[Path]:
    root = project_root()
    return [*notebooks.values(), *cache.code_files(), root / "_quarto.yml",
            *sorted(curated_dir().glob("*.csv"))]


def build(country: str, cycle: int, processed_dir: Path | None = None,
          output_dir: Path | None = None, renderer: str = "auto", report: str | None = "default",
          force: bool = False, progress: bool = True, workers: int | None = None,
          run_notebooks: bool = True) -> PaperResult:
    """Run the notebooks of one review (if stale), assemble and render its paper (if stale).

    With ``run_notebooks=False`` the notebooks must already have been executed (``uprlib run``);
    only the paper is assembled and rendered.
    """
    require_valid()  # invalid curated tables: refused before any work, naming file and line
    review = Review(country, cycle, processed_dir, output_dir)
    used = choose(renderer)
    result = PaperResult(review.slug, used, paper_dir(review) / "paper.html",
                         paper_dir(review) / "paper.pdf")
    t0 = time.perf_counter()
    if run_notebooks:
        notebooks = run(review.iso3, review.cycle, processed_dir=processed_dir,
                        output_dir=review.output_dir, workers=workers, progress=progress,
                        report=report, force=force)
    else:
        notebooks = executed(review, report)
    result.timings["notebooks"] = round(time.perf_counter() - t0, 2)
    if getattr(notebooks, "skipped", False):
        result.skipped.append("notebooks")
    stamp = paper_dir(review) / ".paper.stamp.json"
    value = cache.digest(_paper_inputs(notebooks),
                         {"renderer": used, "quarto": quarto_path() or "",
                          "pandoc": pandoc_path() if used == "pandoc" else ""})
    if not force and cache.is_fresh(stamp, value, [result.html, result.pdf]):
        result.skipped.append("paper")
        return result
    t1 = time.perf_counter()
    assemble(review, notebooks, used)
    rendered: Rendered = render(paper_dir(review), used)
    result.timings["paper"] = round(time.perf_counter() - t1, 2)
    cache.record(stamp, value, renderer=rendered.renderer)
    return result


def build_job(country: str, cycle: int, renderer: str = "auto",
              report: str | None = "default") -> str:
    """One country's paper for a batch (:func:`uprlib.pipeline.batch.run_many`): notebooks one
    at a time (the batch runs countries in parallel), no progress bar; returns the HTML path."""
    result = build(country, cycle, renderer=renderer, report=report, progress=False, workers=1)
    return str(result.html)

