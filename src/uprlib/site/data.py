"""What the site shows, as tables: every review in the data, each state's curated facts, and
where each review's paper stands (built, failed with an error, or not built).

Every figure comes from the cross-country summary (:func:`uprlib.output.crosscountry.
summary_table`, one vectorised pass per cycle); nothing here is typed in.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from uprlib.output import curated
from uprlib.output.crosscountry import summary_table
from uprlib.output.tables import all_recommendations
from uprlib.workspace.atomic import write_text
from uprlib.workspace.paths import outputs_dir

# the columns of the index, in order: summary column -> heading on the site
INDEX_COLUMNS: dict[str, str] = {
    "sur_name": "State",
    "sur_iso3": "ISO3",
    "un_regional_group": "Region",
    "cycle": "Cycle",
    "year": "Year",
    "paragraphs": "Recommendations (paragraphs)",
    "paragraph_count": "Paragraph count",
    "state_level": "Recommendations (state level)",
    "acceptance_rate": "Accepted (%)",
    "action5_share": "Category 5 (%)",
    "peer_rank": "Peer rank",
    "paper": "Paper",
    "curated": "Curated facts",
}


@dataclass(frozen=True)
class PaperStatus:
    """Where one review's paper stands: built (``html`` set), failed (``error`` set) or not
    built (neither). Paths are absolute; ``error`` is the one-line message of the failure."""

    country: str
    cycle: int
    html: Path | None = None
    pdf: Path | None = None
    error: str | None = None

    @property
    def slug(self) -> str:
        """``<country>-cycle<N>``, as in the paper's folder."""
        return f"{self.country}-cycle{self.cycle}"

    @property
    def state(self) -> str:
        """'built', 'failed' or 'not built'."""
        return "built" if self.html else "failed" if self.error else "not built"


def cycles_in_data(processed_dir: Path | None = None) -> list[int]:
    """Every UPR cycle with reviews in the data."""
    return sorted(int(c) for c in all_recommendations(processed_dir)["cycle"].dropna().unique())


def curated_counts() -> dict[str, dict[str, int]]:
    """For each state with curated facts: the curated tables with rows for it, and how many
    rows each has (every table read and validated once)."""
    out: dict[str, dict[str, int]] = {}
    for name in sorted(curated.SCHEMAS):
        df = curated.load(name)
        column = "country_iso3" if "country_iso3" in df.columns else "country"
        for country, n in df[column].value_counts().sort_index().items():
            out.setdefault(str(country), {})[name] = int(n)
    return out


def review_index(cycles: list[int], processed_dir: Path | None = None) -> pd.DataFrame:
    """One row per review (state, cycle) of ``cycles`` in the data: the cross-country summary
    rows of each cycle, with the peer rank as text and the curated tables of the state."""
    frames = [summary_table(c, processed_dir) for c in cycles]
    t = pd.concat(frames, ignore_index=True)
    t["paragraph_count"] = t["paragraphs_official"].map({True: "official", False: "estimate"})
    t["peer_rank"] = [f"{r} of {n}" if not pd.isna(r) else "response awaited"
                      for r, n in zip(t["acceptance_rank"], t["states_in_cycle"], strict=True)]
    facts = curated_counts()
    t["curated_tables"] = [facts.get(c, {}) for c in t["sur_iso3"]]
    t["curated"] = t["curated_tables"].map(
        lambda d: f"yes ({len(d)} table{'s' if len(d) > 1 else ''})" if d else "no")
    return t.sort_values(["sur_name", "cycle"], ignore_index=True)


# --- papers ------------------------------------------------------------------------------------

ERRORS_FILE = "paper_errors.json"


def paper_paths(country: str, cycle: int) -> tuple[Path, Path, Path]:
    """``paper.html``, ``paper.pdf`` and the manifest the workflow writes when a review's
    paper job completes (``uprlib.pipeline.layout.Layout.paper_files``)."""
    folder = outputs_dir() / f"{country}-cycle{int(cycle)}" / "paper"
    return folder / "paper.html", folder / "paper.pdf", folder / ".paper.outputs.json"


def existing_paper(country: str, cycle: int) -> PaperStatus:
    """The review's paper if a build of it finished (HTML, PDF and manifest present)."""
    html, pdf, stamp = paper_paths(country, cycle)
    if html.exists() and pdf.exists() and stamp.exists():
        return PaperStatus(country, int(cycle), html, pdf)
    return PaperStatus(country, int(cycle))


def paper_statuses(index: pd.DataFrame, site_dir: Path,
                   outcomes: dict[tuple[str, int], PaperStatus]) -> dict[tuple[str, int],
                                                                          PaperStatus]:
    """The status of every review's paper: this run's outcome where a build was asked for,
    else a finished earlier build, else the error an earlier site build recorded (kept in
    ``site_dir/paper_errors.json`` until the paper builds)."""
    previous = _read_errors(site_dir)
    out = {}
    for country, cycle in zip(index["sur_iso3"], index["cycle"], strict=True):
        key = (str(country), int(cycle))
        status = outcomes.get(key) or existing_paper(*key)
        if status.state == "not built" and f"{key[0]}-cycle{key[1]}" in previous:
            status = PaperStatus(*key, error=previous[f"{key[0]}-cycle{key[1]}"])
        out[key] = status
    errors = {s.slug: s.error for s in out.values() if s.error}
    write_text(site_dir / ERRORS_FILE, json.dumps(errors, indent=1, sort_keys=True) + "\n")
    return out


def _read_errors(site_dir: Path) -> dict[str, str]:
    path = site_dir / ERRORS_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}  # a damaged record is only a hint; the next build rewrites it
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}

