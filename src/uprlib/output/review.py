"""One review (state under review, cycle) and the tables every section starts from."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from uprlib.workspace import responses
from uprlib.workspace.paths import outputs_dir

from . import curated
from .markup import Markdown, md
from .tables import load_recommendations, resolve_country, to_paragraphs

SOURCE_LABELS = {
    "ohchr_matrix": "the OHCHR matrix of recommendations (A/HRC Working Group report and addendum)",
    "uhri": "OHCHR's Universal Human Rights Index (an export imported by the researcher)",
    "dihr": "the Danish Institute for Human Rights' SDG-Human Rights Data Explorer",
    "upr_info_2018": "the UPR Info database of recommendations (export of July 2018)",
    "upr_info": "the UPR Info database of recommendations (export of sessions 1-20)",
}


@dataclass
class Review:
    """The recommendations to one state in one cycle, and where its outputs go.

    Creating a Review checks at once that the state and cycle are in the data and fails with
    a message listing what is available.
    """

    country: str
    cycle: int
    processed_dir: Path | None = None
    output_dir: Path | None = None

    def __post_init__(self) -> None:
        self.iso3 = resolve_country(self.country)
        self.cycle = int(self.cycle)
        self.processed_dir = Path(self.processed_dir) if self.processed_dir else None
        # loading the state-level rows checks the review exists and picks its source
        self.state = load_recommendations(self.iso3, self.cycle, "state",
                                          folder=self.processed_dir)
        self.source = str(self.state["source"].iloc[0])
        self.output_dir = Path(self.output_dir or outputs_dir() / self.slug)

    @property
    def slug(self) -> str:
        """``<ISO3>-cycle<N>``, as in the review's output folder."""
        return f"{self.iso3}-cycle{self.cycle}"

    @cached_property
    def paragraphs(self) -> pd.DataFrame:
        """Paragraph-level recommendations (a view of ``state``)."""
        return to_paragraphs(self.state)

    @property
    def name(self) -> str:
        """UN short name of the state under review."""
        return str(self.state["sur_name"].iloc[0])

    @property
    def year(self) -> int:
        """Year of the review."""
        return int(self.state["year"].iloc[0])

    @property
    def label(self) -> str:
        """E.g. "China, cycle 2 (2013)"."""
        return f"{self.name}, cycle {self.cycle} ({self.year})"

    def review_date(self) -> pd.Timestamp | None:
        """Day of the review if curated, else None."""
        d = curated.load("review_dates", self.iso3)
        d = d.loc[d["cycle"] == self.cycle]
        return None if d.empty else pd.Timestamp(d["review_date"].iloc[0])

    def curated(self, name: str) -> pd.DataFrame:
        """This state's rows of a curated table (may be empty)."""
        return curated.load(name, self.iso3)

    @property
    def source_label(self) -> str:
        """The data source in words."""
        return SOURCE_LABELS.get(self.source, self.source)

    def paragraph_note(self) -> str:
        """Where the paragraph count comes from: the report's paragraph numbers, or (where
        the source has none) an estimate by grouping identical texts, said as such."""
        numbered = self.state["paragraph_id"].notna()
        if numbered.all():
            return "Paragraphs are those of the Working Group report, by their numbers."
        grouping = ("rows with the same text and response are counted as one paragraph, an "
                    "estimate that is not the official count of the Working Group report")
        if not numbered.any():
            return f"The source gives no paragraph numbers for this review: {grouping}."
        return (f"{int((~numbered).sum())} of {len(numbered)} recommendations have no "
                f"paragraph number in the source: for them, {grouping}.")

    @cached_property
    def response_counts(self) -> dict[str, int]:
        """Paragraphs by response, every value of the vocabulary (zero where none)."""
        c = self.paragraphs["response"].value_counts()
        return {r: int(c.get(r, 0)) for r in responses.RESPONSES}

    @property
    def pending(self) -> bool:
        """Whether the state's response to this review is still awaited (no paragraph has a
        position yet)."""
        return self.response_counts[responses.PENDING] == len(self.paragraphs)

    def response_note(self) -> str:
        """What the source says of the responses when some are not simply accepted or noted:
        awaited (none published yet, or some), partly supported."""
        c, n = self.response_counts, len(self.paragraphs)
        notes = []
        if self.pending:
            notes.append(f"The response of {self.name} is awaited: the source gives no position "
                         "on any recommendation yet, so nothing is counted as accepted or noted.")
        elif c[responses.PENDING]:
            notes.append(f"{c[responses.PENDING]} of {n} recommendation paragraphs have no "
                         "published response yet (pending); rates are of those answered.")
        if c[responses.PARTLY_SUPPORTED]:
            notes.append(f"{c[responses.PARTLY_SUPPORTED]} of {n} paragraphs were supported in "
                         "part and noted in part; they are counted apart, as partly supported, "
                         "not as accepted.")
        return " ".join(notes)

    def data_note(self) -> Markdown:
        """One line naming the review, where its recommendations come from, how its
        paragraphs are counted, and whether responses are awaited or partial."""
        note = self.response_note()
        return md("**{}**. Recommendations and responses from {}. {}{}", self.label,
                  self.source_label, self.paragraph_note(), f" {note}" if note else "")

    def no_data_note(self, what: str) -> Markdown:
        """The note a notebook shows (in italics) where a curated table has no rows for this
        state."""
        return md("*No curated {} for {} yet. `uprlib curate --country {} --cycle {}` adds "
                  "template rows to the tables in data/raw/curated/ to fill in, each with the "
                  "document it comes from; `uprlib check` validates them.*", what, self.name,
                  self.iso3, self.cycle)
