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
    from uprlib.load.prepare import prepare_if_stale

    _curated_valid()
    t0 = time.perf_counter()
    written = prepare_if_stale(force=args.force)
    if written is None:
        print("prepare: tables up to date (code and raw-file checksums unchanged), nothing to do")
    else:
        print(f"wrote {', '.join(sorted(written))} in {time.perf_counter() - t0:.2f} s")
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
    from uprlib.pipeline.runner import run

    t0 = time.perf_counter()
    sections = tuple(args.sections.split(",")) if args.sections else SECTIONS
    done = run(args.country, args.cycle, sections, workers=args.workers,
               report=_report_arg(args.report), force=args.force)
    verb = "up to date:" if done.skipped else "executed"
    print(f"{verb} {len(done)} notebooks ({', '.join(done)}) in "
          f"{time.perf_counter() - t0:.1f} s, in {next(iter(done.values())).parent}")
    return 0


def _report_arg(value: str | None) -> str | None:
    return None if value in (None, "none", "") else value


def _print_paper(result) -> None:
    skipped = f"; up to date, not redone: {', '.join(result.skipped)}" if result.skipped else ""
    print(f"paper {result.review} rendered with {result.renderer}: {result.html} and "
          f"{result.pdf}{skipped}; timings (s): {result.timings}")


def _render(args: argparse.Namespace) -> int:
    from uprlib.pipeline.build import build

    _curated_valid()
    result = build(args.country, args.cycle, renderer=args.renderer, force=args.force,
                   report=_report_arg(args.report), run_notebooks=False)
    _print_paper(result)
    return 0


def _paper(args: argparse.Namespace) -> int:
    from uprlib.load.prepare import prepare_if_stale
    from uprlib.pipeline.build import build
    from uprlib.workspace.fetch import fetch_all

    _curated_valid()
    t0 = time.perf_counter()
    fetch_all(progress=False)
    prepared = prepare_if_stale()
    t1 = time.perf_counter()
    print(f"data: raw files verified, tables "
          f"{'rebuilt' if prepared else 'up to date'} ({t1 - t0:.1f} s)")
    result = build(args.country, args.cycle, renderer=args.renderer, force=args.force,
                   report=_report_arg(args.report), workers=args.workers)
    _print_paper(result)
    print(f"total {time.perf_counter() - t0:.1f} s")
    return 0


def _batch(args: argparse.Namespace) -> int:
    from functools import partial

    from uprlib.load.prepare import prepare_if_stale
    from uprlib.output.crosscountry import resolve_countries, write_summary
    from uprlib.pipeline.batch import failure_report, run_many

    if args.papers:
        _curated_valid()
    t0 = time.perf_counter()
    prepare_if_stale()
    path = write_summary(args.cycle)
    print(f"cross-country summary of cycle {args.cycle}: {path} "
          f"({time.perf_counter() - t0:.1f} s)")
    if not args.papers:
        return 0
    from uprlib.pipeline.build import build_job

    countries = resolve_countries(args.countries, args.cycle)
    t1 = time.perf_counter()
    results, failures = run_many(
        countries, partial(build_job, cycle=args.cycle, renderer=args.renderer),
        workers=args.workers, desc=f"papers cycle {args.cycle}")
    for country in countries:
        if country in results:
            print(f"  {country}: {results[country]}")
    print(f"{len(results)} of {len(countries)} papers in {time.perf_counter() - t1:.1f} s")
    if failures:
        print(failure_report(failures), file=sys.stderr)
        return 1
    return 0


def _site(args: argparse.Namespace) -> int:
    from uprlib.load.prepare import prepare_if_stale
    from uprlib.pipeline.batch import failure_report
    from uprlib.pipeline.site import build_site_with_papers
    from uprlib.workspace.fetch import fetch_all

    t0 = time.perf_counter()
    fetch_all(progress=False)
    prepare_if_stale()
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
                         session=args.session)
    print(result.message)
    return 0


def _lab(args: argparse.Namespace) -> int:
    from uprlib.pipeline.lab import lab

    extra = args.jupyter_args[1:] if args.jupyter_args[:1] == ["--"] else args.jupyter_args
    return lab(port=args.port, open_browser=not args.no_browser, extra=extra)


def build_parser() -> argparse.ArgumentParser:
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
    u.add_argument("--workers", type=int, help="parallel notebooks (default: cores)")
    u.add_argument("--report", default="default",
                   help="report to audit: registry key, text file, 'default' (the one registered "
                        "for the review, if any) or 'none'")
    u.add_argument("--force", action="store_true", help="run even if nothing changed")
    for name, func, text in (
        ("render", _render, "assemble and render the paper from the executed notebooks "
                            "(Quarto if on PATH, else pandoc + Typst)"),
        ("paper", _paper, "whole chain for one review: fetch, prepare, notebooks, paper, into "
                          "outputs/<ISO3>-cycle<N>/paper/"),
    ):
        q = add(name, func, text)
        q.add_argument("--country", default="CHN", help="ISO3 code or name (default CHN)")
        q.add_argument("--cycle", type=int, default=2, help="UPR cycle (default 2)")
        q.add_argument("--renderer", choices=("auto", "quarto", "pandoc"), default="auto",
                       help="auto: Quarto when on PATH, else pandoc + Typst")
        q.add_argument("--report", default="default", help="as for run")
        q.add_argument("--force", action="store_true", help="redo every step")
        q.add_argument("--workers", type=int, help="parallel notebooks (default: cores)")
    b = add("batch", _batch, "cross-country summary of a cycle (outputs/batch-cycle<N>/summary."
                             "csv); with --papers, the listed countries' papers in parallel")
    b.add_argument("--cycle", type=int, required=True, help="UPR cycle")
    b.add_argument("--countries", help="comma-separated ISO3 codes or names (default: all "
                                       "states reviewed in the cycle)")
    b.add_argument("--papers", action="store_true", help="also build each country's paper")
    b.add_argument("--workers", type=int, help="countries in parallel (default: cores)")
    b.add_argument("--renderer", choices=("auto", "quarto", "pandoc"), default="auto")
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
    w.add_argument("--workers", type=int, help="papers in parallel (default: cores)")
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
                                "(.docx) of any review into the user registry; state, cycle "
                                "and session are read from the file")
    im.add_argument("file", help="the Word file downloaded from the state's UPR page")
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
