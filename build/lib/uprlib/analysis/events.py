"""Curated events after a review, shown in the section they bear on under their own title.

An event (China's July 2015 detentions of lawyers and activists, say) is a group of rows of the
curated ``events`` table sharing a title: one row per figure or dated fact, each with its
source. A section notebook calls :func:`show_events`; each event of the review gets a heading
with its title and a table of its facts. Where the review has none, the notebook says what
kind of facts belong there and how to add them.
"""

from __future__ import annotations

import pandas as pd

from uprlib.output.markup import Markdown, md
from uprlib.output.review import Review

from . import show

COLUMNS = ["fact", "value", "unit", "as_of_date", "source"]

# per section: what events belong there (for the note shown when there are none)
BELONGS: dict[str, str] = {
    "access_to_justice": "detentions, disbarment or prosecution of lawyers, pressure on judges, "
                         "denial of access to counsel",
    "civil_society": "detentions or prosecutions of human rights defenders and journalists, "
                     "closures of organisations or media, bans on assemblies",
}


def events(review: Review, section: str) -> list[tuple[str, pd.DataFrame]]:
    """(title, facts) of each curated event of this review shown in ``section``, by date."""
    df = review.curated("events")
    df = df.loc[(df["cycle"] == review.cycle) & (df["section"] == section)]
    if df.empty:
        return []
    first = df.groupby("title", sort=False)["date"].min().sort_values(kind="stable")
    return [(str(title), df.loc[df["title"] == title, COLUMNS].reset_index(drop=True))
            for title in first.index]


def missing_note(review: Review, section: str) -> Markdown:
    """What kind of events belong in ``section`` and how to add them."""
    return md("*No curated events for {}'s cycle {} review in this section yet. They are dated "
              "facts after the review, each with its figures and the document they come from "
              "({}). `uprlib curate --country {} --cycle {}` adds a template row to "
              "data/raw/curated/events.csv to fill in; `uprlib check` validates it.*",
              review.name, review.cycle, BELONGS[section], review.iso3, review.cycle)


def show_events(review: Review, section: str) -> None:
    """Show each event of ``section`` (heading and table of facts), or the note if none."""
    found = events(review, section)
    for i, (title, facts) in enumerate(found, 1):
        show.heading(title, level=3)
        show.table(facts, review, f"{section}_event_{i}", f"{title} (curated)")
    if not found:
        show.note(missing_note(review, section))
