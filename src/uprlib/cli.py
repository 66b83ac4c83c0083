"""Command line: ``uprlib fetch | prepare | summary | run | render | paper | batch | site |
reviews | import | curate | check | lab``."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from uprlib.output.sections import SECTIONS

from . import __version__
from .errors import UprlibError, UsageError


def _fetch(args: argparse.Namespace) -> int:
    from uprlib.workspace.fetch import fetch_all

    t0 = time.perf_counter()
    paths = fetch_all(progress=not args.quiet)
    print(f"fetched and verified {len(paths)} raw files in {time.perf_counter() - t0:.2f} s")
    return 0


def _curated_valid() -> None:
    """Refuse invalid curated tables (CuratedDataError); print unfilled template rows."""
    from uprlib.output.curated import require_valid

    for line in require_valid():
        print(f"warning: {line}", file=sys.stderr)


def _check(args: argparse.Namespace) -> int:
    from uprlib.output.curated import TABLES, check

    errors, warnings = check()
    for line in warnings:
        print(f"warning: {line}", file=sys.stderr)
    for line in errors:
        print(f"error: {line}", file=sys.stderr)
    print(f"checked {len(TABLES)} curated tables: {len(errors)} error(s), {len(warnings)} "
          f"template row(s) not filled in")
    return 1 if errors else 0


def _curate(args: argparse.Namespace) -> int:
    from uprlib.output.curated import write_templates
    from uprlib.output.tables import resolve_country

    if args.check:
        return _check(args)
    if not args.country:
        raise UsageError("uprlib curate: --country is required (or --check)")
    for line in write_templates(resolve_country(args.country), args.cycle):
        print(line)
    print("fill in every TODO cell (or delete the rows you do not need), each row citing its "
          "document in `source`; then `uprlib check`")
    return 0


def _prepare(args: argparse.Namespace) -> int:
    from uprlib.pipeline import workflow

    _curated_valid()
    result = workflow.prepare(force=args.force)
    ran = [j for j in result.jobs if j.step == "prepare"]
    if ran:
        print(f"prepare: tables rebuilt in {ran[0].seconds:.1f} s")
    else:
        print("prepare: tables up to date (raw files, code and outputs unchanged), nothing to do")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from uprlib.analysis.summary import overview_figures, section_figures

    if args.section:
        figures = section_figures(args.section, args.country, args.cycle)
    else:
        figures = overview_figures(args.country, args.cycle)
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        for k, v in figures.items():
            print(f"{k:>28}: {v}")
    return 0


def _run(args: argparse.Namespace) -> int:
    from uprlib.pipeline import workflow

    t0 = time.perf_counter()
    sections = tuple(x.strip() for x in args.sections.split(",")) if args.sections else SECTIONS
    unknown = sorted(set(sections) - set(SECTIONS))
    if unknown:
        raise UsageError(f"--sections: unknown section(s) {', '.join(unknown)}; known: "
                         f"{', '.join(SECTIONS)}")
    done = workflow.build_notebooks(args.country, args.cycle, sections, cores=args.workers,
                                    report=args.report, force=args.force)
    print(f"notebooks {', '.join(done)} up to date in {next(iter(done.values())).parent} "
          f"({time.perf_counter() - t0:.1f} s)")
    return 0


def _print_paper(outcome, seconds: float) -> None:
    state = "rebuilt" if outcome.rebuilt else "up to date"
    print(f"paper {outcome.review} {state}: {outcome.html} and {outcome.pdf.name} "
          f"({seconds:.1f} s)")


def _paper(args: argparse.Namespace) -> int:
    """`paper` and `render`: the paper target, with whatever it needs that is stale."""
    from uprlib.pipeline import workflow

    _curated_valid()
    t0 = time.perf_counter()
    force = args.force and (["paper"] if args.command == "render" else True)
    outcome = workflow.build_paper(args.country, args.cycle, renderer=args.renderer,
                                   report=args.report, cores=args.workers, force=force)
    _print_paper(outcome, time.perf_counter() - t0)
    return 0


def _batch(args: argparse.Namespace) -> int:
    from uprlib.output.crosscountry import resolve_countries
    from uprlib.pipeline import workflow

    if args.papers:
        _curated_valid()
    t0 = time.perf_counter()
    path = workflow.summary(args.cycle)
    print(f"cross-country summary of cycle {args.cycle}: {path} "
          f"({time.perf_counter() - t0:.1f} s)")
    if not args.papers:
        return 0
    countries = resolve_countries(args.countries, args.cycle)
    t1 = time.perf_counter()
    outcomes = workflow.build_papers([(c, args.cycle) for c in countries], cores=args.workers,
                                     renderer=args.renderer, force=args.force,
                                     profile=args.profile)
    failed = {s: o for s, o in outcomes.items() if not o.ok}
    for s, o in outcomes.items():
        if o.ok:
            print(f"  {s}: {o.html}")
    print(f"{len(outcomes) - len(failed)} of {len(outcomes)} papers in "
          f"{time.perf_counter() - t1:.1f} s")
    if failed:
        print(f"{len(failed)} failed:", file=sys.stderr)
        for s, o in failed.items():
            print(f"  {s}: {o.error}", file=sys.stderr)
        return 1
    return 0


def _site(args: argparse.Namespace) -> int:
    from uprlib.pipeline import workflow
    from uprlib.pipeline.batch import failure_report
    from uprlib.pipeline.site import build_site_with_papers

    t0 = time.perf_counter()
    workflow.prepare(echo=False)  # raw files and tables, through the workflow
    result = build_site_with_papers(args.cycle, args.countries, args.all, args.renderer,
                                    args.workers, args.out)
    built = sum(s.state == "built" for s in result.statuses.values())
    print(f"site of {result.reviews} reviews ({result.pages} pages, {built} papers linked) "
          f"rendered with {result.renderer}: {result.output / 'index.html'} "
          f"({time.perf_counter() - t0:.1f} s; timings (s): {result.timings})")
    if result.not_in_data:
        print(f"no paper for {', '.join(result.not_in_data)}: not reviewed in cycle(s) "
              f"{', '.join(map(str, sorted({c for _, c in result.statuses})))} in the data "
              "(`uprlib reviews` lists the reviews)", file=sys.stderr)
    if result.failed:
        print(failure_report({f"{c}-cycle{n}": e for (c, n), e in result.failed.items()})
              + "\n(their pages show the error)", file=sys.stderr)
        return 1
    return 0


def _reviews(args: argparse.Namespace) -> int:
    from uprlib.output.tables import coverage, review_sources

    df = coverage() if args.coverage else review_sources()
    if args.json:
        print(df.to_json(orient="records"))
    elif args.markdown:
        from uprlib.analysis.show import markdown_table

        print(markdown_table(df, max_rows=len(df)))
    else:
        print(df.to_string(index=False))
    return 0


def _import(args: argparse.Namespace) -> int:
    from uprlib.load.user_import import import_file

    result = import_file(args.file, country=args.country, cycle=args.cycle,
                         session=args.session, dry_run=args.dry_run, progress=not args.quiet)
    print(result.message)
    return 0


def _lab(args: argparse.Namespace) -> int:
    from uprlib.pipeline.lab import lab

    extra = args.jupyter_args[1:] if args.jupyter_args[:1] == ["--"] else args.jupyter_args
    return lab(port=args.port, open_browser=not args.no_browser, extra=extra)


def _workers(value: str) -> int:
    """--workers: a positive number of jobs at once."""
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a positive whole number of parallel jobs, "
                                         f"not {value!r}")
    return n


def _report(value: str) -> str:
    """--report: 'default', 'none', a registry key, or a non-empty text file (a relative path
    is taken from the current folder, wherever the notebooks run)."""
    from pathlib import Path

    from uprlib.workspace.registry import load_registry

    if value in ("default", "none") or value in {e.key for e in load_registry()}:
        return value
    path = Path(value).expanduser()
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{value} is a folder, not a text file")
    if not path.is_file():
        keys = ", ".join(e.key for e in load_registry() if e.role == "report") or "none"
        raise argparse.ArgumentTypeError(f"{value!r} is neither a registered report (known: "
                                         f"{keys}), 'default', 'none' nor an existing file")
    if path.stat().st_size == 0:
        raise argparse.ArgumentTypeError(f"{value} is empty; nothing to audit")
    data = path.read_bytes()
    try:  # refused now, not by the audit notebook after every other one has run
        data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise argparse.ArgumentTypeError(f"{value} is not UTF-8 text (byte "
                                         f"0x{data[err.start]:02x} at offset {err.start}); "
                                         "give the report's plain text") from None
    return str(path.resolve())


def build_parser() -> argparse.ArgumentParser:
    """The ``uprlib`` argument parser, one subcommand per command."""
    p = argparse.ArgumentParser(prog="uprlib", description=__doc__)
    p.add_argument("--version", action="version", version=f"uprlib {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = p.add_subparsers(dest="command", required=True)

    def add(name: str, func: Callable, help: str) -> argparse.ArgumentParser:
        sp = sub.add_parser(name, help=help, description=help)
        sp.set_defaults(func=func)
        return sp

    f = add("fetch", _fetch, "fetch every raw file by checksum into data/raw/")
    f.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    pr = add("prepare", _prepare, "build the validated tables in data/processed/")
    pr.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    s = add("summary", _summary, "key figures of one review")
    s.add_argument("--country", default="CHN", help="ISO3 code or name (default CHN)")
    s.add_argument("--cycle", type=int, default=2, help="UPR cycle (default 2)")
    s.add_argument("--json", action="store_true", help="print JSON")
    s.add_argument("--section", choices=SECTIONS,
                   help="key figures of one section instead of the data summary")
    u = add("run", _run, "execute the section notebooks (papermill) for one review")
    u.add_argument("--country", default="CHN", help="ISO3 code or name (default CHN)")
    u.add_argument("--cycle", type=int, default=2, help="UPR cycle (default 2)")
    u.add_argument("--sections", help="comma-separated subset of the sections")
    u.add_argument("--workers", type=_workers, help="parallel notebooks (default: cores)")
    u.add_argument("--report", default="default", type=_report,
                   help="report to audit: registry key, text file, 'default' (the one registered "
                        "for the review, if any) or 'none'")
    u.add_argument("--force", action="store_true", help="run even if nothing changed")
    for name, func, text in (
        ("render", _paper, "assemble and render the paper from the executed notebooks "
                           "(Quarto if on PATH, else pandoc + Typst), first running any step it "
                           "needs that is out of date"),
        ("paper", _paper, "whole chain for one review: fetch, prepare, notebooks, paper, into "
                          "outputs/<ISO3>-cycle<N>/paper/"),
    ):
        q = add(name, func, text)
        q.add_argument("--country", default="CHN", help="ISO3 code or name (default CHN)")
        q.add_argument("--cycle", type=int, default=2, help="UPR cycle (default 2)")
        q.add_argument("--renderer", choices=("auto", "quarto", "pandoc"), default="auto",
                       help="auto: Quarto when on PATH, else pandoc + Typst")
        q.add_argument("--report", default="default", type=_report, help="as for run")
        q.add_argument("--force", action="store_true",
                       help="redo the paper (with paper: and the review's notebooks) even if "
                            "up to date")
        q.add_argument("--workers", type=_workers, help="parallel jobs (default: cores)")
    b = add("batch", _batch, "cross-country summary of a cycle (outputs/batch-cycle<N>/summary."
                             "csv); with --papers, the listed countries' papers in parallel")
    b.add_argument("--cycle", type=int, required=True, help="UPR cycle")
    b.add_argument("--countries", help="comma-separated ISO3 codes or names (default: all "
                                       "states reviewed in the cycle)")
    b.add_argument("--papers", action="store_true", help="also build each country's paper")
    b.add_argument("--workers", type=_workers, help="parallel jobs (default: cores)")
    b.add_argument("--renderer", choices=("auto", "quarto", "pandoc"), default="auto")
    b.add_argument("--force", action="store_true",
                   help="redo the listed countries' notebooks and papers even if up to date")
    b.add_argument("--profile", help="a Snakemake profile for the papers' jobs, e.g. "
                                     "workflow/profiles/slurm to run them on a SLURM cluster")
    w = add("site", _site, "the UPR atlas: a website of every review in the data (index, one "
                           "page per state with its papers, cross-country figures) in "
                           "outputs/site/, rendered by Quarto if on PATH, else pandoc")
    w.add_argument("--cycle", type=int, action="append",
                   help="a UPR cycle to include; repeat for several (default: every cycle)")
    which = w.add_mutually_exclusive_group()
    which.add_argument("--countries", help="comma-separated ISO3 codes or names whose papers "
                                           "to build (missing or stale ones only)")
    which.add_argument("--all", action="store_true",
                       help="build the paper of every state reviewed in the cycle(s)")
    w.add_argument("--workers", type=_workers, help="jobs in parallel (default: cores)")
    w.add_argument("--renderer", choices=("auto", "quarto", "pandoc"), default="auto")
    w.add_argument("--out", type=Path, help="site folder (default outputs/site)")
    r = add("reviews", _reviews, "list the reviews in the data: per review the sources that "
                                 "cover it and the one used")
    r.add_argument("--coverage", action="store_true",
                   help="per cycle: states, and the reviews each source covers and is used for")
    fmt = r.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true")
    fmt.add_argument("--markdown", action="store_true", help="a Markdown table")
    im = add("import", _import, "import an OHCHR matrix or thematic list of recommendations "
                                "(.docx) of any review, or an export of the Universal Human "
                                "Rights Index (.xlsx or JSON: one review or every one), into "
                                "the user registry; the reviews are read from the file")
    im.add_argument("file", help="the Word file downloaded from the state's UPR page, or a "
                                 "UHRI export (\"Export to Excel\" on uhri.ohchr.org)")
    im.add_argument("--dry-run", action="store_true",
                    help="read and check the file and say what the import would do; write "
                         "nothing")
    im.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    im.add_argument("--country", help="state under review (ISO3 code or name); must agree "
                                      "with the file, needed if the file does not name it")
    im.add_argument("--cycle", type=int, help="UPR cycle; must agree with the file")
    im.add_argument("--session", type=int, help="Working Group session; must agree with the "
                                                "file, needed if the file does not name it")
    c = add("curate", _curate, "append template rows for a state to the curated tables in "
                               "data/raw/curated/ (existing rows are kept), to fill in")
    c.add_argument("--country", help="ISO3 code or name of the state")
    c.add_argument("--cycle", type=int, help="UPR cycle of the review the rows belong to")
    c.add_argument("--check", action="store_true", help="only check the curated tables")
    add("check", _check, "check every curated table: schema, dates, keys, ISO3 codes, sources "
                         "(errors name the file and line)")
    la = add("lab", _lab, "prepare the tables if stale, then open JupyterLab on notebooks/ "
                          "with this environment's kernel")
    la.add_argument("--port", type=int, help="port (default: JupyterLab's, 8888 or the next free)")
    la.add_argument("--no-browser", action="store_true", help="do not open a browser")
    la.add_argument("jupyter_args", nargs=argparse.REMAINDER,
                    help="after --, arguments for JupyterLab itself (e.g. -- --allow-root)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line: an UprlibError or OSError is printed on one line (exit status 1),
    Ctrl-C exits 130, a bug shows its traceback."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print(f"uprlib {args.command}: interrupted", file=sys.stderr)
        return 130
    except (UprlibError, OSError) as err:  # bad input or environment: one line, no traceback
        if args.verbose:
            raise
        for line in getattr(err, "lines", None) or [_one_line(err)]:
            print(f"uprlib {args.command}: error: {line}", file=sys.stderr)
        return 1
    # anything else is a bug: Python prints its traceback


def _one_line(err: BaseException) -> str:
    """The error's message on one line (tables of failing rows are folded)."""
    return " ".join(str(err).split()) or type(err).__name__


if __name__ == "__main__":
    sys.exit(main())
