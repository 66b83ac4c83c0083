"""Benchmark: fetch-from-mirror, prepare, one paper and a batch of ten through the workflow.

Run with ``make bench``. Figures are printed, not asserted.
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

from uprlib.load.prepare import build_tables, prepare_all
from uprlib.workspace.fetch import fetch_all, mirror_dirs
from uprlib.workspace.registry import load_registry


def timed(label: str, func, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - t0)
    print(f"{label:<44} best of {repeat}: {best:7.3f} s")
    return best


def import_time() -> None:
    """``import uprlib`` in a fresh interpreter (previously 1.3 s, when it loaded fetch,
    pooch and the Word reader; the public names are now imported on first use)."""
    import subprocess
    import sys

    timed("import uprlib (fresh interpreter)",
          lambda: subprocess.run([sys.executable, "-c", "import uprlib"], check=True))
    timed("import uprlib + its read API (fresh)",
          lambda: subprocess.run([sys.executable, "-c", "import uprlib; "
                                  "uprlib.load_recommendations"], check=True))


def batch_papers(processed: Path, tmp: Path, sample: int = 3) -> None:
    """Papers of many reviews at once, as ``uprlib site --cycle 2 --all`` builds them: time a
    sample of cycle-2 papers (the smallest, a middle and the largest review by state-level
    recommendations) built in parallel on the cores, and extrapolate to every state. The
    extrapolation is printed as such, not measured; then the site over cycle 2."""
    import os

    from uprlib.output.crosscountry import summary_table
    from uprlib.pipeline.site import build_papers
    from uprlib.site import build_site

    os.environ["UPRLIB_OUTPUTS_DIR"] = str(tmp / "batch-outputs")
    t = summary_table(2, processed).sort_values(["state_level", "sur_iso3"], ignore_index=True)
    picks = sorted({round(i * (len(t) - 1) / max(1, sample - 1)) for i in range(sample)})
    reviews = [(str(t.at[i, "sur_iso3"]), 2) for i in picks]
    cores = os.cpu_count() or 1
    t0 = time.perf_counter()
    statuses = build_papers(reviews, renderer="pandoc", progress=False, processed_dir=processed)
    wall = time.perf_counter() - t0
    failed = [f"{s.slug}: {s.error}" for s in statuses.values() if s.error]
    per = wall / len(reviews)
    print(f"{len(reviews)} cycle-2 papers ({', '.join(c for c, _ in reviews)}) in parallel on "
          f"{cores} cores: {wall:7.1f} s, {per:.1f} s a paper"
          + (f"; FAILED: {failed[0]} ({len(failed)} in all)" if failed else ""))
    for n, what in ((len(t), "the cycle-2 states in the data"), (193, "all 193 UN member states")):
        print(f"  extrapolated, not measured: {n} papers ({what}) about {n * per / 60:.0f} min")
    t1 = time.perf_counter()
    build_site([2], statuses, tmp / "site", renderer="pandoc", processed_dir=processed,
               progress=False)
    print(f"site of cycle 2 ({len(t)} reviews) with those papers linked: "
          f"{time.perf_counter() - t1:7.1f} s")


# Before the DIHR and 2018 UPR Info exports were added (issue 10), on the same machine.
PREVIOUS_PREPARE = {"build and validate": 4.5, "prepare": 5.9}


def prepare_by_source() -> None:
    """Each source's reader and canonical step alone, then the cross-check; and prepare in a
    fresh process with its peak resident memory, beside the figures before issue 10."""
    import subprocess
    import sys

    from uprlib.extract import session_years
    from uprlib.load.prepare import build_tables
    from uprlib.transform import canonical
    from uprlib.transform.crosscheck import crosscheck_all
    from uprlib.workspace.fetch import fetch_file
    from uprlib.workspace.registry import by_role

    def paths(role: str) -> list[Path]:
        return [fetch_file(e) for e in by_role(role)]

    years = session_years.read_session_years(paths("session_years")[0])
    timed(f"  OHCHR files ({len(by_role('ohchr_matrix'))} Word files)",
          lambda: [canonical.matrix_table(e, fetch_file(e), years)
                   for e in by_role("ohchr_matrix")])
    timed("  UPR Info 1-20 (5 CSV)", lambda: canonical.uprinfo_table(paths("uprinfo_csv"), years))
    timed("  UPR Info 2018 (7 CSV)",
          lambda: canonical.uprinfo2018_table(paths("uprinfo_2018_csv"), years))
    upr18 = canonical.uprinfo2018_table(paths("uprinfo_2018_csv"), years)
    sessions = canonical.review_sessions(upr18[["sur_iso3", "cycle", "session"]])
    timed("  DIHR explorer (2 xlsx, python-calamine)",
          lambda: canonical.dihr_table(paths("dihr_xlsx"), sessions, years))
    recs = build_tables()["recommendations"]
    timed(f"  cross-check of every pair of sources ({len(recs)} rows)",
          lambda: crosscheck_all(recs))
    per_source = ", ".join(f"{s} {n}" for s, n in recs["source"].value_counts().items())
    print(f"  rows: {per_source}")
    with tempfile.TemporaryDirectory() as out:
        code = ("import sys, time; from pathlib import Path; t0 = time.perf_counter(); "
                "from uprlib.load.prepare import prepare_all; prepare_all(Path(sys.argv[1])); "
                "print(f'{time.perf_counter() - t0:.2f}')")
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        run = subprocess.run([sys.executable, "-c", code, out], check=True, capture_output=True,
                             text=True)
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    note = "" if peak > before else " (at most)"
    print(f"{'prepare all sources, fresh process':<44} {float(run.stdout):7.3f} s, peak "
          f"resident memory {peak / 1024:.0f} MB{note}; before issue 10: "
          f"{PREVIOUS_PREPARE['prepare']} s (build {PREVIOUS_PREPARE['build and validate']} s)")


PREVIOUS_PAPER_SECONDS = 29  # one paper from prepared tables before the workflow (process pool)
BATCH = ("VNM", "CUB", "NOR", "FRA", "BRA", "IND", "ZAF", "MEX", "JPN", "PER")


def breakdown(outputs: Path, review: str) -> None:
    """Snakemake's benchmark: files of one review's jobs: wall seconds and peak memory each."""
    import csv

    rows = []
    for tsv in sorted((outputs / "benchmarks" / review).glob("*.tsv")):
        with open(tsv, newline="") as fh:
            rec = next(csv.DictReader(fh, delimiter="\t"))
        rows.append((tsv.stem, float(rec["s"]), rec.get("max_rss", "-")))
    for name, seconds, rss in sorted(rows, key=lambda r: -r[1]):
        print(f"    {name:<32} {seconds:6.1f} s   max RSS {rss} MB")


def papers(tmp: Path, processed: Path) -> None:
    """Papers through the workflow, from prepared tables: China alone (all cores), again with
    nothing changed, and a batch of 10 reviews on 2 cores; per-job breakdown from Snakemake's
    benchmark: files."""
    from uprlib.pipeline.workflow import build_paper, build_papers

    out = tmp / "outputs"
    china = out / "CHN-cycle2"
    t = timed("paper CHN cycle 2 from prepared tables (workflow, all cores)",
              lambda: build_paper("CHN", 2, renderer="pandoc", processed_dir=processed,
                                  output_dir=china, force=True, echo=False), repeat=1)
    print(f"{'':<44} before the workflow: {PREVIOUS_PAPER_SECONDS} s per paper "
          f"({PREVIOUS_PAPER_SECONDS / t:.1f}x)")
    breakdown(out, "CHN-cycle2")
    timed("paper again, nothing changed (workflow)",
          lambda: build_paper("CHN", 2, renderer="pandoc", processed_dir=processed,
                              output_dir=china, echo=False))
    t0 = time.perf_counter()
    outcomes = build_papers([(c, 2) for c in BATCH], cores=2, renderer="pandoc", echo=False,
                            config={"processed_dir": str(processed), "outputs_dir": str(out)})
    t = time.perf_counter() - t0
    ok = sum(o.ok for o in outcomes.values())
    print(f"{'batch of 10 cycle-2 papers on 2 cores':<44} {t:7.1f} s ({ok} built): "
          f"{t / len(BATCH):.1f} s per paper (before: {PREVIOUS_PAPER_SECONDS} s)")
    for o in outcomes.values():
        if not o.ok:
            print(f"    {o.review} failed: {o.error}")


def main() -> None:
    print(f"mirrors: {[str(m) for m in mirror_dirs()]}")
    import_time()
    entries = load_registry()
    size = sum(e.size for e in entries) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        import os

        def cold_fetch():
            raw = Path(tmp) / "raw"
            shutil.rmtree(raw, ignore_errors=True)
            os.environ["UPRLIB_RAW_DIR"] = str(raw)
            fetch_all(entries, progress=False)

        timed(f"fetch {len(entries)} files ({size:.1f} MB) from mirror", cold_fetch)
        timed("fetch again (all verified in place)", lambda: fetch_all(entries, progress=False))
        timed("build and validate all tables (in memory)", build_tables)
        timed("prepare (build + atomic write)", lambda: prepare_all(Path(tmp) / "out"))
        prepare_by_source()
        out = Path(tmp) / "out"
        papers(Path(tmp), out)
        from uprlib.output import crosscountry

        def uncached_summary(cycle: int) -> None:
            crosscountry._summary.cache_clear()  # time the computation, not the memo
            crosscountry.summary_table(cycle, processed_dir=out)

        for cycle in (1, 2):
            timed(f"cross-country summary, all states, cycle {cycle}",
                  lambda c=cycle: uncached_summary(c))
        batch_papers(out, Path(tmp))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
