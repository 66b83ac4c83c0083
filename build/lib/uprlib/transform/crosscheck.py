"""Cross-check every pair of sources that cover the same review.

For each review (state under review, cycle) and each pair of sources covering it (``a`` the
preferred of the two, by :data:`uprlib.transform.sources.PRECEDENCE`), the state-level rows
are paired within the same recommending state (and, where both sources number the
paragraphs, first within the same paragraph):

1. rows whose normalised texts are identical are paired first, in order of appearance;
2. the rest are paired by text similarity, greedily, best pair first, when at least
   ``MIN_SIMILARITY`` (RapidFuzz's normalised Indel similarity, the measure of difflib's
   ratio, on the normalised texts).

Each pair is classed ``agree`` or ``response_differs``; a row left unpaired is
``only_<source>``. Rows whose recommending state is unknown are paired among themselves. The
texts are listed only for rows that are not identical-text pairs, which keeps the file small.

:func:`borrow_from_upr_info` then gives rows of sources without them the UPR Info action
category (and, for DIHR rows, the UPR Info issues) of the row they were paired with.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pandas as pd
from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from uprlib.workspace.text import normalise_texts

from .sources import DIHR, PARAGRAPH_SOURCES, PRECEDENCE, UPR_INFO_SOURCES

MIN_SIMILARITY = 0.6
PAIRED = ("agree", "response_differs")
COLUMNS = ["review", "source_a", "source_b", "status", "recommending_iso3", "a_paragraph_id",
           "b_paragraph_id", "a_response", "b_response", "similarity", "a_rec_id", "b_rec_id",
           "a_text", "b_text"]
_NO_STATE = "?"
_GROUP = ["sur_iso3", "cycle", "state"]


def _fuzzy_pairs(a: list[str], b: list[str]) -> list[tuple[int, int, float]]:
    """Greedy best-first pairs (position in a, position in b, similarity) of two lists of
    normalised texts, at or above the threshold."""
    scores = cdist(a, b, scorer=fuzz.ratio, score_cutoff=100 * MIN_SIMILARITY, workers=1) / 100
    i, j = np.nonzero(scores)
    used_a, used_b, out = set(), set(), []
    for k in np.argsort(-scores[i, j], kind="stable"):
        x, y = int(i[k]), int(j[k])
        if x in used_a or y in used_b:
            continue
        used_a.add(x)
        used_b.add(y)
        out.append((x, y, float(scores[x, y])))
    return out


def _lone(rows: pd.DataFrame, source: str, side: str) -> pd.DataFrame:
    return pd.DataFrame({
        "sur_iso3": rows["sur_iso3"], "cycle": rows["cycle"], "status": f"only_{source}",
        "recommending_iso3": rows["recommending_iso3"],
        f"{side}_paragraph_id": rows["paragraph_id"], f"{side}_response": rows["response"],
        f"{side}_rec_id": rows["rec_id"], f"{side}_text": rows["text"],
    })


def _exact(a: pd.DataFrame, b: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    """Pairs (a label, b label) of identical normalised texts within ``group``, in order."""
    a = a.assign(occurrence=a.groupby([*group, "norm"], sort=False).cumcount())
    b = b.assign(occurrence=b.groupby([*group, "norm"], sort=False).cumcount())
    keys = [*group, "norm", "occurrence"]
    out = a[keys].reset_index(names="a").merge(b[keys].reset_index(names="b"), on=keys)
    return out[["a", "b"]].assign(similarity=1.0)


def _fuzzy(a: pd.DataFrame, b: pd.DataFrame, group: list[str]) -> pd.DataFrame:
    """Pairs by text similarity within ``group`` (greedy, best first)."""
    in_a = a.groupby(group, sort=False).indices
    in_b = b.groupby(group, sort=False).indices
    norm_a, norm_b = a["norm"].to_numpy(), b["norm"].to_numpy()
    out: list[tuple[int, int, float]] = []
    for key, ia in in_a.items():
        ib = in_b.get(key)
        if ib is None:
            continue
        out += [(a.index[ia[x]], b.index[ib[y]], s) for x, y, s in
                _fuzzy_pairs(list(norm_a[ia]), list(norm_b[ib]))]
    return pd.DataFrame(out, columns=["a", "b", "similarity"])


def crosscheck_pair(a: pd.DataFrame, b: pd.DataFrame, source_a: str,
                    source_b: str) -> pd.DataFrame:
    """Pair the rows of two sources (over the reviews both cover) and class every row.

    ``a`` and ``b`` hold rec_id, sur_iso3, cycle, recommending_iso3, paragraph_id, response,
    text and ``norm`` (the normalised text), with distinct index labels. Where both sources
    number the paragraphs, rows are first paired within the same paragraph, so a text that
    recurs in two paragraphs is not paired across them.
    """
    a = a.assign(state=a["recommending_iso3"].fillna(_NO_STATE),
                 para=a["paragraph_id"].fillna(""))
    b = b.assign(state=b["recommending_iso3"].fillna(_NO_STATE),
                 para=b["paragraph_id"].fillna(""))
    stages = [(_exact, _GROUP), (_fuzzy, _GROUP)]
    if source_a in PARAGRAPH_SOURCES and source_b in PARAGRAPH_SOURCES:
        stages = [(_exact, [*_GROUP, "para"]), (_fuzzy, [*_GROUP, "para"]), *stages]
    found = []
    rest_a, rest_b = a, b
    for match, group in stages:
        got = match(rest_a, rest_b, group)
        found.append(got)
        rest_a, rest_b = rest_a.drop(index=got["a"]), rest_b.drop(index=got["b"])
    pairs = pd.concat(found, ignore_index=True)
    pa_, pb_ = a.loc[pairs["a"]].reset_index(drop=True), b.loc[pairs["b"]].reset_index(drop=True)
    differ = pa_["norm"].ne(pb_["norm"])
    paired = pd.DataFrame({
        "sur_iso3": pa_["sur_iso3"], "cycle": pa_["cycle"],
        "status": np.where(pa_["response"].eq(pb_["response"]), PAIRED[0], PAIRED[1]),
        "recommending_iso3": pa_["recommending_iso3"],
        "a_paragraph_id": pa_["paragraph_id"], "b_paragraph_id": pb_["paragraph_id"],
        "a_response": pa_["response"], "b_response": pb_["response"],
        "similarity": pairs["similarity"].round(3),
        "a_rec_id": pa_["rec_id"], "b_rec_id": pb_["rec_id"],
        "a_text": pa_["text"].where(differ, None), "b_text": pb_["text"].where(differ, None),
    })
    out = pd.concat([paired, _lone(a.drop(index=pairs["a"]), source_a, "a"),
                     _lone(b.drop(index=pairs["b"]), source_b, "b")], ignore_index=True)
    out["review"] = out["sur_iso3"] + " cycle " + out["cycle"].astype(str)
    out["source_a"], out["source_b"] = source_a, source_b
    return out.reindex(columns=COLUMNS)


def crosscheck_all(recs: pd.DataFrame, norm: pd.Series | None = None) -> pd.DataFrame:
    """Cross-check every pair of sources on every review both cover (``norm``: the texts
    already normalised with :func:`~uprlib.workspace.text.normalise_texts`, if at hand)."""
    cols = ["rec_id", "sur_iso3", "cycle", "recommending_iso3", "paragraph_id", "response",
            "text", "source"]
    recs = recs[cols].assign(norm=normalise_texts(recs["text"]) if norm is None else norm)
    review = recs["sur_iso3"] + ":" + recs["cycle"].astype(str)
    covered = review.groupby(recs["source"]).agg(set)
    frames = []
    present = [s for s in PRECEDENCE if s in covered.index]
    for sa, sb in combinations(present, 2):
        both = covered[sa] & covered[sb]
        if both:
            in_both = review.isin(both)
            frames.append(crosscheck_pair(recs.loc[in_both & (recs["source"] == sa)],
                                          recs.loc[in_both & (recs["source"] == sb)], sa, sb))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(frames, ignore_index=True)


def borrow_from_upr_info(recs: pd.DataFrame, cross: pd.DataFrame) -> pd.DataFrame:
    """Give rows of other sources what only UPR Info codes, from the row they were paired with.

    The action category (1-5) goes to every non-UPR-Info row paired with a UPR Info row; the
    UPR Info issues go to DIHR rows (an OHCHR file has its own themes). The newest export
    wins where both paired. Unpaired rows stay null.
    """
    paired = cross.loc[cross["status"].isin(PAIRED) & cross["source_b"].isin(UPR_INFO_SOURCES)
                       & ~cross["source_a"].isin(UPR_INFO_SOURCES)]
    rank = paired["source_b"].map({s: i for i, s in enumerate(UPR_INFO_SOURCES)})
    paired = paired.assign(rank=rank).sort_values("rank").drop_duplicates("a_rec_id")
    donor = paired.set_index("a_rec_id")["b_rec_id"]
    by_id = recs.set_index("rec_id")
    out = recs.copy()
    borrows = ~out["source"].isin(UPR_INFO_SOURCES)
    from_row = out.loc[borrows, "rec_id"].map(donor)
    out.loc[borrows, "action_category"] = from_row.map(by_id["action_category"])
    is_dihr = out["source"] == DIHR
    out.loc[is_dihr, "themes"] = out.loc[is_dihr, "rec_id"].map(donor).map(by_id["themes"])
    out["action_category"] = out["action_category"].astype("Int64")
    return out
