"""Execute the section notebooks with papermill for one review.

Notebooks run in parallel (one process each, as many as there are cores), with a progress
bar. Each executed notebook is written to a temporary file and renamed into
``outputs/<ISO3>-cycle<N>/notebooks/`` only when it succeeds; a failing notebook stops the
run with its name and the failing cell's error, keeps its partial copy as
``<name>.failed.ipynb`` and leaves every earlier output as it was.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from pathlib import Path

from tqdm import tqdm

from uprlib.errors import MissingFileError, NotebookFailed, UsageError
from uprlib.output.review import Review
from uprlib.output.sections import SECTIONS
from uprlib.pipeline.lab import KERNEL_NAME, kernel_config
from uprlib.workspace import cache
from uprlib.workspace.atomic import atomic_path
from uprlib.workspace.paths import curated_dir, project_root
from uprlib.workspace.paths import processed_dir as default_processed_dir


class Executed(dict):
    """Executed notebooks by name; ``skipped`` is True when all were up to date."""

    skipped: bool = False


def resolve_report(iso3: str, cycle: int, report: str | None) -> str | None:
    """The report the audit notebook reads: ``"default"`` means the one registered for the
    review (if any), None means no audit; anything else is a registry key or a file path."""
    if report != "default":
        return report
    if not (notebook_dir() / "audit.ipynb").exists():
        return None  # a notebook folder without the audit (e.g. a custom one) runs no audit
    from uprlib.audit import default_report

    return default_report(iso3, cycle)


def _run_inputs(names: tuple[str, ...], processed: Path | None, report: str | None) -> list[Path]:
    folder = Path(processed) if processed else default_processed_dir()
    files = [notebook_dir() / f"{n}.ipynb" for n in names]
    files += cache.code_files()
    files += sorted(folder.glob("*.parquet")) + [folder / "data_quality.json"]
    files += sorted(curated_dir().glob("*.csv"))
    if report and Path(report).exists():
        files.append(Path(report))
    return files


def notebook_dir() -> Path:
    return project_root() / "notebooks"


def _execute_to(source: Path, target: Path, params: dict) -> None:
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


def _execute(name: str, params: dict, out_dir: str) -> str:
    target = Path(out_dir) / f"{name}.ipynb"
    _execute_to(notebook_dir() / f"{name}.ipynb", target, params)
    return str(target)


def run(country: str, cycle: int, sections: tuple[str, ...] = SECTIONS,
        processed_dir: Path | None = None, output_dir: Path | None = None,
        workers: int | None = None, progress: bool = True, report: str | None = "default",
        force: bool = False) -> Executed:
    """Run the section notebooks (and the audit, when there is a report) for one review.

    Returns the executed notebooks' paths by name. When nothing they read has changed since
    the last successful run (same notebooks, code, tables, curated data and parameters; see
    :mod:`uprlib.workspace.cache`) and every output exists, nothing is executed again.
    """
    review = Review(country, cycle, processed_dir, output_dir)  # fails fast if unknown
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise UsageError(f"unknown section(s) {sorted(unknown)}; known: {list(SECTIONS)}")
    report = resolve_report(review.iso3, review.cycle, report)
    names = tuple(sections) + (("audit",) if report else ())
    nb_out = review.output_dir / "notebooks"
    nb_out.mkdir(parents=True, exist_ok=True)
    params = {"country": review.iso3, "cycle": review.cycle,
              "processed_dir": str(processed_dir) if processed_dir else None,
              "output_dir": str(review.output_dir)}
    targets = {n: nb_out / f"{n}.ipynb" for n in names}
    stamp = nb_out / ".run.stamp.json"
    value = cache.digest(_run_inputs(names, processed_dir, report), {**params, "report": report})
    done = Executed()
    if not force and cache.is_fresh(stamp, value, targets.values()):
        done.update(targets)
        done.skipped = True
        return done
    if not report:
        (nb_out / "audit.ipynb").unlink(missing_ok=True)  # no stale audit in this review's paper
    workers = workers or max(1, min(len(names), os.cpu_count() or 1))
    t0 = time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool, tqdm(
        total=len(names), desc=f"notebooks {review.slug}", unit="nb", disable=not progress
    ) as bar:
        futures = {pool.submit(_execute, s, {**params, "report": report} if s == "audit"
                               else params, str(nb_out)): s for s in names}
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for f in finished:
                err = f.exception()
                if err is not None:
                    for p in pending:
                        p.cancel()
                    raise err
                done[futures[f]] = Path(f.result())
                bar.update(1)
    cache.record(stamp, value, seconds=round(time.perf_counter() - t0, 1))
    return Executed({n: done[n] for n in names})


def executed(review: Review, report: str | None = "default") -> Executed:
    """The notebooks already executed for ``review`` (by ``run``); fails naming what is missing."""
    report = resolve_report(review.iso3, review.cycle, report)
    names = SECTIONS + (("audit",) if report else ())
    nb_out = review.output_dir / "notebooks"
    found = Executed({n: nb_out / f"{n}.ipynb" for n in names})
    missing = [n for n, p in found.items() if not p.exists()]
    if missing:
        raise MissingFileError(
            f"no executed notebook for {', '.join(missing)} in {nb_out}; run "
            f"`uprlib run --country {review.iso3} --cycle {review.cycle}` first")
    found.skipped = True
    return found


def refresh_committed(sections: tuple[str, ...] = (*SECTIONS, "audit")) -> None:
    """Re-execute the committed notebooks in place with their default parameters.

    The committed copies then carry the outputs that ``pytest --nbval-lax`` checks.
    """
    import nbformat

    for name in tqdm(sections, desc="refresh notebooks", unit="nb"):
        source = notebook_dir() / f"{name}.ipynb"
        _execute_to(source, source, {})
        nb = nbformat.read(source, as_version=4)
        for key in ("input_path", "output_path"):  # this machine's paths: noise in the diff
            nb.metadata.get("papermill", {}).pop(key, None)
        with atomic_path(source, suffix=".ipynb") as tmp:
            nbformat.write(nb, tmp)
