"""What a section notebook shows: figures, tables and notes, each saved and labelled.

Every figure or table a notebook shows goes through :func:`figure` or :func:`table`. They save
the file (PNG, or CSV) under the review's output folder, display it in the notebook and
attach a small ``uprlib`` metadata record (kind, cross-reference label, caption, file) to the
output. The paper (:mod:`uprlib.paper`) is assembled from those records, so a figure's caption
and label are written once, here, and mean the same in Jupyter, Quarto and the pandoc fallback.

Labels follow Quarto's cross-reference convention: ``fig-<name>`` and ``tbl-<name>``, with the
file name's underscores as hyphens (``overview_by_group`` -> ``@fig-overview-by-group``).

Text is literal unless marked: a ``str`` passed as a note, caption or table cell is shown as
typed (escaped by :func:`uprlib.output.markup.escape`, the paper's one escaping rule), so data
and file names can never become markup. Markup the project writes is built with
:func:`uprlib.output.markup.md` (``md("**{n}** of {name}", n=3, name=review.name)``), which
escapes the values it is given.

The record also names the ``uprlib`` function that made the figure or table (``source``): the
library function calling show, or else, read from the notebook cell's own code, the call passed
as the first argument (``show.figure(overview.figure_groups(review), ...)``) or the call last
assigned to the variable passed there. The paper prints it under the figure, with the notebook.
"""

from __future__ import annotations

import ast
import base64
import builtins
import sys
from types import FrameType
from typing import TYPE_CHECKING, Any

import pandas as pd

from uprlib.output.markup import Markdown, escape, html, md, plain

from .figures import save_figure, save_table

if TYPE_CHECKING:
    import matplotlib.pyplot as plt

    from uprlib.output.review import Review

# rows of a table shown in the paper; the CSV beside it always has all of them
PAPER_ROWS = 25
# longest cell text shown in the paper's copy of a table
PAPER_CELL_CHARS = 320


def label(kind: str, name: str) -> str:
    """Cross-reference label of a figure (``fig``) or table (``tbl``) saved as ``name``."""
    return f"{kind}-{name.replace('_', '-')}"


def _caption(caption: str, review: Review) -> str:
    """The caption as plain text, naming the review, ending with a full stop."""
    caption = plain(caption).strip().rstrip(". ")
    if review.name not in caption:
        caption = f"{caption}, {review.label}"
    return caption + "."


def _resolve(expr: ast.expr, frame: FrameType) -> Any:
    """The object a dotted name (``overview.figure_groups``) denotes in ``frame``, else None."""
    if isinstance(expr, ast.Attribute):
        owner = _resolve(expr.value, frame)
        return getattr(owner, expr.attr, None) if owner is not None else None
    if isinstance(expr, ast.Name):
        for scope in (frame.f_locals, frame.f_globals, vars(builtins)):
            if expr.id in scope:
                return scope[expr.id]
    return None  # anything else (a call, a subscript) is not followed: no side effects


def _assigned(tree: ast.AST, name: str, line: int) -> ast.expr | None:
    """The value last assigned to ``name`` before ``line`` in ``tree``."""
    found = [node for node in ast.walk(tree) if isinstance(node, ast.Assign)
             and node.lineno < line and len(node.targets) == 1
             and isinstance(node.targets[0], ast.Name) and node.targets[0].id == name]
    return max(found, key=lambda node: node.lineno).value if found else None


def made_by(frame: FrameType) -> str | None:
    """``module.qualname`` of the ``uprlib`` function whose result ``frame`` passes to show.

    ``frame`` is the frame calling :func:`figure` or :func:`table`. When it is a function of
    ``uprlib`` (``events.show_events``), that function is named; otherwise its source (a
    notebook cell, which IPython keeps in ``linecache``) is read with ``executing``. A method
    called on the result (``.head(10)``) is looked through. None when the first argument is
    not the result of a ``uprlib`` function called there.
    """
    import executing

    caller = frame.f_globals.get("__name__", "")
    if caller.split(".")[0] == "uprlib":  # shown by a library function: that function made it
        return f"{caller}.{frame.f_code.co_qualname}"
    ex = executing.Source.executing(frame)
    call = ex.node
    if not isinstance(call, ast.Call) or not call.args:
        return None
    arg = call.args[0]
    if isinstance(arg, ast.Name) and ex.source.tree is not None:
        arg = _assigned(ex.source.tree, arg.id, call.lineno)
    while isinstance(arg, ast.Call):
        func = _resolve(arg.func, frame)
        module = getattr(func, "__module__", None) or ""
        qualname = getattr(func, "__qualname__", None) or ""
        if module.split(".")[0] == "uprlib" and qualname:
            return f"{module}.{qualname}"
        # a method called on a call's result (``overview.by_theme(review).head(10)``)
        arg = arg.func.value if isinstance(arg.func, ast.Attribute) else None
    return None


def _display(data: dict[str, Any], metadata: dict[str, Any]) -> None:
    from IPython.display import display

    display(data, raw=True, metadata={"uprlib": metadata})


def note(text: str | Markdown) -> None:
    """A paragraph computed at run time (shown in the notebook and the paper).

    A ``str`` is shown as typed; :class:`~uprlib.output.markup.Markdown` (from ``md``) as
    Markdown.
    """
    shown = str(text) if isinstance(text, Markdown) else plain(text)
    _display({"text/markdown": escape(text), "text/plain": shown}, {"kind": "note"})


def _missing(missing: str | Markdown | None, default: str, caption: str,
             review: Review) -> Markdown:
    """The note shown in place of an empty figure or table: ``missing`` as it is if it is
    Markdown, else (plain text, or a default) in italics."""
    if isinstance(missing, Markdown):
        return missing
    return md("*{}*", missing or f"{default}: {plain(caption).rstrip('.')} ({review.label}).")


def literal(text: str) -> Markdown:
    """``text`` as Markdown that shows its characters as typed, on one line (the paper's one
    escaping rule, :func:`uprlib.output.markup.escape`)."""
    return escape(plain(text).strip())


def heading(text: str, level: int = 3) -> None:
    """A heading whose text comes from data (shown literally in the notebook and the paper)."""
    heading_md = md("{} {}", Markdown("#" * level), literal(text))
    _display({"text/markdown": heading_md, "text/plain": plain(text)},
             {"kind": "heading", "level": level, "text": heading_md})


def figure(fig: plt.Figure | None, review: Review, name: str, caption: str,
           missing: str | Markdown | None = None) -> None:
    """Save ``fig`` as ``figures/<name>.png`` and show it with its caption.

    ``fig`` is None when the data has nothing to draw; then the note ``missing`` (plain text,
    shown in italics; or a default one) is shown instead, and the paper says so in the
    figure's place. ``caption`` is plain text.
    """
    import matplotlib.pyplot as plt

    if fig is None:
        note(_missing(missing, "No data to draw", caption, review))
        return
    png = save_figure(fig, review.output_dir, name)[0]
    plt.close(fig)
    cap = _caption(caption, review)
    width, height = fig.get_size_inches()
    meta = {"kind": "figure", "label": label("fig", name), "caption": escape(cap),
            "file": f"figures/{png.name}", "width_in": round(float(width), 2),
            "height_in": round(float(height), 2), "source": made_by(sys._getframe(1))}
    _display({"image/png": base64.b64encode(png.read_bytes()).decode("ascii"),  # as saved
              "text/plain": f"<Figure: {cap}>"}, meta)
    _display({"text/markdown": md("*Figure: {}*", cap), "text/plain": f"Figure: {cap}"},
             {"kind": "caption", "label": meta["label"]})


def _cell(value: Any) -> str:
    if value is None or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = plain(value).strip()
    if len(text) > PAPER_CELL_CHARS:
        text = text[: PAPER_CELL_CHARS - 1].rstrip() + "…"
    return text


def _width(cells: list[str]) -> int:
    """Relative width of a column: at least its longest word, else its typical cell length."""
    longest_word = max((len(w) for c in cells for w in c.split()), default=1)
    typical = sorted(len(c) for c in cells)[len(cells) // 2] if cells else 1
    return max(4, longest_word + 3, min(45, typical))


def markdown_table(df: pd.DataFrame, max_rows: int = PAPER_ROWS) -> Markdown:
    """A pipe table of the first ``max_rows`` rows (cells flattened and escaped: literal text).

    The dashes under each header are proportional to the column's longest cell (capped), which
    pandoc and Quarto use as relative column widths when a table is wider than the page.
    """
    shown = df.head(max_rows)
    head = [_cell(str(c).replace("_", " ")) for c in shown.columns]
    body = [[_cell(v) for v in row] for row in shown.itertuples(index=False)]
    numeric = [pd.api.types.is_numeric_dtype(shown[c]) for c in shown.columns]
    widths = [_width([head[i]] + [r[i] for r in body]) for i in range(len(head))]
    rule = ["-" * max(3, w) + (":" if n else "") for w, n in zip(widths, numeric, strict=True)]
    rule = [(":" + r) if not n else r for r, n in zip(rule, numeric, strict=True)]
    sep = Markdown(" | ")
    lines = [md("| {} |", sep.join(head)), md("| {} |", Markdown(" | ".join(rule)))]
    lines += [md("| {} |", sep.join(r)) for r in body]
    return Markdown("\n").join(lines)


def table(df: pd.DataFrame, review: Review, name: str, caption: str,
          missing: str | Markdown | None = None, paper_rows: int = PAPER_ROWS,
          index: bool = False) -> None:
    """Save ``df`` as ``tables/<name>.csv`` and show it with its caption.

    An empty table shows the note ``missing`` (plain text, in italics; or a default one)
    instead. ``caption`` is plain text. The paper shows at most ``paper_rows`` rows and says
    where the full table is.
    """
    if index:
        df = df.reset_index()
    if "country_iso3" in df.columns and set(df["country_iso3"]) == {review.iso3}:
        df = df.drop(columns="country_iso3")  # one state's rows: the column says nothing
    if df.empty:
        note(_missing(missing, "Nothing to list", caption, review))
        return
    path = save_table(df, review.output_dir, name)
    cap = _caption(caption, review)
    if len(df) > paper_rows:
        cap = cap[:-1] + (f" (first {paper_rows} of {len(df)} rows; all rows in "
                          f"tables/{path.name}).")
    meta = {"kind": "table", "label": label("tbl", name), "caption": escape(cap),
            "file": f"tables/{path.name}", "rows": len(df),
            "source": made_by(sys._getframe(1))}
    rows = df.to_html(index=False, max_rows=60, na_rep="", border=0, escape=True)
    _display({"text/html": f"<p><em>Table: {html(cap)}</em></p>{rows}",
              "text/markdown": markdown_table(df, paper_rows),
              "text/plain": df.to_string(max_rows=20, index=False)}, meta)
