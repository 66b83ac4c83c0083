"""The paper: executed section notebooks and the project's own pages, rendered to HTML and PDF.

``assemble`` writes ``outputs/<ISO3>-cycle<N>/paper/paper.qmd`` (with ``references.bib``,
``references-generated.yaml`` and ``figures/``) from the notebooks executed for that review;
``render`` turns it into ``paper.html`` and ``paper.pdf`` with Quarto or, without Quarto,
pandoc and Typst; ``uprlib.pipeline.workflow.build_paper``
runs the whole chain for one review.
"""

from __future__ import annotations

import platform
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from uprlib.errors import PaperError
from uprlib.output import curated
from uprlib.output.provenance import files_used
from uprlib.output.review import Review
from uprlib.output.sections import SECTIONS
from uprlib.workspace.atomic import write_text

from . import pages
from .bib import GENERATED_FILE, STATIC_FILE, csl_keys, generated_references, static_bibliography
from .crossref import bib_keys
from .notebook_md import chapter
from .render import render

__all__ = ["PaperResult", "assemble", "paper_dir", "render"]

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
    """The folder of the review's paper: ``<output_dir>/paper``."""
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
    """Write ``paper.qmd``, its bibliography and ``figures/`` for ``review``.

    ``notebooks`` maps section names (and optionally ``audit``) to executed notebooks.
    """
    missing = [s for s in SECTIONS if s not in notebooks]
    if missing:
        raise PaperError(f"cannot assemble the paper of {review.slug}: no executed notebook "
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
    report = kf["audit"].get("report") if "audit" in kf else None
    report = str(report) if report is not None else None
    compared = (kf.get("peers") or {}).get("acceptance_rank") is not None
    laws = review.curated("laws")
    bib, generated = static_bibliography(), generated_references(laws)
    law_keys = pages.laws_cited(laws)
    keys = bib_keys(bib) | csl_keys(generated)
    labels = {lab for ch in chapters.values() for lab in ch.figures + ch.tables}
    body = [pages.front_matter(review, kf, nocite=law_keys), pages.TYPST_LAYOUT,
            pages.introduction(review, kf, keys, {f"sec-{s.replace('_', '-')}": chapters[s].title
                                                  for s in SECTIONS}),
            *(chapters[s].markdown for s in SECTIONS),
            pages.conclusions(review, kf, labels, law_keys),
            pages.data_and_methods(review, _software(renderer),
                                   files_used(review, report, peers=compared),
                                   curated.rows_used(review.iso3, review.cycle, report)),
            *(chapters[a].markdown for a in APPENDIX_NOTEBOOKS if a in chapters),
            pages.references()]
    write_text(out / STATIC_FILE, bib)
    write_text(out / GENERATED_FILE, generated)
    qmd = out / "paper.qmd"
    write_text(qmd, "\n\n".join(body) + "\n")
    return qmd
