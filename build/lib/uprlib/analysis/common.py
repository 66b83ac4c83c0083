"""Helpers shared by the section analyses."""

from __future__ import annotations

import pandas as pd

from uprlib.output.review import Review
from uprlib.workspace.text import LIST_SEP

from .themes import select


def response_counts(df: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Accepted, noted, total and acceptance rate (%) per group."""
    t = (
        df.groupby(by, dropna=False)["response"]
        .value_counts()
        .unstack(fill_value=0)
        .reindex(columns=["accepted", "noted"], fill_value=0)
    )
    t["total"] = t["accepted"] + t["noted"]
    t["acceptance_rate"] = (100 * t["accepted"] / t["total"]).round(1)
    return t


def section(review: Review, key: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(state-level rows, paragraph-level rows) of a section, with topics per paragraph."""
    state = select(review.state, key)
    topics = state.groupby("paragraph_key")["topics"].agg(
        lambda s: LIST_SEP.join(sorted({t for x in s for t in x.split(LIST_SEP) if t}))
    )
    para = review.paragraphs.loc[review.paragraphs["paragraph_key"].isin(topics.index)].copy()
    para["topics"] = para["paragraph_key"].map(topics)
    return state, para.reset_index(drop=True)


def topic_counts(para: pd.DataFrame) -> pd.DataFrame:
    """Accepted and noted paragraphs per topic (a paragraph may touch several topics)."""
    exploded = para.assign(topic=para["topics"].str.split(LIST_SEP, regex=False)).explode("topic")
    exploded["topic"] = exploded["topic"].replace("", None).fillna("(theme code or issue only)")
    return response_counts(exploded, "topic").sort_values("total", ascending=False)


def listing(para: pd.DataFrame) -> pd.DataFrame:
    """A readable table of paragraphs: id, states, text, response, topics."""
    cols = ["paragraph_id", "recommending_states", "paragraph_text", "response", "topics"]
    out = para[[c for c in cols if c in para.columns]].copy()
    if out["paragraph_id"].isna().all():
        out = out.drop(columns="paragraph_id")
    return out.rename(columns={"paragraph_text": "text"})


def section_counts(review: Review, key: str) -> dict[str, int | str]:
    """Headline counts every section reports: paragraphs by response and state-level rows."""
    state, para = section(review, key)
    return {
        "country": review.iso3, "cycle": review.cycle,
        "paragraphs": len(para),
        "paragraphs_accepted": int((para["response"] == "accepted").sum()),
        "paragraphs_noted": int((para["response"] == "noted").sum()),
        "state_level": len(state),
    }
