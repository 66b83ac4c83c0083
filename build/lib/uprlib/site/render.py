"""Write the site as a Quarto website project and render it: with Quarto when it is installed,
else each page through pandoc.

The project (``outputs/site/``) is standard Quarto: ``_quarto.yml`` of type ``website`` with a
navbar and search, one ``.qmd`` per page, the index as a listing (``type: table``, sortable
and filterable) of ``reviews.yml``. ``quarto render outputs/site`` renders it.

Without Quarto, pandoc (from the ``pypandoc-binary`` wheel) renders the very same ``.qmd``
files, one standalone HTML file each with its images embedded, a navigation bar, and, on the
index, the same table as HTML made sortable and filterable by DataTables. DataTables is the
bundle that ships inside the ``itables`` wheel (``itables.options.dt_bundle``); the page
carries it inline and imports it from a local blob URL, so nothing is fetched from the
network. Either way the result is ``outputs/site/_site/``, replaced only once complete.
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from importlib.resources import files
from pathlib import Path

import yaml
from tqdm import tqdm

from uprlib.errors import RenderError
from uprlib.paper.render import pandoc_path, quarto_path
from uprlib.paper.safe_html import active_content, sanitize
from uprlib.workspace.atomic import write_text

from .links import check_links
from .pages import NAV, SITE_TITLE, Page
from .text import html

OUTPUT_DIR = "_site"
STYLE = files("uprlib.site").joinpath("site.css")
RESOURCES = ["papers/**", "reviews.csv"]


def quarto_config() -> dict:
    """The ``_quarto.yml`` of the site (documented options only)."""
    return {
        "project": {"type": "website", "output-dir": OUTPUT_DIR, "resources": RESOURCES},
        "website": {
            "title": SITE_TITLE,
            "navbar": {"left": [{"href": p, "text": t} for p, t in NAV.items()]},
            "search": {"location": "navbar", "type": "overlay"},
            "page-navigation": False,
        },
        "execute": {"enabled": False},
        # Nothing from the network, like the paper (see its _quarto.yml): Quarto's own Bootstrap
        # theme with the system font stack (the Bootswatch themes, cosmo among them, @import
        # Google Fonts) and no MathJax from a CDN (the pages have no mathematics). Search,
        # listings, icons and anchors are Quarto's local site_libs/. site.css is the pandoc
        # pages' style only.
        "format": {"html": {"theme": "default", "html-math-method": "plain", "toc": False}},
    }


def front_matter(page: Page) -> str:
    """YAML front matter of a page (title and subtitle are already Markdown-escaped)."""
    meta = {"title": page.title, **({"subtitle": page.subtitle} if page.subtitle else {}),
            "pagetitle": f"{page.title} – {SITE_TITLE}", **page.meta}
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + "---\n\n"


def write_project(site_dir: Path, pages: list[Page], items: list[dict]) -> None:
    """Write ``_quarto.yml``, the style, ``reviews.yml`` and every page's ``.qmd``."""
    header = ("# Quarto website of the UPR atlas, written by `uprlib site`; "
              "`quarto render` here renders it.\n")
    write_text(site_dir / "_quarto.yml",
               header + yaml.safe_dump(quarto_config(), allow_unicode=True, sort_keys=False))
    write_text(site_dir / "site.css", STYLE.read_text(encoding="utf-8"))
    write_text(site_dir / "reviews.yml",
               yaml.safe_dump(items, allow_unicode=True, sort_keys=False))
    for page in pages:
        write_text(site_dir / page.path, front_matter(page) + page.body)


def nav_html(page: Page) -> str:
    """The navigation bar of a page rendered by pandoc (relative links)."""
    links = []
    for path, text in NAV.items():
        href = page.root + str(Path(path).with_suffix(".html"))
        current = ' aria-current="page"' if path == page.path else ""
        links.append(f'<li><a href="{html(href)}"{current}>{html(text)}</a></li>')
    return (f'<header class="site-nav"><nav aria-label="Site">'
            f'<a class="site-title" href="{html(page.root)}index.html">{html(SITE_TITLE)}</a>'
            f'<ul>{"".join(links)}</ul></nav></header>\n')


def datatable_script(table_id: str) -> str:
    """The DataTables library (from the itables wheel) inline, and the one call that makes
    the table ``table_id`` sortable and filterable: a search box over all columns, a menu per
    column to sort or filter by its values, 50 rows a page, horizontal scrolling on narrow
    screens."""
    from itables import options

    bundle = Path(options.dt_bundle)
    js = base64.b64encode(bundle.read_bytes()).decode("ascii")
    css = bundle.with_suffix(".css").read_text(encoding="utf-8")
    return f"""<style>{css}</style>
<script type="module">
// DataTables, as bundled in the itables Python package; imported from this page, offline.
const source = atob("{js}");
const url = URL.createObjectURL(new Blob([source], {{type: "text/javascript"}}));
const {{default: DataTable}} = await import(url);
URL.revokeObjectURL(url);
new DataTable("#{table_id}", {{pageLength: 50, scrollX: true, order: [],
  columnControl: ["order", ["searchList"]], ordering: {{indicators: false}}}});
</script>
"""


def render(site_dir: Path, pages: list[Page], renderer: str, workers: int | None = None,
           progress: bool = False) -> Path:
    """Render the project in ``site_dir`` into ``site_dir/_site`` and check its links; with
    pandoc the new site replaces the old one only when it is complete and sound. Returns the
    folder; raises RenderError naming the first broken link."""
    final = site_dir / OUTPUT_DIR
    if renderer == "quarto":
        _run([quarto_path() or "quarto", "render", str(site_dir)], site_dir, "quarto render")
        _check(final)
        return final
    staging = site_dir / f".{OUTPUT_DIR}.new"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            jobs = pool.map(lambda p: _pandoc_page(site_dir, staging, p), pages)
            list(tqdm(jobs, total=len(pages), desc="pages", unit="page", disable=not progress))
        for resource in ("papers", "reviews.csv"):
            src = site_dir / resource
            if src.is_dir():
                shutil.copytree(src, staging / resource)
            elif src.exists():
                shutil.copy2(src, staging / resource)
        _check(staging)
        old = site_dir / f".{OUTPUT_DIR}.old"
        shutil.rmtree(old, ignore_errors=True)
        if final.exists():
            final.rename(old)
        staging.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return final


def _check(folder: Path) -> None:
    problems = check_links(folder)
    if problems:
        raise RenderError(f"{len(problems)} broken link(s) in the rendered site; first: "
                          f"{problems[0]}")


def _pandoc_page(site_dir: Path, out_dir: Path, page: Page) -> None:
    """One page through pandoc: standalone HTML, images and style embedded, navbar before
    the body and the page's extra HTML (the index table) after it."""
    target = out_dir / page.html_path
    target.parent.mkdir(parents=True, exist_ok=True)
    extras = out_dir / f".{page.html_path.replace('/', '_')}"
    before, after = extras.with_suffix(".before.html"), extras.with_suffix(".after.html")
    before.write_text(nav_html(page), encoding="utf-8")
    after.write_text(page.after_body_html, encoding="utf-8")
    source = site_dir / page.path
    cmd = [pandoc_path(), str(source), "--from", "markdown", "--to", "html5", "--standalone",
           "--embed-resources", "--css", str(site_dir / "site.css"),
           "--include-before-body", str(before), "--include-after-body", str(after),
           "--resource-path", f"{source.parent}{os.pathsep}{site_dir}",
           "--fail-if-warnings", "--output", str(target)]
    try:
        _run(cmd, site_dir, f"pandoc {page.path}")
    finally:
        before.unlink(missing_ok=True)
        after.unlink(missing_ok=True)
    _refuse_active_content(target, page)


def _refuse_active_content(target: Path, page: Page) -> None:
    """The paper's second line of defence (:mod:`uprlib.paper.safe_html`) for the site: a
    page's body is sanitised and must hold nothing that runs; the index may hold its one
    script, the DataTables call written by :func:`datatable_script`."""
    text = target.read_text(encoding="utf-8")
    if not page.after_body_html:
        text = sanitize(text)
        target.write_text(text, encoding="utf-8")
        found = active_content(text)
    else:
        found = active_content(text, allow={"script"})
        scripts = text.count("<script")
        if scripts != page.after_body_html.count("<script"):
            found.append(f"{scripts} <script> elements where the page wrote "
                         f"{page.after_body_html.count('<script')}")
    if found:
        raise RenderError(f"{page.path}: active content in the rendered page: "
                          f"{'; '.join(found[:3])}")


def _run(cmd: list[str], cwd: Path, what: str) -> None:
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RenderError(f"{what} failed ({proc.returncode}): "
                          f"{' '.join(proc.stderr.split())[-2000:]}")
