"""The pages of the site as Quarto Markdown: the index of reviews, one page per state, the
cross-country figures, follow-up across cycles, and a page on the data and method.

A :class:`Page` is front matter plus a Markdown body that Quarto and pandoc read alike (no
Quarto-only syntax in the body; the Quarto listing of the index lives in its front matter and
pandoc ignores it). Every value taken from data passes through :mod:`uprlib.site.text`.
Links between pages point at the ``.html`` files both renderers write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from uprlib.analysis import followup
from uprlib.output.crosscountry import SUMMARY_COLUMNS, coverage
from uprlib.output.review import SOURCE_LABELS

from .data import INDEX_COLUMNS, PaperStatus
from .text import html, md, md_lines

SITE_TITLE = "UPR atlas"
# navigation bar: page path -> label, in order
NAV = {"index.qmd": "Reviews", "crosscountry.qmd": "Cross-country",
       "followup.qmd": "Follow-up", "about.qmd": "Data and method"}


@dataclass
class Page:
    """One page: its path in the site (``states/CHN.qmd``), title, Markdown body, extra front
    matter (Quarto-only options) and, for the pandoc path, HTML to place after the body."""

    path: str
    title: str
    body: str
    subtitle: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    after_body_html: str = ""

    @property
    def html_path(self) -> str:
        """The page's path in the rendered site (``.html``)."""
        return str(Path(self.path).with_suffix(".html"))

    @property
    def root(self) -> str:
        """Relative path from this page to the site root ('' or '../')."""
        return "../" * self.path.count("/")


def state_href(iso3: str, root: str = "") -> str:
    """Link to a state's page."""
    return f"{root}states/{iso3}.html"


def paper_href(status: PaperStatus, root: str = "", fmt: str = "html") -> str:
    """Link to the copy of a built paper inside the site."""
    return f"{root}papers/{status.slug}/paper.{fmt}"


def num(value: Any, digits: int = 1) -> str:
    """``value`` with ``digits`` decimals, or a dash where there is none."""
    return "–" if value is None or pd.isna(value) else f"{float(value):.{digits}f}"


def _number(value: Any) -> float | None:
    """A rate for the listing: a number (so it sorts as one), None where there is none."""
    return None if value is None or pd.isna(value) else round(float(value), 1)


def pipe_table(header: list[str], rows: list[list[str]]) -> str:
    """A pipe table; cells must already be Markdown-safe."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


# --- index ---------------------------------------------------------------------------------

def index_page(index: pd.DataFrame, statuses: dict[tuple[str, int], PaperStatus],
               table_html: str) -> Page:
    """The index: every review in the data, sortable and filterable (a Quarto listing of
    ``reviews.yml``; for pandoc, ``table_html`` after the body)."""
    cycles = sorted(index["cycle"].unique())
    built = sum(s.state == "built" for s in statuses.values())
    failed = sum(s.state == "failed" for s in statuses.values())
    per_cycle = ", ".join(f"{int((index['cycle'] == c).sum())} in cycle {c}" for c in cycles)
    fields = ["title", *[c for c in INDEX_COLUMNS if c != "sur_name"]]
    names = {("title" if k == "sur_name" else k): v for k, v in INDEX_COLUMNS.items()}
    body = f"""Every review of the Universal Periodic Review in the data: {len(index)} reviews of
{index['sur_iso3'].nunique()} states ({per_cycle}). Pick a state for its page, with its
assessment (paper) for each cycle where one has been built ({built} built{
f', {failed} failed' if failed else ''}). Click a column heading to sort; type in the search
box or use a column's menu to filter.

Recommendations are counted two ways: as **paragraphs** of the Working Group report, which
are **official** where the source numbers them (an OHCHR file, a UHRI export, DIHR) and an
**estimate** where
rows with identical text and response are taken for one paragraph (UPR Info), and at **state
level**, once per recommending state. *Accepted* and *category 5* (specific action, UPR Info
action categories) are shares of the state-level recommendations (accepted: of those with a
response; a recommendation supported only in part is not counted as accepted); the *peer
rank* orders the states of the cycle in the data by their acceptance rate, and reads
*response awaited* for a review whose positions are not published yet. The whole table:
[reviews.csv](reviews.csv).

::: {{#reviews}}
:::
"""
    meta = {"listing": {
        "id": "reviews", "contents": "reviews.yml", "type": "table", "fields": fields,
        "field-display-names": names, "sort": ["title", "cycle"], "sort-ui": True,
        "filter-ui": True, "page-size": 50, "table-striped": True, "table-hover": True}}
    return Page("index.qmd", "Reviews", body, subtitle=SITE_TITLE, meta=meta,
                after_body_html=table_html)


def listing_items(index: pd.DataFrame, statuses: dict[tuple[str, int], PaperStatus]
                  ) -> list[dict[str, Any]]:
    """The items of the Quarto listing of the index (``reviews.yml``), one per review."""
    items = []
    for r in index.itertuples():
        status = statuses[(r.sur_iso3, int(r.cycle))]
        if status.state == "built":
            paper = f"[HTML]({paper_href(status)}) [PDF]({paper_href(status, fmt='pdf')})"
        elif status.state == "failed":
            paper = f"[failed]({state_href(r.sur_iso3)}#cycle-{int(r.cycle)})"
        else:
            paper = "not built"
        items.append({
            "title": md(r.sur_name), "path": state_href(r.sur_iso3),
            "sur_iso3": r.sur_iso3, "un_regional_group": md(r.un_regional_group),
            "cycle": int(r.cycle), "year": int(r.year), "paragraphs": int(r.paragraphs),
            "paragraph_count": r.paragraph_count, "state_level": int(r.state_level),
            "acceptance_rate": _number(r.acceptance_rate),
            "action5_share": _number(r.action5_share),
            "acceptance_rank": None if pd.isna(r.acceptance_rank) else int(r.acceptance_rank),
            "peer_rank": r.peer_rank, "paper": paper, "curated": md(r.curated)})
    return items


# --- one state -----------------------------------------------------------------------------

def state_page(iso3: str, rows: pd.DataFrame, statuses: dict[tuple[str, int], PaperStatus]
               ) -> Page:
    """A state's page: its reviews in the data, its papers (or why there is none), its
    curated facts."""
    rows = rows.sort_values("cycle")
    first = rows.iloc[0]
    name = str(first["sur_name"])
    root = "../"
    table = pipe_table(
        ["Cycle", "Year", "Session", "Source", "Recommendations (paragraphs)",
         "Recommendations (state level)", "Accepted (%)", "Category 5 (%)", "Peer rank",
         "Median of the region (%)"],
        [[str(int(r.cycle)), str(int(r.year)), str(int(r.session)), md(r.source),
          f"{int(r.paragraphs)} ({r.paragraph_count})", str(int(r.state_level)),
          num(r.acceptance_rate), num(r.action5_share), md(r.peer_rank),
          num(r.group_median_acceptance_rate)] for r in rows.itertuples()])
    papers = []
    for r in rows.itertuples():
        status = statuses[(iso3, int(r.cycle))]
        papers.append(f"### Cycle {int(r.cycle)} ({int(r.year)}) {{#cycle-{int(r.cycle)}}}\n")
        if status.state == "built":
            papers.append(f"The assessment of this review: [paper (HTML)]"
                          f"({paper_href(status, root)}), [paper (PDF)]"
                          f"({paper_href(status, root, 'pdf')}).\n")
        elif status.state == "failed":
            papers.append("::: {.callout-warning}\nThe paper of this review could not be "
                          "built. The error:\n\n::: {.paper-error}\n" + md_lines(status.error)
                          + "\n:::\n:::\n")
        else:
            papers.append(f"No paper built yet. `uprlib site --cycle {int(r.cycle)} "
                          f"--countries {iso3}` builds it.\n")
    facts = first["curated_tables"]
    if facts:
        fact_text = "Curated facts (committed tables with a source for every row) for " \
            f"{md(name)}: " + "; ".join(f"{md(k)} ({v} rows)" for k, v in facts.items()) + "."
    else:
        fact_text = (f"No curated facts for {md(name)}: the sections that use them (laws, visit "
                     "requests, treaty follow-up) say so in the paper.")
    reviews = ", ".join(f"cycle {int(r.cycle)} ({int(r.year)})" for r in rows.itertuples())
    body = "\n".join([
        f"{md(name)} ({iso3}, {md(first['un_regional_group'])} group) in the data: {reviews}. "
        f"[All reviews](../index.html).\n",
        "## Reviews {#reviews}\n", table, "",
        "## Papers {#papers}\n", *papers,
        "## Curated facts {#curated}\n", fact_text, ""])
    return Page(f"states/{iso3}.qmd", md(name),
                body, subtitle=f"{iso3} · {md(first['un_regional_group'])}")


# --- cross-country -------------------------------------------------------------------------

def figure_md(name: str, caption: str, alt: str, root: str = "") -> str:
    """A figure with its caption (captions are written by the project, not data)."""
    return f"![{caption}]({root}figures/{name}.png){{#fig-{name} fig-alt=\"{alt}\"}}\n"


def crosscountry_page(parts: list[str]) -> Page:
    """The cross-country page from its figure-and-table sections (see :mod:`.build`)."""
    intro = ("Figures computed for all states under review in the data, from the same "
             "cross-country summary as the index. Acceptance is the share of "
             "recommendations accepted, counting each recommendation once per "
             "recommending state.\n\n")
    return Page("crosscountry.qmd", "Cross-country", intro + "\n\n".join(parts))


def followup_page(table: pd.DataFrame, figure: str) -> Page:
    """Follow-up across cycles: the come-back shares of every state with two consecutive
    cycles in the data."""
    if table.empty:
        body = ("No state under review in the chosen cycles has its next review in the data, "
                "so there is nothing to follow up.\n")
        return Page("followup.qmd", "Follow-up across cycles", body)
    t = table.sort_values(["from_cycle", "accepted_come_back_share", "sur_name"],
                          ascending=[True, False, True])
    rows = [[f"[{md(r.sur_name)}]({state_href(r.sur_iso3)})", md(r.un_regional_group),
             f"{int(r.from_cycle)} → {int(r.to_cycle)}", str(int(r.accepted)),
             num(r.accepted_come_back_share), str(int(r.noted)), num(r.noted_come_back_share)]
            for r in t.itertuples()]
    body = "\n".join([
        f"How many of the recommendations a state received in one cycle were made again in "
        f"the next, for the {table['sur_iso3'].nunique()} states with two consecutive "
        "reviews in the data. " + md(" ".join(followup.METHOD.replace("*", "").split())), "",
        figure, "",
        pipe_table(["State", "Region", "Cycles", "Accepted", "Accepted that come back (%)",
                     "Noted", "Noted that come back (%)"], rows), ""])
    return Page("followup.qmd", "Follow-up across cycles", body)


def about_page(cycles: list[int], processed_dir: Path | None, renderer: str) -> Page:
    """Where the data come from, what each column means, and how to rebuild the site."""
    cov = []
    for c in cycles:
        x = coverage(c, processed_dir)
        sessions = (f"session {x['first_session']}" if x["first_session"] == x["last_session"]
                    else f"sessions {x['first_session']}-{x['last_session']}")
        years = (str(x["first_year"]) if x["first_year"] == x["last_year"]
                 else f"{x['first_year']}-{x['last_year']}")
        sources = " and ".join(md(SOURCE_LABELS.get(s, s)) for s in x["sources"])
        cov.append(f"- Cycle {c}: {x['states']} states under review, Working Group "
                   f"{sessions} ({years}), from {sources}.")
    columns = "\n".join(f"- `{k}`: {md(v)}" for k, v in SUMMARY_COLUMNS.items())
    body = "\n".join([
        "## Coverage {#coverage}\n", *cov, "",
        "Peer ranks are among the states of the same cycle in the data (`uprlib reviews "
        "--coverage` lists which sources cover which reviews).\n",
        "## The cross-country summary {#columns}\n",
        "Every number on the site comes from one table computed from the data, one row per "
        "state under review and cycle (`reviews.csv`; `uprlib batch --cycle N` writes the "
        "same table for one cycle). Its columns:\n", columns, "",
        "## Rebuilding {#rebuild}\n",
        "`uprlib site` rebuilds the site from the data; `uprlib site --cycle 2 --countries "
        "CHN,VNM` also builds those papers, `--all` every paper of the cycle. "
        f"This copy was rendered with {md(renderer)}.\n"])
    return Page("about.qmd", "Data and method", body)


def index_table_html(index: pd.DataFrame, statuses: dict[tuple[str, int], PaperStatus],
                     table_id: str = "reviews-table") -> str:
    """The index as a plain HTML table (every cell escaped), for the pandoc path; sort keys
    of the numeric columns in ``data-order`` so that '12 of 112' sorts as 12."""
    head = "".join(f"<th>{html(v)}</th>" for v in INDEX_COLUMNS.values())
    rows = []
    for r in index.itertuples():
        status = statuses[(r.sur_iso3, int(r.cycle))]
        if status.state == "built":
            paper = (f'<a href="{html(paper_href(status))}">HTML</a> '
                     f'<a href="{html(paper_href(status, fmt="pdf"))}">PDF</a>')
        elif status.state == "failed":
            paper = f'<a href="{html(state_href(r.sur_iso3))}#cycle-{int(r.cycle)}">failed</a>'
        else:
            paper = "not built"
        cells = {
            "sur_name": f'<a href="{html(state_href(r.sur_iso3))}">{html(r.sur_name)}</a>',
            "sur_iso3": html(r.sur_iso3), "un_regional_group": html(r.un_regional_group),
            "cycle": str(int(r.cycle)), "year": str(int(r.year)),
            "paragraphs": str(int(r.paragraphs)), "paragraph_count": html(r.paragraph_count),
            "state_level": str(int(r.state_level)),
            "acceptance_rate": num(r.acceptance_rate), "action5_share": num(r.action5_share),
            "peer_rank": html(r.peer_rank), "paper": paper, "curated": html(r.curated)}
        order = {"peer_rank": int(r.acceptance_rank),
                 "acceptance_rate": -1 if pd.isna(r.acceptance_rate) else r.acceptance_rate,
                 "action5_share": -1 if pd.isna(r.action5_share) else r.action5_share}
        tds = "".join(
            f'<td data-order="{order[k]}">{v}</td>' if k in order else f"<td>{v}</td>"
            for k, v in cells.items())
        rows.append(f"<tr>{tds}</tr>")
    return (f'<div class="index-table"><table id="{table_id}" class="display compact">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>\n")
