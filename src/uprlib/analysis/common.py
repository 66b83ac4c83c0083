"""Helpers shared by the section analyses."""

from __future__ import annotations

from typing import Any

import pandas as pd

from uprlib.output.markup import Markdown, md
from uprlib.output.review import Review
from uprlib.workspace import responses
from uprlib.workspace.text import LIST_SEP

from .themes import select


def response_columns(responses_seen) -> list[str]:
    """The responses a table shows: accepted and noted always, partly supported and pending
    where the data has them, in the vocabulary's order."""
    seen = set(responses_seen)
    return [r for r in responses.RESPONSES if r in responses.BASIC or r in seen]


def acceptance_rate(accepted, responded):
    """Accepted as a share (%) of the recommendations answered (partly supported ones
    included in the denominator, pending ones in none); missing where none was answered."""
    if isinstance(responded, pd.Series):
        return (100 * accepted / responded.where(responded > 0)).astype(float).round(1)
    return round(100 * accepted / responded, 1) if responded else None


def response_counts(df: pd.DataFrame, by: str | list[str]) -> pd.DataFrame:
    """Per group: each response (accepted, noted, and partly supported or pending where the
    data has them), the total, and the acceptance rate (%) of those answered."""
    t = (
        df.groupby(by, dropna=False)["response"]
        .value_counts()
        .unstack(fill_value=0)
        .reindex(columns=response_columns(df["response"]), fill_value=0)
    )
    answered = t[[c for c in t.columns if c in responses.RESPONDED]].sum(axis=1)
    t["total"] = t.sum(axis=1)
    t["acceptance_rate"] = acceptance_rate(t[responses.ACCEPTED], answered)
    return t


def count_figures(df: pd.DataFrame, prefix: str) -> dict[str, int]:
    """``<prefix>_accepted`` and ``<prefix>_noted`` of a table's rows, and
    ``<prefix>_partly_supported`` and ``<prefix>_pending`` where there are any (so the key
    figures of a review with only accepted and noted recommendations stay as they were)."""
    c = df["response"].value_counts()
    out = {f"{prefix}_{responses.KEYS[r]}": int(c.get(r, 0)) for r in responses.BASIC}
    out |= {f"{prefix}_{responses.KEYS[r]}": int(c[r]) for r in responses.EXTRA
            if c.get(r, 0)}
    return out


def responses_phrase(f: dict[str, Any], prefix: str = "paragraphs",
                     total_key: str | None = None) -> Markdown:
    """The responses of key figures ``f`` in words: "12 accepted and 3 noted", "12 accepted,
    2 partly supported and 3 noted", "12 accepted and 3 noted, 4 awaiting a response", or,
    when none has a response yet, "all awaiting the state's response"."""
    def n(r: str) -> int:
        return int(f.get(f"{prefix}_{responses.KEYS[r]}", 0) or 0)

    total = int(f.get(total_key or prefix, 0) or 0)
    if n(responses.PENDING) and n(responses.PENDING) == total:
        return md("all awaiting the state's response")
    given = [md("{} {}", n(r), r) for r in responses.RESPONDED
             if r in responses.BASIC or n(r)]
    text = Markdown(", ").join(given[:-1]) + md(" and {}", given[-1])
    if n(responses.PENDING):
        text += md(", {} awaiting a response", n(responses.PENDING))
    return text


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
        **count_figures(para, "paragraphs"),
        "state_level": len(state),
    }


def selection_note(f: dict[str, Any]) -> Markdown:
    """The sentence a section's notebook opens with: how many paragraphs its rule selects and
    their responses (:func:`section_counts`' figures ``f``)."""
    return md("The rule for this section selects **{}** of the review's recommendation "
              "paragraphs ({} recommendations counted per recommending state): {}.",
              f["paragraphs"], f["state_level"], responses_phrase(f))
