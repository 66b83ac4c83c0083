"""The robustness sweep: every analysis function the notebooks use, for every review.

:func:`sweep` calls them for each review in the data, in a process pool (:func:`run_many`,
which keeps going past failures and returns them). Papers are not built here: many reviews'
papers are one run of the workflow, :func:`uprlib.pipeline.workflow.build_papers`.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Hashable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from uprlib.output.crosscountry import cycle_rows, resolve_countries
from uprlib.output.tables import all_recommendations, resolve_country


def run_many(items: Iterable[Hashable], job: Callable[[Any], Any], workers: int | None = None,
             progress: bool = True, desc: str = "jobs") -> tuple[dict, dict]:
    """Run ``job(item)`` for every item in a process pool; keep going past failures.

    ``job`` must be picklable (a module-level function or a ``functools.partial`` of one).
    Returns ``(results, failures)``: ``results[item]`` is what ``job`` returned,
    ``failures[item]`` a one-line ``"ErrorType: message"``. A worker process that dies (e.g.
    killed for memory) fails its item and the run goes on. ``workers`` defaults to the number
    of cores (at most the number of items).
    """
    items = list(dict.fromkeys(items))
    results: dict = {}
    failures: dict = {}
    if not items:
        return results, failures
    workers = max(1, min(workers or os.cpu_count() or 1, len(items)))
    with ProcessPoolExecutor(max_workers=workers) as pool, tqdm(
        total=len(items), desc=desc, unit="job", disable=not progress
    ) as bar:
        futures = {pool.submit(job, item): item for item in items}
        for future in as_completed(futures):
            item = futures[future]
            try:
                results[item] = future.result()
            except Exception as err:  # noqa: BLE001 - every failure is reported, none stops
                message = " ".join(str(err).split()) or repr(err)
                failures[item] = f"{type(err).__name__}: {message}"
                bar.set_postfix(failed=len(failures))
            bar.update(1)
    return results, failures


def failure_report(failures: dict) -> str:
    """Human-readable summary of :func:`run_many`'s failures (empty string if none)."""
    if not failures:
        return ""
    lines = [f"{len(failures)} failed:"]
    lines += [f"  {item}: {message}" for item, message in sorted(failures.items(), key=str)]
    return "\n".join(lines)


# --- robustness sweep: every analysis function the notebooks call, for any review ----------

SWEEP_MODULES = ("overview", "mechanisms", "iccpr", "civil_society", "justice", "followup",
                 "peers")


def review_functions() -> dict[str, Callable]:
    """Every public analysis function that takes only a Review: ``"module.name" -> function``.

    These are what the section notebooks call; found by inspection so a new one is covered.
    """
    import inspect
    from importlib import import_module

    out = {}
    for mod_name in SWEEP_MODULES:
        module = import_module(f"uprlib.analysis.{mod_name}")
        for name, func in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or func.__module__ != module.__name__:
                continue
            params = [p for p in inspect.signature(func).parameters.values()
                      if p.default is inspect.Parameter.empty]
            if len(params) == 1 and params[0].name == "review":
                out[f"{mod_name}.{name}"] = func
    return out


def check_review(item: tuple[str, int], processed_dir: Path | None = None) -> dict[str, float]:
    """Build the review and call every function of :func:`review_functions` on it.

    Figure functions (``figure_*``) must return a Figure or None (nothing to draw); figures
    are closed. Returns seconds per function; raises the first error, naming the function.
    """
    import matplotlib.pyplot as plt

    from uprlib.output.review import Review

    country, cycle = item
    review = Review(country, cycle, processed_dir)
    timings: dict[str, float] = {}
    for name, func in review_functions().items():
        t0 = time.perf_counter()
        try:
            result = func(review)
        except Exception as err:
            raise type(err)(f"{name} failed for {review.slug}: {err}") from err
        finally:
            timings[name] = time.perf_counter() - t0
        if name.split(".")[1].startswith("figure_"):
            if result is not None and not isinstance(result, plt.Figure):
                raise TypeError(f"{name} returned {type(result).__name__} for {review.slug}")
            if result is not None:
                plt.close(result)
    return timings


def all_reviews(processed_dir: Path | None = None) -> list[tuple[str, int]]:
    """Every (state under review, cycle) in the data."""
    recs = all_recommendations(processed_dir)
    pairs = recs[["sur_iso3", "cycle"]].drop_duplicates().sort_values(["cycle", "sur_iso3"])
    return [(str(s), int(c)) for s, c in pairs.itertuples(index=False)]


def review_sizes(processed_dir: Path | None = None) -> pd.Series:
    """State-level rows of each (state, cycle) review, from its preferred source."""
    frames = [cycle_rows(c, processed_dir) for c in
              sorted(int(c) for c in all_recommendations(processed_dir)["cycle"].unique())]
    recs = pd.concat(frames, ignore_index=True)
    return recs.groupby(["sur_iso3", "cycle"]).size().astype(np.int64)


def sweep(cycle: int | None = None, countries: str | Sequence[str] | None = None,
          workers: int | None = None, progress: bool = True,
          processed_dir: Path | None = None) -> tuple[dict, dict]:
    """:func:`check_review` for every review in the data (or one cycle, or some countries)
    in a process pool; returns ``(timings per review, failures per review)``."""
    items = all_reviews(processed_dir)
    if cycle is not None:
        items = [(s, c) for s, c in items if c == int(cycle)]
    if countries is not None:
        wanted = set(resolve_countries(countries, int(cycle), processed_dir)) if cycle \
            else {resolve_country(x) for x in (countries.split(",") if isinstance(countries, str)
                                               else countries) if x.strip()}
        items = [(s, c) for s, c in items if s in wanted]
    job = partial(check_review, processed_dir=processed_dir)
    return run_many(items, job, workers=workers, progress=progress, desc="check reviews")
