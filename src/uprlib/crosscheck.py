"""Cross-check the two sources of one review: the OHCHR matrix against UPR Info.

Rows are paired within the same recommending state by text similarity (greedy, best pair
first, at least ``MIN_SIMILARITY``). Each pair is classed ``agree`` or ``response_differs``;
rows left unpaired are ``only_matrix`` or ``only_uprinfo``.
"""

from __future__ import annotations

import pandas as pd

from .text import similarity

MIN_SIMILARITY = 0.6
COLUMNS = ["review", "status", "recommending_iso3", "paragraph_id", "matrix_response",
           "uprinfo_response", "similarity", "matrix_text", "uprinfo_text", "matrix_rec_id",
           "uprinfo_rec_id"]


def crosscheck(matrix: pd.DataFrame, upr: pd.DataFrame, review: str = "") -> pd.DataFrame:
    """Pair the state-level rows of one review from both sources and class each."""
    rows = []
    for state in sorted(set(matrix["recommending_iso3"].dropna()) | set(upr["recommending_iso3"]
                                                                        .dropna())):
        m = matrix.loc[matrix["recommending_iso3"] == state]
        u = upr.loc[upr["recommending_iso3"] == state]
        scores = sorted(
            ((similarity(mt, ut), i, j)
             for i, mt in zip(m.index, m["text"], strict=True)
             for j, ut in zip(u.index, u["text"], strict=True)),
            reverse=True,
        )
        used_m, used_u = set(), set()
        for score, i, j in scores:
            if score < MIN_SIMILARITY:
                break
            if i in used_m or j in used_u:
                continue
            used_m.add(i)
            used_u.add(j)
            mr, ur = m.at[i, "response"], u.at[j, "response"]
            rows.append([review, "agree" if mr == ur else "response_differs", state,
                         m.at[i, "paragraph_id"], mr, ur, round(score, 3), m.at[i, "text"],
                         u.at[j, "text"], m.at[i, "rec_id"], u.at[j, "rec_id"]])
        for i in m.index.difference(list(used_m)):
            rows.append([review, "only_matrix", state, m.at[i, "paragraph_id"],
                         m.at[i, "response"], None, None, m.at[i, "text"], None,
                         m.at[i, "rec_id"], None])
        for j in u.index.difference(list(used_u)):
            rows.append([review, "only_uprinfo", state, None, None, u.at[j, "response"], None,
                         None, u.at[j, "text"], None, u.at[j, "rec_id"]])
    # rows whose recommending state is unknown cannot be paired and are listed as such
    for j in upr.index[upr["recommending_iso3"].isna()]:
        rows.append([review, "only_uprinfo", None, None, None, upr.at[j, "response"], None, None,
                     upr.at[j, "text"], None, upr.at[j, "rec_id"]])
    return pd.DataFrame(rows, columns=COLUMNS)


def crosscheck_all(recs: pd.DataFrame) -> pd.DataFrame:
    """Cross-check every review present in both sources."""
    keys = recs.groupby(["sur_iso3", "cycle"])["source"].agg(set)
    frames = []
    for (sur, cycle), sources in keys.items():
        if {"ohchr_matrix", "upr_info"} <= sources:
            sel = recs.loc[(recs["sur_iso3"] == sur) & (recs["cycle"] == cycle)]
            frames.append(crosscheck(sel.loc[sel["source"] == "ohchr_matrix"],
                                     sel.loc[sel["source"] == "upr_info"], f"{sur} cycle {cycle}"))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=COLUMNS)


def borrow_action_categories(recs: pd.DataFrame, cross: pd.DataFrame) -> pd.DataFrame:
    """Give matrix rows the UPR Info action category of the row they were paired with.

    The OHCHR matrix has no action category; UPR Info codes each recommendation 1-5. Only
    paired rows (``agree`` or ``response_differs``) borrow one; the rest stay null.
    """
    paired = cross.loc[cross["status"].isin(["agree", "response_differs"])]
    action = recs.set_index("rec_id")["action_category"]
    borrowed = paired.set_index("matrix_rec_id")["uprinfo_rec_id"].map(action)
    out = recs.copy()
    is_matrix = out["source"] == "ohchr_matrix"
    out.loc[is_matrix, "action_category"] = out.loc[is_matrix, "rec_id"].map(borrowed)
    out["action_category"] = out["action_category"].astype("Int64")
    return out
