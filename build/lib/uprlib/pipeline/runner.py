"""Execute one section notebook with papermill; the workflow runs one job per notebook.

:func:`execute_notebook` is what each notebook job of ``workflow/Snakefile`` calls (through
:mod:`uprlib.pipeline.jobs`): the executed notebook is written to a temporary file and renamed
into ``outputs/<ISO3>-cycle<N>/notebooks/`` only when it succeeds; a failing notebook raises
:class:`~uprlib.errors.NotebookFailed` with its name and the failing cell's error and keeps its
partial copy as ``<name>.failed.ipynb``. :func:`run` runs the notebooks of one review through
the workflow (Snakemake runs them in parallel on the cores and skips those up to date).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from uprlib.errors import NotebookFailed, UsageError
from uprlib.output.sections import SECTIONS
from uprlib.pipeline.lab import KERNEL_NAME, kernel_config
from uprlib.workspace.atomic import atomic_path
from uprlib.workspace.paths import project_root

__all__ = ["NotebookFailed", "execute_notebook", "notebook_dir", "refresh_committed",
           "resolve_report", "run", "written_files"]


def resolve_report(iso3: str, cycle: int, report: str | None) -> str | None:
    """The report the audit notebook reads: ``"default"`` means the one registered for the
    review (if any), None means no audit; anything else is a registry key or a file path."""
    if report != "default":
        return report
    if not (notebook_dir() / "audit.ipynb").exists():
        return None  # a notebook folder without the audit (e.g. a custom one) runs no audit
    from uprlib.audit import default_report

    return default_report(iso3, cycle)


def notebook_dir() -> Path:
    """The project's ``notebooks/`` folder of section notebooks."""
    return project_root() / "notebooks"


def execute_notebook(source: Path, target: Path, params: dict) -> None:
    """Execute ``source`` into ``target`` atomically; on a failing cell keep the partial run
    as ``<name>.failed.ipynb`` beside the target and raise NotebookFailed."""
    import papermill as pm

    failed = target.with_name(f"{target.stem}.failed.ipynb")
    with atomic_path(target, suffix=".ipynb") as tmp:
        try:
            pm.execute_notebook(str(source), str(tmp), parameters=params, progress_bar=False,
                                cwd=str(notebook_dir()), kernel_name=KERNEL_NAME,
                                config=kernel_config())
        except pm.PapermillExecutionError as err:
            os.replace(tmp, failed)
            raise NotebookFailed(
                f"notebook {source.stem} failed in cell {err.exec_count}: {err.ename}: "
                f"{err.evalue} (partial run kept in {failed})") from None
    failed.unlink(missing_ok=True)  # a stale failure from an earlier run


def written_files(executed: Path) -> list[Path]:
    """The figures and tables an executed notebook saved (from the records that
    :mod:`uprlib.analysis.show` attaches to its outputs), as paths under its review folder."""
    nb = json.loads(Path(executed).read_text(encoding="utf-8"))
    review_dir = Path(executed).parent.parent
    files = []
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            rel = output.get("metadata", {}).get("uprlib", {}).get("file")
            if rel:
                files.append(review_dir / rel)
    return list(dict.fromkeys(files))


def run(country: str, cycle: int, sections: tuple[str, ...] = SECTIONS,
        processed_dir: Path | None = None, output_dir: Path | None = None,
        workers: int | None = None, report: str | None = "default",
        force: bool = False, progress: bool = True) -> dict[str, Path]:
    """Bring the section notebooks (and the audit, when there is a report) of one review up
    to date through the workflow; return the executed notebooks' paths by name.

    ``output_dir`` must be named ``<ISO3>-cycle<N>`` (its parent is the outputs folder).
    Raises :class:`~uprlib.pipeline.workflow.WorkflowError` naming the failing notebook.
    """
    from .workflow import build_notebooks

    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise UsageError(f"unknown section(s) {sorted(unknown)}; known: {list(SECTIONS)}")
    return build_notebooks(country, cycle, sections, processed_dir=processed_dir,
                           output_dir=output_dir, cores=workers, report=report, force=force,
                           echo=progress)


def refresh_committed(sections: tuple[str, ...] = (*SECTIONS, "audit")) -> None:
    """Re-execute the committed notebooks in place with their default parameters.

    The committed copies then carry the outputs that ``pytest --nbval-lax`` checks.
    """
    import nbformat
    from tqdm import tqdm

    for name in tqdm(sections, desc="refresh notebooks", unit="nb"):
        source = notebook_dir() / f"{name}.ipynb"
        execute_notebook(source, source, {})
        nb = nbformat.read(source, as_version=4)
        for key in ("input_path", "output_path"):  # this machine's paths: noise in the diff
            nb.metadata.get("papermill", {}).pop(key, None)
        with atomic_path(source, suffix=".ipynb") as tmp:
            nbformat.write(nb, tmp)
