"""Render ``paper.qmd`` to HTML and PDF: with Quarto when it is installed, else pandoc + Typst.

Quarto renders the paper as a document of the project configured in the repository's
``_quarto.yml`` (HTML with embedded resources, and Typst to PDF). Where ``quarto`` is not on
PATH, the same Markdown goes through pandoc (bundled by the ``pypandoc-binary`` wheel):
cross-references are numbered and linked first (:mod:`uprlib.paper.crossref`), citations are
resolved by pandoc's citeproc, the HTML is one standalone file with embedded images and
styles (its body cleaned by :mod:`uprlib.paper.safe_html`), and the PDF is compiled from
pandoc's Typst output by the ``typst`` package. Both paths refuse a paper with an unresolved
reference or citation, and pandoc warnings (a missing image, an unknown citation) are errors.
Neither needs the network: an HTML page that would load anything remote (a web font, a script
from a CDN; :mod:`uprlib.paper.offline`) is an error and is removed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from uprlib.errors import RenderError, UsageError
from uprlib.workspace.atomic import atomic_path
from uprlib.workspace.paths import project_root

from .bib import GENERATED_FILE, STATIC_FILE, csl_keys
from .crossref import bib_keys, check_citations, check_references, resolve
from .offline import remote_resources
from .safe_html import active_content, sanitize

STYLE = files("uprlib.paper").joinpath("paper.css")
RENDERERS = ("auto", "quarto", "pandoc")


@dataclass
class Rendered:
    """Which renderer made the paper, and the HTML and PDF it wrote."""

    renderer: str
    html: Path
    pdf: Path


def quarto_path() -> str | None:
    """Path of the ``quarto`` executable, or None if it is not on PATH."""
    return shutil.which("quarto")


def choose(renderer: str = "auto") -> str:
    """'quarto' if asked for or found on PATH, else 'pandoc'."""
    if renderer not in RENDERERS:
        raise UsageError(f"unknown renderer {renderer!r}; choose one of {RENDERERS}")
    if renderer == "quarto" and not quarto_path():
        raise RenderError("quarto is not on PATH; install Quarto or use --renderer pandoc")
    if renderer == "auto":
        return "quarto" if quarto_path() else "pandoc"
    return renderer


def check(paper_dir: Path) -> None:
    """Fail before rendering if a cross-reference or citation points at nothing."""
    md = (paper_dir / "paper.qmd").read_text(encoding="utf-8")
    check_references(md)
    keys = bib_keys((paper_dir / STATIC_FILE).read_text(encoding="utf-8"))
    generated = paper_dir / GENERATED_FILE
    if generated.exists():
        keys |= csl_keys(generated.read_text(encoding="utf-8"))
    check_citations(md, keys)


def render(paper_dir: Path, renderer: str = "auto") -> Rendered:
    """Render ``paper_dir/paper.qmd`` into ``paper.html`` and ``paper.pdf`` beside it."""
    paper_dir = Path(paper_dir)
    check(paper_dir)
    used = choose(renderer)
    if used == "quarto":
        _quarto(paper_dir)
    else:
        _pandoc(paper_dir)
    out = Rendered(used, paper_dir / "paper.html", paper_dir / "paper.pdf")
    for path in (out.html, out.pdf):
        if not path.exists():
            raise RenderError(f"{used} finished but {path} is missing")
    remote = remote_resources(out.html.read_text(encoding="utf-8"))
    if remote:
        out.html.unlink()
        raise RenderError(f"{used} wrote an HTML paper that loads {len(remote)} remote "
                          f"resource(s), e.g. {remote[0]}; removed {out.html}")
    return out


def _run(cmd: list[str], cwd: Path, what: str, stdin: str | None = None) -> None:
    """Run a renderer; a non-zero exit is a RenderError carrying the end of its stderr."""
    proc = subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RenderError(f"{what} failed ({proc.returncode}):\n{proc.stderr.strip()[-3000:]}")


def _quarto(paper_dir: Path) -> None:
    """``quarto render`` the paper as part of the repository's Quarto project.

    A paper outside the project (``$UPRLIB_OUTPUTS_DIR`` elsewhere) would lose the project's
    options (section numbers, which its cross-references need, embedded resources): there it
    is rendered as a project of its own, with a copy of ``_quarto.yml`` that renders only it.
    """
    import yaml

    qmd = (paper_dir / "paper.qmd").resolve()
    root = project_root()
    if qmd.is_relative_to(root):
        cwd, target = root, os.path.relpath(qmd, root)
    else:
        config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))
        config.setdefault("project", {})["render"] = [qmd.name]
        with atomic_path(qmd.parent / "_quarto.yml", suffix=".yml") as tmp:
            tmp.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        cwd, target = qmd.parent, qmd.name
    for fmt in ("html", "typst"):
        _run([quarto_path() or "quarto", "render", target, "--to", fmt], cwd,
             f"quarto render --to {fmt}")


def pandoc_path() -> str:
    """Path of the pandoc binary that pypandoc bundles."""
    import pypandoc

    return pypandoc.get_pandoc_path()


def _pandoc_convert(markdown: str, paper_dir: Path, to: str, target: Path,
                    extra: list[str]) -> None:
    cmd = [pandoc_path(), "--from", "markdown", "--to", to, "--standalone", "--citeproc",
           "--number-sections", "--toc", "--toc-depth=2", "--fail-if-warnings",
           "--resource-path", str(paper_dir), *extra, "--output", str(target)]
    _run(cmd, paper_dir, f"pandoc --to {to}", stdin=markdown)


def _pandoc(paper_dir: Path) -> None:
    """Render with pandoc: standalone HTML, and Typst compiled to PDF by the typst package.

    The two are independent, so they run side by side (pandoc is a subprocess).
    """
    from concurrent.futures import ThreadPoolExecutor

    import typst

    md = (paper_dir / "paper.qmd").read_text(encoding="utf-8")

    def html() -> None:
        with atomic_path(paper_dir / "paper.html", suffix=".html") as tmp:
            _pandoc_convert(resolve(md, "html"), paper_dir, "html5", tmp,
                            ["--embed-resources", "--css", str(STYLE)])
            page = sanitize(tmp.read_text(encoding="utf-8"))
            active = active_content(page)
            if active:  # cannot happen after sanitize; checked so a regression cannot ship
                raise RenderError("the HTML paper would hold active content: "
                                  f"{'; '.join(active)}")
            tmp.write_text(page, encoding="utf-8")

    def pdf() -> None:
        typ = paper_dir / ".paper.typ"
        try:
            _pandoc_convert(resolve(md, "typst"), paper_dir, "typst", typ,
                            ["--variable", "papersize=a4", "--variable", "fontsize=10pt"])
            with atomic_path(paper_dir / "paper.pdf", suffix=".pdf") as tmp:
                try:
                    typst.compile(str(typ), output=str(tmp), root=str(paper_dir))
                except Exception as err:  # typst raises its own error types
                    raise RenderError(f"typst failed on {typ}: {err}") from None
        finally:
            typ.unlink(missing_ok=True)

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(html), pool.submit(pdf)]:
            future.result()
