"""One job of the workflow in a process of its own: ``python -m uprlib.pipeline.jobs STEP ...``.

Every rule of ``workflow/Snakefile`` runs its step through this module, which only calls the
library function of that step (fetch, prepare, one notebook by papermill, one paper, one
cross-country summary) and then records what the step wrote in a manifest
(:mod:`uprlib.pipeline.manifest`).

Stopping: on SIGINT or SIGTERM the job first ends its own children (the notebook's kernel,
pandoc, Quarto, Typst), then exits, so the ``finally`` of every atomic write removes its
temporary file and Snakemake deletes the job's outputs. A watchdog thread does the same when
the process that started the build dies (``uprlib`` killed with SIGKILL; set in
``$UPRLIB_WATCH`` as ``host:pid:start time``, else the parent process), so no orphaned job
goes on writing outputs.

Reporting: the job prints one line when it ends (done, or the error in one line) and, when
``$UPRLIB_RUN_LOG`` names a file, appends a JSON record there, which the driver
(:mod:`uprlib.pipeline.workflow`) reads to tell which review failed and why.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

WATCH_ENV = "UPRLIB_WATCH"
RUN_LOG_ENV = "UPRLIB_RUN_LOG"
WATCH_SECONDS = 0.5


def _kill_children(grace: float = 3.0) -> None:
    """Terminate every process this job started (recursively), then kill what is left."""
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        try:
            child.terminate()
        except psutil.NoSuchProcess:
            pass
    _gone, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


def _on_signal(signum: int, _frame) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _kill_children()
    raise KeyboardInterrupt(signal.Signals(signum).name)


def watched_process() -> tuple[int, float] | None:
    """The (pid, start time) whose death ends this job, or None when not on this host."""
    import psutil

    spec = os.environ.get(WATCH_ENV)
    if spec:
        host, pid, started = spec.rsplit(":", 2)
        if host != socket.gethostname():
            return None  # a cluster node: the scheduler ends the job
        return int(pid), float(started)
    parent = psutil.Process().parent()
    return (parent.pid, parent.create_time()) if parent else None


def _watchdog(pid: int, started: float) -> None:
    import psutil

    while True:
        time.sleep(WATCH_SECONDS)
        try:
            alive = psutil.Process(pid).create_time() == started
        except psutil.NoSuchProcess:
            alive = False
        if not alive:
            os.kill(os.getpid(), signal.SIGTERM)
            return


def _guard() -> None:
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    watched = watched_process()
    if watched:
        threading.Thread(target=_watchdog, args=watched, daemon=True).start()


def _record(**fields) -> None:
    path = os.environ.get(RUN_LOG_ENV)
    if not path:
        return
    line = json.dumps(fields, ensure_ascii=False) + "\n"
    # one short append per job: O_APPEND keeps concurrent jobs' lines whole
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode("utf-8"))
    finally:
        os.close(fd)


# --- the steps ------------------------------------------------------------------------------

def _fetch(args: argparse.Namespace) -> str:
    from uprlib.workspace.fetch import fetch_all

    paths = fetch_all(progress=False)
    return f"{len(paths)} raw files verified"


def _prepare(args: argparse.Namespace) -> str:
    from uprlib.load.prepare import prepare_all
    from uprlib.workspace.atomic import sweep
    from uprlib.workspace.paths import PROCESSED_FILES

    from . import manifest

    out = Path(args.out)
    sweep(out)  # temporary files of a prepare that was killed outright
    written = prepare_all(out)
    undeclared = sorted(set(written) - set(PROCESSED_FILES))
    if undeclared:
        from uprlib.errors import UsageError

        raise UsageError(f"prepare wrote {', '.join(undeclared)}, which the workflow does not "
                         "declare: add them to PROCESSED_FILES in uprlib/workspace/paths.py")
    manifest.write(Path(args.manifest), written.values())
    return f"wrote {len(written)} tables to {out}"


def _notebook(args: argparse.Namespace) -> str:
    from uprlib.workspace.atomic import sweep

    from . import manifest
    from .runner import execute_notebook, notebook_dir, written_files

    out = Path(args.output)
    target = out / "notebooks" / f"{args.name}.ipynb"
    for folder in ("figures", "tables", "notebooks"):
        sweep(out / folder)
    params = {"country": args.country, "cycle": args.cycle,
              "processed_dir": args.processed, "output_dir": str(out)}
    if args.name == "audit":
        params["report"] = args.report
    execute_notebook(notebook_dir() / f"{args.name}.ipynb", target, params)
    manifest.write(Path(args.manifest), [target, *written_files(target)])
    return f"notebook {args.name} executed"


def _paper(args: argparse.Namespace) -> str:
    from uprlib.output.review import Review
    from uprlib.paper import assemble, paper_dir, render
    from uprlib.workspace.atomic import sweep

    from . import manifest

    out = Path(args.output)
    review = Review(args.country, args.cycle, args.processed, out)
    folder = paper_dir(review)
    sweep(folder)
    names = args.notebooks.split(",")
    notebooks = {n: out / "notebooks" / f"{n}.ipynb" for n in names}
    assemble(review, notebooks, args.renderer)
    rendered = render(folder, args.renderer)
    # everything the paper folder holds (qmd, bibliography, figures, HTML, PDF), temporary
    # and hidden files aside
    written = [p for p in folder.rglob("*") if p.is_file()
               and not any(part.startswith(".") for part in p.relative_to(folder).parts)]
    manifest.write(Path(args.manifest), written)
    return f"paper rendered with {rendered.renderer}: {rendered.html}"


def _summary(args: argparse.Namespace) -> str:
    from uprlib.output.crosscountry import write_summary

    path = write_summary(args.cycle, Path(args.out), Path(args.processed))
    return f"cross-country summary: {path}"


def build_parser() -> argparse.ArgumentParser:
    """The parser of the job steps Snakemake runs, one subcommand per step."""
    p = argparse.ArgumentParser(prog="python -m uprlib.pipeline.jobs", description=__doc__)
    sub = p.add_subparsers(dest="step", required=True)
    sub.add_parser("fetch").set_defaults(func=_fetch)
    pr = sub.add_parser("prepare")
    pr.set_defaults(func=_prepare)
    pr.add_argument("--out", required=True)
    pr.add_argument("--manifest", required=True)
    for name, func in (("notebook", _notebook), ("paper", _paper)):
        q = sub.add_parser(name)
        q.set_defaults(func=func)
        if name == "notebook":
            q.add_argument("name")
            q.add_argument("--report", default="")
        else:
            q.add_argument("--notebooks", required=True)
            q.add_argument("--renderer", required=True)
        q.add_argument("--country", required=True)
        q.add_argument("--cycle", type=int, required=True)
        q.add_argument("--processed", required=True)
        q.add_argument("--output", required=True)
        q.add_argument("--manifest", required=True)
    s = sub.add_parser("summary")
    s.set_defaults(func=_summary)
    s.add_argument("--cycle", type=int, required=True)
    s.add_argument("--processed", required=True)
    s.add_argument("--out", required=True)
    return p


def _what(args: argparse.Namespace) -> tuple[str, str, str]:
    """(step, review slug or "", name) of a job, for its record and its line."""
    review = f"{args.country}-cycle{args.cycle}" if hasattr(args, "country") else ""
    name = getattr(args, "name", "") or (f"cycle{args.cycle}" if args.step == "summary" else "")
    return args.step, review, name


def main(argv: Sequence[str] | None = None) -> int:
    """Run one step; exit 0, 1 (failed, one line on stderr) or 130 (interrupted)."""
    args = build_parser().parse_args(argv)
    _guard()
    step, review, name = _what(args)
    label = " ".join(x for x in (step, name, review) if x)
    t0 = time.perf_counter()
    try:
        message = args.func(args)
    except KeyboardInterrupt:
        _record(step=step, review=review, name=name, ok=False, interrupted=True,
                seconds=round(time.perf_counter() - t0, 2), error="interrupted")
        return 130
    except Exception as err:
        from uprlib.errors import UprlibError

        text = " ".join(str(err).split()) or type(err).__name__
        if not isinstance(err, UprlibError | OSError):
            import traceback

            traceback.print_exc()  # a bug: its traceback belongs in the job's log
            text = f"{type(err).__name__}: {text}"
        _record(step=step, review=review, name=name, ok=False,
                seconds=round(time.perf_counter() - t0, 2), error=text)
        print(f"uprlib {label}: error: {text}", file=sys.stderr, flush=True)
        return 1
    seconds = round(time.perf_counter() - t0, 2)
    _record(step=step, review=review, name=name, ok=True, seconds=seconds, message=message)
    print(f"uprlib {label}: {message} ({seconds:.1f} s)", file=sys.stderr, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
