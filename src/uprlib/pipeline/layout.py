"""Where the workflow's files are: each step's inputs and outputs (read by ``workflow/Snakefile``).

The Snakefile declares its rules with these paths and the driver
(:mod:`uprlib.pipeline.workflow`) asks Snakemake for the same paths as targets, so the two can
never disagree. Only light imports here: the Snakefile is parsed at the start of every run.

The code a step runs is a declared input of that step: its own stage of the package and every
stage below it (imports only go down, see ``tests/unit/test_layers.py``). Editing an analysis
module therefore reruns the notebooks and papers but not ``prepare``; editing a notebook
reruns that notebook's job and the paper of each review, nothing else.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from uprlib.output.sections import SECTIONS
from uprlib.workspace.atomic import atomic_path
from uprlib.workspace.paths import (
    PROCESSED_FILES,
    curated_dir,
    outputs_dir,
    processed_dir,
    project_root,
    raw_dir,
)

PACKAGE = Path(__file__).resolve().parents[1]

# the package's stages, lowest first (as in tests/unit/test_layers.py); package data sits
# with the stage that reads it
STAGES = ("errors", "workspace", "package_data", "extract", "transform", "load", "output",
          "audit", "analysis", "paper")
# the highest stage whose code each step runs
STEP_STAGE = {"fetch": "package_data", "prepare": "load", "summary": "output",
              "notebook": "analysis", "paper": "paper"}

__all__ = ["AUDIT", "SECTIONS", "Layout", "code_files", "curated_files", "raw_files"]
CODE_SUFFIXES = {".py", ".csv", ".toml", ".bib", ".css"}

# the appendix notebook, run when a review has a report to audit
AUDIT = "audit"


def code_files(step: str) -> list[Path]:
    """Source and package-data files of the stages ``step`` runs (its stage and below)."""
    top = STAGES.index(STEP_STAGE[step])
    files = [PACKAGE / "__init__.py"]
    for stage in STAGES[: top + 1]:
        module = PACKAGE / f"{stage}.py"
        if module.is_file():
            files.append(module)
        folder = PACKAGE / stage
        if folder.is_dir():
            files += [p for p in folder.rglob("*") if p.is_file() and p.suffix in CODE_SUFFIXES
                      and "__pycache__" not in p.parts]
    return sorted(files)


def registry_file() -> Path:
    return PACKAGE / "package_data" / "registry.toml"


def registry_files() -> list[Path]:
    """The built-in registry and, once ``uprlib import`` has made it, the user registry."""
    from uprlib.workspace.registry import user_registry_path

    user = user_registry_path()
    return [registry_file(), *([user] if user.exists() else [])]


def registry_digest() -> list[str]:
    """Every registered raw file as ``key:sha256``: a parameter of fetch and prepare, so that
    adding or removing an entry (an import) reruns them even when no file got newer."""
    from uprlib.workspace.registry import load_registry

    return sorted(f"{e.key}:{e.sha256}" for e in load_registry())


def notebook_source(name: str) -> Path:
    """The committed notebook of a section (or the audit)."""
    return project_root() / "notebooks" / f"{name}.ipynb"


def quarto_config() -> Path:
    return project_root() / "_quarto.yml"


def curated_files() -> list[Path]:
    """The committed curated facts the notebooks and the paper read."""
    return sorted(curated_dir().glob("*.csv"))


def raw_files() -> list[Path]:
    """Every raw file ``uprlib fetch`` puts in data/raw/ (the outputs of fetch, inputs of
    prepare). Not the files added with ``uprlib import``: nothing can fetch those again, and
    Snakemake deletes a job's outputs before it runs it, so as outputs of fetch they would be
    lost at the first fetch after an import. They are pinned instead by the registry digest
    (a parameter of fetch and prepare) and verified by checksum whenever they are read."""
    from uprlib.workspace.registry import load_registry

    return [raw_dir() / e.path for e in load_registry() if not e.imported]


def resolve_renderer(renderer: str) -> str:
    """``auto`` is Quarto when ``quarto`` is on PATH, else pandoc + Typst."""
    if renderer == "auto":
        return "quarto" if shutil.which("quarto") else "pandoc"
    return renderer


def slug(iso3: str, cycle: int | str) -> str:
    """``<ISO3>-cycle<N>``; with ``"{iso3}"`` and ``"{cycle}"`` a Snakemake pattern."""
    return f"{iso3}-cycle{cycle}"


@dataclass
class Layout:
    """The folders of one run (from the workflow's config) and the files in them."""

    processed: Path = field(default_factory=processed_dir)
    outputs: Path = field(default_factory=outputs_dir)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Layout:
        """Folders from the config keys ``processed_dir`` and ``outputs_dir`` (absolute, or
        relative to the project root), defaulting to :mod:`uprlib.workspace.paths`."""
        def folder(key: str, default: Path) -> Path:
            value = config.get(key)
            return (project_root() / value).resolve() if value else default.resolve()

        return cls(folder("processed_dir", processed_dir()), folder("outputs_dir", outputs_dir()))

    # --- prepare -------------------------------------------------------------------------
    def prepared_files(self) -> list[Path]:
        """The processed tables ``prepare`` writes."""
        return [self.processed / name for name in PROCESSED_FILES]

    def prepare_manifest(self) -> Path:
        """The record of what ``prepare`` wrote."""
        return self.processed / ".prepare.outputs.json"

    # --- one review ----------------------------------------------------------------------
    def review_dir(self, iso3: str, cycle: int | str) -> Path:
        """The output folder of one review (``<ISO3>-cycle<N>``)."""
        return self.outputs / slug(iso3, cycle)

    def notebook(self, iso3: str, cycle: int | str, name: str) -> Path:
        """The executed notebook ``name`` of one review."""
        return self.review_dir(iso3, cycle) / "notebooks" / f"{name}.ipynb"

    def notebook_manifest(self, iso3: str, cycle: int | str, name: str) -> Path:
        """The record of what notebook ``name`` of one review wrote."""
        return self.review_dir(iso3, cycle) / "notebooks" / f".{name}.outputs.json"

    def paper_files(self, iso3: str, cycle: int | str) -> dict[str, Path]:
        """The paper's files of one review, by kind (html, pdf, qmd, bib, manifest)."""
        folder = self.review_dir(iso3, cycle) / "paper"
        return {"html": folder / "paper.html", "pdf": folder / "paper.pdf",
                "qmd": folder / "paper.qmd", "bib": folder / "references.bib",
                "manifest": folder / ".paper.outputs.json"}

    # --- many reviews --------------------------------------------------------------------
    def summary(self, cycle: int | str) -> Path:
        """The cross-country summary of one cycle."""
        return self.outputs / f"batch-cycle{cycle}" / "summary.csv"

    def benchmark(self, name: str) -> Path:
        """Snakemake's ``benchmark:`` file of one job (seconds, memory)."""
        return self.outputs / "benchmarks" / f"{name}.tsv"


def resolve_report(iso3: str, cycle: int | str, report: str | None) -> str:
    """The report the audit of a review reads: a registry key or an absolute file path, or
    ``""`` for no audit. ``"default"`` is the report registered for the review, if any (the
    same rule as :func:`uprlib.audit.default_report`, without importing the audit)."""
    if report in (None, "", "none"):
        return ""
    if report != "default":
        return str(report)
    if not notebook_source(AUDIT).exists():
        return ""
    from uprlib.workspace.registry import by_role

    for entry in by_role("report"):
        if (str(entry.meta.get("sur_iso3", "")).upper() == iso3.upper()
                and int(entry.meta.get("cycle", -1)) == int(cycle)):
            return entry.key
    return ""


def report_files(report: str) -> list[Path]:
    """The file an audit reads for ``report`` (a registry key or a path): an input of its job."""
    if not report:
        return []
    from uprlib.workspace.registry import load_registry

    for entry in load_registry():
        if entry.key == report:
            return [raw_dir() / entry.path]
    path = Path(report)
    if _PATHVAR.search(str(path)) and path.is_file():
        return [_content_copy(path)]
    return [path]


# Snakemake (9.x) reads "<name>" in an input path as a path variable and fails on one it does
# not know, so a report named "<script>.txt" would stop the build with Snakemake's error
_PATHVAR = re.compile(r"<[a-z][a-z0-9_]*>")


def _content_copy(path: Path) -> Path:
    """A copy of ``path`` named by the sha256 of its content (a new name when it changes),
    for Snakemake to watch in place of a file whose own name it cannot take."""
    data = path.read_bytes()
    copy = (project_root() / ".snakemake" / "uprlib" / "reports"
            / f"{hashlib.sha256(data).hexdigest()[:24]}.txt")
    if not copy.exists():
        copy.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(copy) as tmp:
            tmp.write_bytes(data)
    return copy
