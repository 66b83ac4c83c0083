"""The paper: executed section notebooks and the project's own pages, rendered to HTML and PDF.

``assemble`` writes ``outputs/<ISO3>-cycle<N>/paper/paper.qmd`` (with ``references.bib`` and
``figures/``) from the notebooks executed for that review; ``render`` turns it into
``paper.html`` and ``paper.pdf`` with Quarto or, without Quarto, pandoc and Typst;
``build`` runs the whole chain for one review and skips what is already up to date.
"""

from __future__ import annotations

import platform
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import cache
from ..atomic import write_text
from ..paths import project_root
from ..review import Review
from ..sections import SECTIONS
from . import pages
from .bib import bibliography
from .crossref import bib_keys
from .notebook_md import chapter
from .render import Rendered, choose, pandoc_path, quarto_path, render

__all__ = ["PaperResult", "assemble", "build", "paper_dir", "render"]

APPENDIX_NOTEBOOKS = ("audit",)


@dataclass
class PaperResult:
    """What a build produced and how long each step took (seconds)."""

    review: str
    renderer: str
    html: Path
    pdf: Path
    skipped: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def paper_dir(review: Review) -> Path:
    return review.output_dir / "paper"


def _software(renderer: str) -> dict[str, str]:
    import pandas

    soft = {"Python": platform.python_version(), "pandas": pandas.__version__}
    if renderer == "quarto":
        soft["renderer"] = "Quarto"
    else:
        from importlib.metadata import version

        soft["renderer"] = (f"pandoc {_pandoc_version()} and typst-py "
                            f"{version('typst')} (no Quarto on this machine)")
    return soft


def _pandoc_version() -> str:
    import pypandoc

    return pypandoc.get_pandoc_version()


def assemble(review: Review, notebooks: dict[str, Path], renderer: str = "pandoc") -> Path:
    """Write ``paper.qmd``, ``references.bib`` and ``figures/`` for ``review``.

    ``notebooks`` maps section names (and optionally ``audit``) to executed notebooks.
    """
    missing = [s for s in SECTIONS if s not in notebooks]
    if missing:
        raise ValueError(f"cannot assemble the paper of {review.slug}: no executed notebook "
                         f"for {', '.join(missing)}")
    out = paper_dir(review)
    figures = out / "figures"
    if figures.exists():
        shutil.rmtree(figures)  # figures of an earlier build that may no longer be shown
    figures.mkdir(parents=True)
    chapters = {name: chapter(path, figures, name) for name, path in notebooks.items()}
    kf: dict[str, dict] = {}
    for name, path in notebooks.items():
        cells = pages.key_figure_cells(path)
        kf[name] = next(iter(cells.values()))
        kf.update({module: v for module, v in list(cells.items())[1:]})  # followup, peers
    laws = review.curated("laws")
    bib = bibliography(laws)
    law_keys = pages.laws_cited(laws)
    keys = bib_keys(bib)
    labels = {lab for ch in chapters.values() for lab in ch.figures + ch.tables}
    body = [pages.front_matter(review, kf, nocite=law_keys), pages.TYPST_LAYOUT,
            pages.introduction(review, kf, keys, {f"sec-{s.replace('_', '-')}": chapters[s].title
                                                  for s in SECTIONS}),
            *(chapters[s].markdown for s in SECTIONS),
            pages.conclusions(review, kf, labels, law_keys),
            pages.data_and_methods(review, _software(renderer)),
            *(chapters[a].markdown for a in APPENDIX_NOTEBOOKS if a in chapters),
            pages.references()]
    write_text(out / "references.bib", bib)
    qmd = out / "paper.qmd"
    write_text(qmd, "\n\n".join(body) + "\n")
    return qmd


def _paper_inputs(notebooks: dict[str, Path]) -> list[Path]:
    root = project_root()
    return [*notebooks.values(), *cache.code_files(), root / "_quarto.yml",
            *sorted((root / "data" / "raw" / "curated").glob("*.csv"))]


def build(country: str, cycle: int, processed_dir: Path | None = None,
          output_dir: Path | None = None, renderer: str = "auto", report: str | None = "default",
          force: bool = False, progress: bool = True, workers: int | None = None,
          run_notebooks: bool = True) -> PaperResult:
    """Run the notebooks of one review (if stale), assemble and render its paper (if stale).

    With ``run_notebooks=False`` the notebooks must already have been executed (``uprlib run``);
    only the paper is assembled and rendered.
    """
    from ..runner import executed, run

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
    """One country's paper for a batch (:func:`uprlib.batch.run_many`): notebooks one at a time
    (the batch runs countries in parallel), no progress bar; returns the HTML path."""
    result = build(country, cycle, renderer=renderer, report=report, progress=False, workers=1)
    return str(result.html)

