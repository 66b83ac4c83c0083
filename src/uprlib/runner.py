"""Execute the section notebooks with papermill for one review.

Notebooks run in parallel (one process each, as many as there are cores), with a progress
bar. Each executed notebook is written to a temporary file and renamed into
``outputs/<ISO3>-cycle<N>/notebooks/`` only when it succeeds; a failing notebook stops the
run with its name and the failing cell's error, keeps its partial copy as
``<name>.failed.ipynb`` and leaves every earlier output as it was.
"""

from __future__ import annotations

import os
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from pathlib import Path

from tqdm.auto import tqdm

from .atomic import atomic_path
from .paths import project_root
from .review import Review
from .sections import SECTIONS


class NotebookFailed(RuntimeError):
    """A section notebook raised an error."""


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
                                cwd=str(notebook_dir()), kernel_name="python3")
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
        workers: int | None = None, progress: bool = True) -> dict[str, Path]:
    """Run the section notebooks for one review; return the executed notebooks' paths."""
    review = Review(country, cycle, processed_dir, output_dir)  # fails fast if unknown
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        raise ValueError(f"unknown section(s) {sorted(unknown)}; known: {list(SECTIONS)}")
    nb_out = review.output_dir / "notebooks"
    nb_out.mkdir(parents=True, exist_ok=True)
    params = {"country": review.iso3, "cycle": review.cycle,
              "processed_dir": str(processed_dir) if processed_dir else None,
              "output_dir": str(review.output_dir)}
    workers = workers or max(1, min(len(sections), os.cpu_count() or 1))
    done: dict[str, Path] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool, tqdm(
        total=len(sections), desc=f"notebooks {review.slug}", unit="nb", disable=not progress
    ) as bar:
        futures = {pool.submit(_execute, s, params, str(nb_out)): s for s in sections}
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
    return done


def refresh_committed(sections: tuple[str, ...] = SECTIONS) -> None:
    """Re-execute the committed notebooks in place with their default parameters.

    The committed copies then carry the outputs that ``pytest --nbval-lax`` checks.
    """
    for name in tqdm(sections, desc="refresh notebooks", unit="nb"):
        source = notebook_dir() / f"{name}.ipynb"
        _execute_to(source, source, {})
