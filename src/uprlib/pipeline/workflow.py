"""Run ``workflow/Snakefile``: what ``uprlib paper|run|render|prepare|batch`` and ``make all`` call.

:func:`build` runs Snakemake (its command line, in a child process) on the project for some
targets and returns which jobs ran and which failed; :func:`build_papers` builds many
reviews' papers in one run, on all cores or a cluster, and says for each review whether its
paper is done (the function for anything that builds many papers).

What the driver adds to Snakemake:

- One run at a time per project: an exclusive lock on ``.snakemake/uprlib.lock``. A second
  ``uprlib`` run waits for the first (saying so in one line), then finds its outputs up to
  date or redoes what is stale. A ``snakemake`` started by hand on overlapping outputs is
  refused by Snakemake's own lock; a lock left by a run that was killed outright is removed.
- Interrupting (Ctrl-C, SIGTERM) stops Snakemake and every job (each job ends its notebook
  kernel, pandoc, Quarto or Typst itself) and waits for them, so nothing goes on writing;
  Snakemake deletes the outputs of the jobs it stopped. If ``uprlib`` itself is killed
  (SIGKILL), the kernel kills Snakemake too and each job's watchdog stops the job.
- A short view of the run: one line per job from the jobs themselves and Snakemake's progress;
  Snakemake's whole output goes to ``.snakemake/uprlib/last.log``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from uprlib.errors import NoDataError, UprlibError, UsageError
from uprlib.workspace.lock import project_lock as _project_lock
from uprlib.workspace.paths import project_root

from . import layout as L

__all__ = ["BuildResult", "JobRecord", "PaperOutcome", "WorkflowError", "WorkflowLocked",
           "build", "build_notebooks", "build_paper", "build_papers", "prepare", "snakefile",
           "summary"]

STOP_SECONDS = 30  # how long an interrupted run may take to stop its jobs before it is killed


class WorkflowError(UprlibError, RuntimeError):
    """A step of the workflow failed, or Snakemake refused to run."""


class WorkflowLocked(WorkflowError):
    """Another Snakemake run is writing the same outputs."""


@dataclass
class JobRecord:
    """One job that ran: its step, review (``<ISO3>-cycle<N>``, or "" for fetch/prepare)."""

    step: str
    review: str
    name: str
    ok: bool
    seconds: float
    message: str = ""
    error: str = ""
    interrupted: bool = False

    @property
    def label(self) -> str:
        """The job in words: step, name and review."""
        return " ".join(x for x in (self.step, self.name, self.review) if x)


@dataclass
class BuildResult:
    """What one Snakemake run did."""

    returncode: int
    jobs: list[JobRecord] = field(default_factory=list)
    seconds: float = 0.0
    log: Path | None = None
    error: str = ""  # one line, when Snakemake failed outside any job (or a job left none)
    # reviews of jobs Snakemake saw fail (also those killed before they could say why)
    failed_reviews: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        """Whether Snakemake exited without error."""
        return self.returncode == 0

    @property
    def failures(self) -> list[JobRecord]:
        """The jobs that failed."""
        return [j for j in self.jobs if not j.ok]

    def first_error(self) -> str:
        """The first failure in one line (the job's own message, else Snakemake's)."""
        if self.failures:
            j = self.failures[0]
            return f"{j.label} failed: {j.error}"
        return self.error or f"snakemake exited with status {self.returncode}"


@dataclass
class PaperOutcome:
    """Whether one review's paper is done, and where; or the error that stopped it."""

    review: str
    ok: bool
    html: Path
    pdf: Path
    error: str = ""
    rebuilt: bool = False  # False: it was up to date
    renderer: str = ""


def snakefile() -> Path:
    """The project's Snakefile (``workflow/Snakefile``)."""
    return project_root() / "workflow" / "Snakefile"


def _state_dir() -> Path:
    folder = project_root() / ".snakemake" / "uprlib"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _other_snakemake_running(root: Path) -> int | None:
    """Process id of a Snakemake process (not ours) working in ``root``, if any."""
    import psutil

    me = os.getpid()
    for proc in psutil.process_iter(["pid", "cmdline", "cwd"]):
        try:
            cmd = " ".join(proc.info["cmdline"] or [])
            if proc.info["pid"] == me or "snakemake" not in cmd or "uprlib.pipeline.jobs" in cmd:
                continue
            if proc.info["cwd"] and Path(proc.info["cwd"]).resolve() == root.resolve():
                return proc.info["pid"]
        except (psutil.Error, OSError):
            continue
    return None


def _pdeathsig() -> None:
    """In the Snakemake child: get SIGKILL when the driver dies (Linux prctl).

    Not SIGTERM: Snakemake's SIGTERM handler is not reentrant, and a signal that lands while
    its scheduler holds a semaphore's lock deadlocks it for good (seen in the fault tests: a
    Snakemake left asleep in ``JobScheduler.exit_gracefully``, holding the project's outputs).
    Killed outright, it leaves only its lock and incomplete markers, which the next run
    clears; each job's watchdog sees the driver gone and stops the job itself.
    """
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


# lines of Snakemake's output worth showing in the short view
_SHOW = re.compile(r"^(uprlib[ :]|\d+ of \d+ steps)")


def _stop(proc: subprocess.Popen) -> None:
    """SIGTERM to Snakemake and its jobs (one process group); after STOP_SECONDS, SIGKILL to
    whatever is left of the whole tree."""
    import psutil

    try:
        tree = [psutil.Process(proc.pid), *psutil.Process(proc.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        tree = []
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=STOP_SECONDS)
    except subprocess.TimeoutExpired:
        pass
    for p in tree:
        with contextlib.suppress(psutil.Error):
            p.kill()
    proc.wait()


def _read_records(path: Path) -> list[JobRecord]:
    records = []
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                data = json.loads(line)
            except ValueError:
                continue
            records.append(JobRecord(**{k: data.get(k, d) for k, d in (
                ("step", ""), ("review", ""), ("name", ""), ("ok", False), ("seconds", 0.0),
                ("message", ""), ("error", ""), ("interrupted", False))}))
    return records


def _snakemake_error(lines: list[str]) -> str:
    """Snakemake's own error (outside any job) in one line."""
    text = "\n".join(lines)
    if "LockException" in text or "Directory cannot be locked" in text:
        return "locked"
    for i, line in enumerate(lines):
        if re.match(r"^(\w+Exception|WorkflowError|SyntaxError|Error)\b", line.strip()):
            detail = " ".join(x.strip() for x in lines[i:i + 4] if x.strip())
            return " ".join(detail.split())[:500]
    tail = [x.strip() for x in lines if x.strip()]
    return tail[-1][:500] if tail else ""


def _failed_reviews(lines: list[str]) -> set[str]:
    """Reviews named in the wildcards of Snakemake's "Error in rule" blocks ("*" for a job
    of no review, fetch or prepare, which fails every review)."""
    found = set()
    for i, line in enumerate(lines):
        if line.startswith("Error in rule"):
            wildcards = next((x for x in lines[i + 1:i + 15] if "wildcards:" in x), "")
            iso3 = re.search(r"\biso3=([A-Z]{3})", wildcards)
            cycle = re.search(r"\bcycle=(\d+)", wildcards)
            found.add(L.slug(iso3.group(1), cycle.group(1)) if iso3 and cycle else "*")
    return found


def _run_snakemake(args: list[str], env: dict[str, str], echo: bool,
                   log: Path) -> tuple[int, list[str]]:
    """Run Snakemake; show the short view; return (exit status, all its output lines)."""
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(snakefile()), *args]
    lines: list[str] = []
    with open(log, "w", encoding="utf-8") as logfh:
        logfh.write("$ " + " ".join(cmd) + "\n")
        proc = subprocess.Popen(cmd, cwd=project_root(), env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, text=True, bufsize=1,
                                start_new_session=True, preexec_fn=_pdeathsig)
        previous = signal.getsignal(signal.SIGTERM)
        in_main = threading.current_thread() is threading.main_thread()

        def on_term(signum, frame):
            raise KeyboardInterrupt

        if in_main:
            signal.signal(signal.SIGTERM, on_term)
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                logfh.write(line)
                lines.append(line.rstrip("\n"))
                if echo and _SHOW.match(line):
                    print(line.rstrip("\n"), file=sys.stderr, flush=True)
            proc.wait()
        except KeyboardInterrupt:
            if in_main:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # one interrupt is enough
            _stop(proc)
            raise
        finally:
            if in_main:
                signal.signal(signal.SIGTERM, previous)
                signal.signal(signal.SIGINT, signal.default_int_handler)
    return proc.returncode, lines


def _args(cores: int | None, profile: Path | str | None, keep_going: bool, dry_run: bool,
          forcerun: Sequence[str], extra_args: Sequence[str]) -> list[str]:
    """Snakemake's options for :func:`build`."""
    args = ["--cores", str(cores) if cores else "all"]
    if profile:
        args += ["--profile", str(profile)]
    if keep_going:
        args.append("--keep-going")
    if dry_run:
        args.append("--dry-run")
    if forcerun:
        args += ["--forcerun", *forcerun]
    return args + list(extra_args)


def _run_unlocking(args: list[str], env: dict[str, str], echo: bool, log: Path,
                   config_file: str) -> tuple[int, list[str], str]:
    """Run Snakemake; if it finds its lock taken and no other Snakemake works here (the lock
    of a run killed outright), remove the lock and run once more. Returns (status, output
    lines, Snakemake's own error in one line)."""
    code, lines = _run_snakemake(args, env, echo, log)
    error = _snakemake_error(lines) if code else ""
    if error != "locked":
        return code, lines, error
    other = _other_snakemake_running(project_root())
    if other:
        raise WorkflowLocked(f"another snakemake run (pid {other}) is writing these outputs; "
                             "wait for it to finish and run this again")
    _run_snakemake(["--unlock", "--configfile", config_file], env, False, log)
    if echo:
        print("uprlib: removed the lock left by an interrupted run", file=sys.stderr, flush=True)
    code, lines = _run_snakemake(args, env, echo, log)
    error = _snakemake_error(lines) if code else ""
    if error == "locked":
        raise WorkflowLocked("the outputs are locked by another snakemake run; wait for it to "
                             "finish and run this again")
    return code, lines, error


@contextlib.contextmanager
def _kept(files: Sequence[Path], state: Path) -> Iterator[None]:
    """Put back those of ``files`` that the run deleted and did not write again.

    Snakemake deletes a job's outputs when the job starts, so a paper job that fails or is
    interrupted would lose the previous, complete paper. Only the files given come back, not
    the job's record of its outputs (manifest), so the next run still redoes the job.
    """
    backup = Path(tempfile.mkdtemp(prefix="kept.", dir=state))
    saved: dict[Path, Path] = {}
    try:
        for i, path in enumerate(files):
            if Path(path).is_file():
                copy = backup / f"{i}{Path(path).suffix}"
                try:
                    os.link(path, copy)  # the job writes a new file and renames it: no clash
                except OSError:
                    shutil.copy2(path, copy)
                saved[Path(path)] = copy
        yield
    finally:
        for path, copy in saved.items():
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                os.replace(copy, path)
        shutil.rmtree(backup, ignore_errors=True)


def build(targets: Iterable[Path | str] = (), *, cores: int | None = None,
          config: Mapping[str, object] | None = None, forcerun: Sequence[str] = (),
          keep_going: bool = False, dry_run: bool = False, profile: Path | str | None = None,
          extra_args: Sequence[str] = (), echo: bool = True,
          keep: Sequence[Path] = ()) -> BuildResult:
    """Bring ``targets`` (files the Snakefile's rules declare) up to date with Snakemake.

    ``cores``: local jobs in parallel (default: all cores); ``config``: the Snakefile's
    config keys (see its docstring); ``forcerun``: rules whose jobs are redone even if up to
    date; ``keep_going``: go on with independent jobs after one fails; ``profile``: e.g.
    ``workflow/profiles/slurm`` to send the jobs to a cluster; ``echo``: print the short view;
    ``keep``: files put back if the run deletes them and fails to write them again.

    Returns the jobs that ran and how they ended; does not raise when a job fails (see
    :meth:`BuildResult.first_error`), but raises :class:`WorkflowLocked` when another
    Snakemake run holds the outputs and KeyboardInterrupt when interrupted.
    """
    if cores is not None and cores < 1:
        raise UsageError(f"cores must be at least 1 (got {cores})")
    state = _state_dir()
    args = _args(cores, profile, keep_going, dry_run, forcerun, extra_args)
    targets = [str(t) for t in targets]
    run_log = state / f"jobs.{os.getpid()}.jsonl"
    run_log.unlink(missing_ok=True)
    import psutil

    me = psutil.Process()
    env = {**os.environ, "PYTHONUNBUFFERED": "1",
           "UPRLIB_RUN_LOG": str(run_log),
           "UPRLIB_WATCH": f"{socket.gethostname()}:{me.pid}:{me.create_time()}"}
    log = state / "last.log"
    t0 = time.perf_counter()
    cfg_name = ""
    try:
        with _project_lock(echo), _kept(keep, state):
            # written once the lock is held: a run killed while it waits leaves no file behind
            with tempfile.NamedTemporaryFile("w", suffix=".json", dir=state, prefix="config.",
                                             delete=False) as cfg:
                cfg_name = cfg.name
                json.dump(dict(config or {}), cfg)
            args += ["--configfile", cfg_name, *(["--", *targets] if targets else [])]
            code, lines, error = _run_unlocking(args, env, echo, log, cfg_name)
        records = _read_records(run_log)
    finally:
        if cfg_name:
            Path(cfg_name).unlink(missing_ok=True)
        run_log.unlink(missing_ok=True)
    return BuildResult(code, records, round(time.perf_counter() - t0, 2), log, error,
                       _failed_reviews(lines) if code else set())


# --- the front door's builds ----------------------------------------------------------------

def _folders(processed_dir: Path | str | None, output_dir: Path | str | None,
             iso3: str | None = None, cycle: int | None = None) -> dict[str, str]:
    """Config keys for the folders; ``output_dir`` of one review must be ``<ISO3>-cycle<N>``."""
    cfg: dict[str, str] = {}
    if processed_dir:
        cfg["processed_dir"] = str(Path(processed_dir).resolve())
    if output_dir:
        out = Path(output_dir).resolve()
        if iso3 is not None and out.name != L.slug(iso3, cycle or 0):
            raise UsageError(f"output folder {out} must be named {L.slug(iso3, cycle or 0)} "
                             "(the workflow writes each review under outputs/<ISO3>-cycle<N>)")
        cfg["outputs_dir"] = str(out.parent if iso3 is not None else out)
    return cfg


def _iso3(country: str) -> str:
    from uprlib.output.tables import resolve_country

    return resolve_country(country)


def _reviews_in_data(processed: Path) -> set[tuple[str, int]] | None:
    """The (ISO3, cycle) reviews of the prepared table, or None if it cannot be read."""
    import pandas as pd

    try:
        df = pd.read_parquet(processed / "recommendations.parquet", columns=["sur_iso3", "cycle"])
    except (OSError, ValueError, KeyError):  # missing, truncated, not parquet: prepare redoes it
        return None
    return set(zip(df["sur_iso3"], df["cycle"].astype(int), strict=True))


def _missing_reviews(pairs: Sequence[tuple[str, int]], cfg: Mapping[str, object],
                     cores: int | None, echo: bool) -> dict[str, str]:
    """Reviews asked for that the data lacks, each with a one-line reason; checked before
    any notebook runs for them. The tables are brought up to date first when one seems
    missing (``uprlib import`` adds reviews, a fresh clone has no tables yet)."""
    lay = L.Layout.from_config(dict(cfg))
    known = _reviews_in_data(lay.processed)
    if known is None or any(p not in known for p in pairs):
        folder = cfg.get("processed_dir")
        prepare(processed_dir=str(folder) if folder else None, cores=cores, echo=echo)
        known = _reviews_in_data(lay.processed) or set()
    missing = {}
    for iso3, cycle in pairs:
        if (iso3, cycle) in known:
            continue
        cycles = sorted(c for i, c in known if i == iso3)
        where = (f"available cycles: {', '.join(map(str, cycles))}" if cycles
                 else "no review of this state at all")
        missing[L.slug(iso3, cycle)] = (f"no review of {iso3} in cycle {cycle} in the data "
                                        f"({where}; `uprlib reviews` lists them, `uprlib "
                                        "import` adds one)")
    return missing


def _raise_if_failed(result: BuildResult) -> None:
    if not result.ok:
        raise WorkflowError(result.first_error())


def prepare(force: bool = False, processed_dir: Path | str | None = None,
            cores: int | None = None, echo: bool = True) -> BuildResult:
    """Fetch the raw files and build the tables (if stale); raise WorkflowError on failure."""
    cfg = _folders(processed_dir, None)
    lay = L.Layout.from_config(cfg)
    # tables of a failed or interrupted prepare come back, without their record (it reruns)
    result = build([*lay.prepared_files(), lay.prepare_manifest()], cores=cores, config=cfg,
                   forcerun=["prepare"] if force else (), echo=echo,
                   keep=lay.prepared_files())
    _raise_if_failed(result)
    return result


def build_notebooks(country: str, cycle: int, sections: Sequence[str] = L.SECTIONS,
                    processed_dir: Path | str | None = None, output_dir: Path | str | None = None,
                    cores: int | None = None, report: str | None = "default",
                    force: bool = False, echo: bool = True) -> dict[str, Path]:
    """Execute (if stale) the notebooks of one review; return their paths by name."""
    from uprlib.output.curated import require_valid

    require_valid()  # invalid curated tables: refused before any work, naming file and line
    iso3 = _iso3(country)
    cfg = {**_folders(processed_dir, output_dir, iso3, cycle), "report": report or "none"}
    lay = L.Layout.from_config(cfg)
    missing = _missing_reviews([(iso3, int(cycle))], cfg, cores, echo)
    if missing:
        raise NoDataError(next(iter(missing.values())))
    names = [*sections] + ([L.AUDIT] if L.resolve_report(iso3, cycle, cfg["report"]) else [])
    targets = [lay.notebook_manifest(iso3, cycle, n) for n in names]
    result = build(targets, cores=cores, config=cfg, echo=echo,
                   forcerun=["notebook"] if force else ())
    _raise_if_failed(result)
    return {n: lay.notebook(iso3, cycle, n) for n in names}


def build_paper(country: str, cycle: int, renderer: str = "auto",
                report: str | None = "default", processed_dir: Path | str | None = None,
                output_dir: Path | str | None = None, cores: int | None = None,
                force: bool | Sequence[str] = False, echo: bool = True) -> PaperOutcome:
    """Build (if stale) one review's paper and everything it needs; raise on failure.

    ``force``: True redoes the review's notebooks and paper; a list of rules (e.g.
    ``["paper"]``) redoes only those.
    """
    iso3 = _iso3(country)
    cfg = {**_folders(processed_dir, output_dir, iso3, cycle)}
    outcome = build_papers([(iso3, cycle)], cores=cores, keep_going=False, renderer=renderer,
                           report=report, force=force, echo=echo, config=cfg)[L.slug(iso3, cycle)]
    if not outcome.ok:
        raise WorkflowError(outcome.error)
    return outcome


def build_papers(reviews: Iterable[tuple[str, int] | str], cores: int | None = None,
                 keep_going: bool = True, renderer: str = "auto",
                 report: str | None = "default", force: bool | Sequence[str] = False,
                 profile: Path | str | None = None, echo: bool = True,
                 config: Mapping[str, object] | None = None) -> dict[str, PaperOutcome]:
    """Build the papers of many reviews in one Snakemake run; say which succeeded.

    ``reviews``: ``(country, cycle)`` pairs (ISO3 code or name) or ``"<ISO3>-cycle<N>"``
    strings. Jobs of all reviews share the ``cores`` (default: all) or, with ``profile``
    (e.g. ``"workflow/profiles/slurm"``), a cluster. With ``keep_going`` (the default) a
    review that fails does not stop the others. ``force`` redoes the notebooks and papers
    even if up to date (or, given a list of rules such as ``["paper"]``, only those).
    ``report`` applies to every review ("default": each review's own).

    Returns ``{"<ISO3>-cycle<N>": PaperOutcome}`` in the order given: ``ok`` with the HTML and
    PDF paths, or ``ok=False`` with the error in one line. Raises only for an unusable
    argument, a locked project (:class:`WorkflowLocked`) or an interrupt.
    """
    from uprlib.output.curated import require_valid
    from uprlib.paper.render import choose

    require_valid()  # invalid curated tables: refused before any work, naming file and line
    pairs = []
    for item in reviews:
        if isinstance(item, str):
            iso3, _, cyc = item.partition("-cycle")
            if not cyc.isdigit():
                raise UsageError(f"review {item!r} is not of the form <ISO3>-cycle<N>")
            pairs.append((_iso3(iso3), int(cyc)))
        else:
            pairs.append((_iso3(item[0]), int(item[1])))
    pairs = list(dict.fromkeys(pairs))
    cfg = {**dict(config or {}), "renderer": choose(renderer), "report": report or "none"}
    lay = L.Layout.from_config(cfg)
    missing = _missing_reviews(pairs, cfg, cores, echo) if profile is None else {}
    if missing and not keep_going:
        raise NoDataError(next(iter(missing.values())))
    targets = [lay.paper_files(i, c)["manifest"] for i, c in pairs
               if L.slug(i, c) not in missing]
    # a paper that fails or is interrupted leaves the previous one readable (not trusted)
    keep = [lay.paper_files(i, c)[k] for i, c in pairs for k in ("html", "pdf")]
    result = build(targets, cores=cores, config=cfg, keep_going=keep_going, profile=profile,
                   forcerun=_force_rules(force), echo=echo,
                   keep=keep) if targets else BuildResult(0)
    failed: dict[str, str] = dict(missing)
    for job in result.failures:
        key = job.review or "*"  # fetch or prepare: every review
        failed.setdefault(key, f"{job.label} failed: {job.error}")
    outcomes = {}
    for iso3, cycle in pairs:
        s = L.slug(iso3, cycle)
        files = lay.paper_files(iso3, cycle)
        error = failed.get(s) or failed.get("*")
        if not error and not result.ok and (
                not result.failures or s in result.failed_reviews
                or "*" in result.failed_reviews):
            error = result.first_error()  # failed without a record of its own (killed, DAG)
        if not error and not all(p.exists() for p in files.values()):
            error = f"{files['html']} was not written"
        rebuilt = any(j.review == s and j.step == "paper" and j.ok for j in result.jobs)
        outcomes[s] = PaperOutcome(s, not error, files["html"], files["pdf"], error or "",
                                   rebuilt, str(cfg["renderer"]))
    return outcomes


def _force_rules(force: bool | Sequence[str]) -> list[str]:
    if force is True:
        return ["notebook", "paper"]
    return list(force) if force else []


def summary(cycle: int, processed_dir: Path | str | None = None,
            outputs_dir: Path | str | None = None, echo: bool = True) -> Path:
    """Write (if stale) the cross-country summary of ``cycle``; return its path."""
    cfg = _folders(processed_dir, outputs_dir)
    target = L.Layout.from_config(cfg).summary(int(cycle))
    _raise_if_failed(build([target], config=cfg, echo=echo))
    return target
