"""Cross-check the two sources of one review: the OHCHR matrix against UPR Info.

Rows are paired within the same recommending state by text similarity (greedy, best pair
first, at least ``MIN_SIMILARITY``). Each pair is classed ``agree`` or ``response_differs``;
rows left unpaired are ``only_matrix`` or ``only_uprinfo``.
"""

from __future__ import annotations

import pandas as pd

from uprlib.workspace.text import similarity

MIN_SIMILARITY = 0.6
COLUMNS = ["review", "status", "recommending_iso3", "paragraph_id", "matrix_response",
           "uprinfo_response", "similarity", "matrix_text", "uprinfo_text", "matrix_rec_id",
           "uprinfo_rec_id"]


def _row(review: str, status: str, state: str | None, m: pd.Series | None = None,
         u: pd.Series | None = None, score: float | None = None) -> dict:
    """One cross-check row from a matrix row ``m`` and/or a UPR Info row ``u``."""
    return {
        "review": review, "status": status, "recommending_iso3": state,
        "paragraph_id": None if m is None else m["paragraph_id"],
        "matrix_response": None if m is None else m["response"],
        "uprinfo_response": None if u is None else u["response"],
        "similarity": None if score is None else round(score, 3),
        "matrix_text": None if m is None else m["text"],
        "uprinfo_text": None if u is None else u["text"],
        "matrix_rec_id": None if m is None else m["rec_id"],
        "uprinfo_rec_id": None if u is None else u["rec_id"],
    }


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
            same = m.at[i, "response"] == u.at[j, "response"]
            rows.append(_row(review, "agree" if same else "response_differs", state,
                             m.loc[i], u.loc[j], score))
        rows += [_row(review, "only_matrix", state, m=m.loc[i])
                 for i in m.index.difference(list(used_m))]
        rows += [_row(review, "only_uprinfo", state, u=u.loc[j])
                 for j in u.index.difference(list(used_u))]
    # rows whose recommending state is unknown cannot be paired and are listed as such
    rows += [_row(review, "only_uprinfo", None, u=upr.loc[j])
             for j in upr.index[upr["recommending_iso3"].isna()]]
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
