"""Turn an executed section notebook into a chapter of the paper (Quarto-flavoured Markdown).

What goes in: the notebook's Markdown cells as written, and the outputs that
:mod:`uprlib.analysis.show` produced (notes, figures, tables), placed where they were shown. Code,
printed streams (the key-figure JSON, warnings) and the notebook-only figure captions stay
out. A figure's PNG is taken from the executed notebook itself and written next to the paper,
so the paper shows exactly what that run produced.

Figures become ``![caption](figures/<file>){#fig-<name>}`` and tables a pipe table followed by
``: caption {#tbl-<name>}``: the cross-reference syntax Quarto documents (pandoc 3 reads the
table's id the same way), which :mod:`uprlib.paper.crossref` resolves for the pandoc fallback.
Under each figure and table, one line names the notebook and the ``uprlib`` function that made
it (:func:`source_line`; the function is the one :mod:`uprlib.analysis.show` recorded).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from uprlib.errors import NotebookNotPaperReady
from uprlib.output.markup import Markdown, md
from uprlib.workspace.atomic import atomic_path
from uprlib.workspace.paths import project_root


@dataclass
class Chapter:
    """One notebook as Markdown, with the cross-reference labels it defines."""

    name: str
    markdown: str
    figures: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    title: str = ""


def source_line(notebook: str | None, function: str | None) -> Markdown:
    """The line under a figure or table naming the notebook and the function that made it
    (as literal text: a notebook's file name is untrusted)."""
    parts = [part for part in (notebook, function) if part]
    return md("Source: {}", Markdown(" · ").join(parts)) if parts else Markdown("")


def qualified_name(function: Callable[..., Any]) -> str:
    """``module.qualname`` of a function, as a source line names it."""
    return f"{function.__module__}.{function.__qualname__}"


def notebook_name(nb: nbformat.NotebookNode, path: Path) -> str:
    """The project's notebook an executed notebook was run from (papermill's input path),
    relative to the project root; the executed file's own path when it says nothing."""
    source = Path(nb.metadata.get("papermill", {}).get("input_path") or path)
    try:
        return source.resolve().relative_to(project_root()).as_posix()
    except ValueError:
        return source.name


_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*$")


def _label_first_heading(text: str, name: str) -> tuple[str, str]:
    """Give the notebook's level-1 heading the section label ``sec-<name>``."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        m = _HEADING.match(line)
        if m and len(m.group(1)) == 1:
            title = m.group(2)
            if "{#" not in title:
                lines[i] = f"# {title} {{#sec-{name.replace('_', '-')}}}"
            return "\n".join(lines), title
    raise NotebookNotPaperReady(f"notebook {name}: the first Markdown cell needs a '# Title'")


def _figure(meta: dict, data: dict, figures_dir: Path, where: str) -> str:
    png = data.get("image/png")
    if not png:
        raise NotebookNotPaperReady(f"{where}: figure output without a PNG")
    target = figures_dir / Path(meta["file"]).name
    with atomic_path(target, suffix=".png") as tmp:
        tmp.write_bytes(base64.b64decode(png))
    width = min(100, round(100 * float(meta.get("width_in", 7.5)) / 7.5))
    return f"![{meta['caption']}](figures/{target.name}){{#{meta['label']} width={width}%}}"


def _table(meta: dict, data: dict, where: str) -> str:
    md = data.get("text/markdown")
    if not md:
        raise NotebookNotPaperReady(f"{where}: table output without a Markdown copy")
    return f"{md.strip()}\n\n: {meta['caption']} {{#{meta['label']}}}"


def _shown(out: dict, where: str) -> tuple[dict, dict] | None:
    """The ``uprlib`` record and data of one code-cell output, or None for one the paper
    leaves out (printed streams, plain reprs); refuses an error or an uncaptioned output."""
    kind = out.get("output_type")
    if kind == "error":
        raise NotebookNotPaperReady(f"{where} failed: {out.get('ename')}: {out.get('evalue')}")
    if kind == "stream":
        return None  # printed key figures, warnings: notebook-only
    meta = out.get("metadata", {}).get("uprlib")
    data = out.get("data", {})
    if meta is not None:
        return meta, data
    if set(data) <= {"text/plain"}:
        return None  # reprs such as "<Figure ...>" or return values nobody shows
    raise NotebookNotPaperReady(
        f"{where}: output {sorted(data)} was not shown through uprlib.analysis.show, "
        "so the paper cannot caption it; use show.table / show.figure / show.note")


def _code_cell(cell: dict, where: str, ch: Chapter, figures_dir: Path, origin: str) -> list[str]:
    """The paper's blocks for one code cell's outputs; labels are added to ``ch``."""
    blocks: list[str] = []
    for out in cell.get("outputs", []):
        shown = _shown(out, where)
        if shown is None:
            continue
        meta, data = shown
        if meta["kind"] == "note":
            blocks.append(data["text/markdown"].strip())
        elif meta["kind"] == "heading":
            blocks.append(meta["text"])
        elif meta["kind"] == "figure":
            blocks += [_figure(meta, data, figures_dir, where),
                       source_line(origin, meta.get("source"))]
            ch.figures.append(meta["label"])
        elif meta["kind"] == "table":
            blocks += [_table(meta, data, where), source_line(origin, meta.get("source"))]
            ch.tables.append(meta["label"])
        # "caption": the notebook's own caption line; the paper's figure carries it
    return blocks


def chapter(notebook: Path, figures_dir: Path, name: str | None = None) -> Chapter:
    """Read the executed ``notebook`` and return it as a paper chapter.

    Figures are written into ``figures_dir``. Raises NotebookNotPaperReady naming the cell
    for an error output or a rich output that did not go through :mod:`uprlib.analysis.show`.
    """
    notebook = Path(notebook)
    name = name or notebook.stem
    nb = nbformat.read(notebook, as_version=4)
    origin = notebook_name(nb, notebook)
    blocks: list[str] = []
    ch = Chapter(name=name, markdown="")
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            blocks.append(cell.source.strip())
        elif cell.cell_type == "code":
            blocks += _code_cell(cell, f"{notebook.name}, cell {index + 1}", ch, figures_dir,
                                 origin)
    ch.markdown, ch.title = _label_first_heading("\n\n".join(b for b in blocks if b), name)
    return ch
