"""Follow-up across cycles: what a state was told in one review and again in the next.

The UPR is about follow-up: a recommendation accepted in one cycle and made again in the next
suggests it was not (fully) implemented. For the state under review this module gives, over
every cycle of that state in the data:

* counts and acceptance by cycle (:func:`uprlib.analysis.overview.cycles`);
* the themes that recur (:func:`topics_by_cycle`);
* recommendations that "come back" in the next cycle (:func:`come_back`, :func:`pairs`,
  :func:`examples`), and those repeated by the same recommending state
  (:func:`repeated_by_state`);
* the ICCPR-ratification recommendations of every cycle (:func:`iccpr_by_cycle`), by the
  general rule of :mod:`uprlib.analysis.themes`.

Method (also in :data:`METHOD`, which the notebook shows). The two reviews of a state may come
from different sources (UPR Info issues, OHCHR theme labels), so themes are assigned by one
text rule applied to every recommendation alike: :data:`TOPICS`, the topic patterns of the
section rules in :mod:`uprlib.analysis.themes` plus patterns for the other common UPR themes and one
topic per core instrument named. Each recommendation of cycle N (one row per recommending
state) is compared with every recommendation of cycle N+1 to the same state. A pair matches
when (a) the two share at least one topic and (b) their text similarity is at least
:data:`MIN_SIMILARITY`. Similarity is the cosine of TF-IDF vectors of words and word pairs,
after folding instrument titles to their acronyms ("International Covenant on Civil and
Political Rights" -> "iccpr"), dropping common words and stripping common suffixes; the IDF is
computed over all the state's recommendations in the data. This is fast enough for every pair
(numpy matrix product) where difflib's ratio would take about a minute for China's 2013/2018
reviews; difflib's ratio is still shown beside each example pair as a second opinion. A
recommendation "comes back" if at least one recommendation of the next cycle matches it.
The threshold was set by reading pairs around it: above 0.6 nearly all pairs restate the same
request; between 0.4 and 0.6 most do, often in different words ("Expedite the ratification of
the ICCPR" / "Ratify the International Covenant on Civil and Political Rights"); below 0.4
pairs share a verb pattern more than a request. It is a screening measure: the example pairs
show what it counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from uprlib.output.markup import md
from uprlib.output.review import Review
from uprlib.output.tables import all_recommendations, available, load_recommendations, table_stamp
from uprlib.workspace import responses as vocabulary
from uprlib.workspace.text import LIST_SEP, normalise_text, similarity

from . import figures
from .themes import COVENANT, RULES, iccpr_ratification

MIN_SIMILARITY = 0.4

# Topics of the section rules, reused so "civil society" means the same everywhere.
_SECTION_TOPICS = {t: rx for rule in RULES.values() for t, rx in rule.topics.items()}
_OTHER_TOPICS = {
    "death penalty": r"death penalty|capital punishment|death sentence|\bexecutions?\b"
                     r"|moratorium",
    "torture and ill-treatment": r"tortur|ill-?treat|cruel,? inhuman|degrading treatment",
    "detention": r"detention|detain|prison|custody|re-?education through labou?r",
    "enforced disappearance": r"disappear",
    "women and gender": r"\bwom[ae]n\b|\bgender\b|\bgirls?\b|domestic violence|maternal"
                        r"|\bCEDAW\b",
    "children": r"\bchild|\bjuvenile|\bbirth registration|\bCRC\b",
    "minorities and indigenous peoples": r"minorit|ethnic|indigenous|tibet|uighur|uyghur"
                                         r"|xinjiang|\broma\b",
    "religion or belief": r"religio|\bbelief|\bworship|\bfaith",
    "national human rights institution": r"national human rights institution|\bNHRI\b"
                                         r"|paris principles|ombuds",
    "human rights education and training": r"human rights (education|training)|\btraining\b"
                                           r"|awareness",
    "education": r"\beducation|\bschool",
    "health": r"\bhealth|\bHIV\b|\bAIDS\b|medical",
    "poverty and living standards": r"povert|right to development|sustainable development"
                                    r"|(economic|social|rural) development|standard of living"
                                    r"|\bhousing|\bfood\b|\bwater\b|social security|\brural"
                                    r"|\belderly",
    "work and labour": r"\blabou?r|\bworkers?\b|employment",
    "migrants, refugees and trafficking": r"migra|refugee|asylum|traffick|displaced",
    "disability": r"disabilit",
    "sexual orientation and gender identity": r"sexual orientation|gender identity|\bLGBT"
                                              r"|same-sex|homosex",
    "discrimination and equality": r"discriminat|\bequality|racis|xenophob",
    "corruption and governance": r"corruption|good governance|transparen",
    "national action plans": r"(national|human rights) (action )?plan",
    "sharing experience and cooperation": r"share (its )?(experience|best practice|good practice)"
                                          r"|technical (assistance|cooperation)|south-south"
                                          r"|international cooperation",
}
# Core instruments by acronym or title; a topic per instrument, so "ratify CAT" and "ratify
# CPED" do not pair however alike their wording.
INSTRUMENTS = {
    "ICCPR": COVENANT,
    "ICESCR": r"\bICESCR\b|Covenant on Economic,? Social and Cultural Rights",
    "CAT": r"\bCAT\b|Convention against Torture",
    "OP-CAT": r"\bOP-?CAT\b|Optional Protocol to the Convention against Torture",
    "CEDAW": r"\bCEDAW\b|Elimination of All Forms of Discrimination against Women",
    "CRC": r"\bCRC\b|Convention on the Rights of the Child",
    "CRPD": r"\bCRPD\b|Rights of Persons with Disabilities",
    "CPED": r"\bI?CPPED\b|\bCPED\b|\bCED\b|Protection of All Persons from Enforced",
    "ICRMW": r"\bICRMW\b|\bMWC\b|Rights of All Migrant Workers",
    "ICERD": r"\bI?CERD\b|Elimination of All Forms of Racial Discrimination",
    "Rome Statute": r"Rome Statute|International Criminal Court|\bICC\b",
}
TOPICS: dict[str, str] = {**_SECTION_TOPICS, **_OTHER_TOPICS,
                          **{f"names the {k}": v for k, v in INSTRUMENTS.items()}}
NO_TOPIC = "(no topic matched)"
_TOPIC_RX = {t: re.compile(rx, re.I) for t, rx in TOPICS.items()}

# full titles folded to one token before the similarity is computed (longest first)
_FOLD = {
    "international covenant on civil and political rights": "iccpr",
    "international covenant on economic social and cultural rights": "icescr",
    "convention against torture": "cat",
    "optional protocol to the convention against torture": "opcat",
    "convention on the elimination of all forms of discrimination against women": "cedaw",
    "convention on the rights of the child": "crc",
    "convention on the rights of persons with disabilities": "crpd",
    "international convention for the protection of all persons from enforced "
    "disappearance": "cped",
    "international convention on the protection of the rights of all migrant workers and "
    "members of their families": "icrmw",
    "international convention on the elimination of all forms of racial discrimination":
        "icerd",
    "rome statute of the international criminal court": "rome statute icc",
    "international criminal court": "icc",
    "national human rights institution": "nhri",
    "death penalty": "deathpenalty",
    "capital punishment": "deathpenalty",
    "human rights defenders": "hrd",
    "special procedures": "specialprocedures",
    "op cat": "opcat",
}
_FOLD_RX = re.compile("|".join(re.escape(k) for k in sorted(_FOLD, key=len, reverse=True)))
_STOP = frozenset(
    "a an and as at be by for from in into is it its of on or that the their this to which "
    "with all are other such including also".split())
_SUFFIXES = ("ications", "ication", "ations", "ation", "itions", "ition", "ments", "ment",
             "ings", "ing", "ies", "ied", "ed", "es", "s", "y", "e")

METHOD = md(
    "**How recommendations are followed across cycles.** Themes come from one text rule "
    "applied alike to every recommendation, whatever its source: {topics} topics (the "
    "section rules' topics, the other common UPR themes, and one topic per core instrument "
    "named). Each recommendation of one cycle, counted once per recommending state, is "
    "compared with every recommendation of the next cycle to the same state. A pair matches "
    "when the two **share a topic** and their **text similarity is at least "
    "{similarity}** (cosine of TF-IDF word and word-pair vectors, after folding treaty "
    "titles to their acronyms and stripping common suffixes; 1 means the same words). A "
    "recommendation *comes back* when at least one recommendation of the next cycle matches "
    "it: an accepted one that comes back suggests it was not fully implemented. The measure "
    "is a screen, not a verdict: the example pairs below show what it counts, with difflib's "
    "character-level ratio beside it as a second opinion.",
    topics=len(TOPICS), similarity=MIN_SIMILARITY)

PAIR_COLUMNS = ["from_cycle", "to_cycle", "from_year", "to_year", "from_paragraph",
                "to_paragraph", "from_state", "to_state", "same_state", "from_response",
                "to_response", "similarity", "shared_topics", "from_text", "to_text",
                "from_rec_id", "to_rec_id"]


# --- text vectors and topics -----------------------------------------------------------------

def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    """Words and word pairs of ``text`` used for similarity (folded, no stop words, stemmed)."""
    s = _FOLD_RX.sub(lambda m: _FOLD[m.group(0)], normalise_text(text))
    words = [_stem(w) for w in s.split() if w not in _STOP]
    return words + [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]


def tfidf(texts: list[str]) -> np.ndarray:
    """Row-normalised TF-IDF matrix (sublinear term frequency, smoothed IDF) of ``texts``."""
    docs = [tokens(t) for t in texts]
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, doc in enumerate(docs):
        for tok in doc:
            rows.append(i)
            cols.append(vocab.setdefault(tok, len(vocab)))
    x = np.zeros((len(docs), max(1, len(vocab))))
    np.add.at(x, (np.array(rows, dtype=int), np.array(cols, dtype=int)), 1.0)
    df = (x > 0).sum(axis=0)
    x = np.log1p(x) * (np.log((1 + len(docs)) / (1 + df)) + 1)
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norm > 0, norm, 1)


def topic_matrix(text: pd.Series) -> pd.DataFrame:
    """Boolean frame: one column per topic of :data:`TOPICS`, one row per text."""
    return pd.DataFrame({t: text.map(rx.search).notna().to_numpy()
                         for t, rx in _TOPIC_RX.items()}, index=text.index)


# --- the state's history -----------------------------------------------------------------------

@dataclass(frozen=True)
class History:
    """Every cycle of one state in the data, with topics and text vectors (cached)."""

    recs: pd.DataFrame        # state-level rows of every cycle, preferred source each
    topics: pd.DataFrame      # boolean, one column per topic, same index as recs
    vectors: np.ndarray       # TF-IDF rows aligned with recs
    years: dict[int, int]     # cycle -> year

    @property
    def cycles(self) -> list[int]:
        """The state's cycles in the data, in order."""
        return sorted(self.years)

    @property
    def transitions(self) -> list[tuple[int, int]]:
        """Consecutive cycles both in the data."""
        c = self.cycles
        return [(a, b) for a, b in zip(c, c[1:], strict=False) if b == a + 1]


@lru_cache(maxsize=16)
def _history(iso3: str, stamp: tuple[str, int]) -> History:
    folder = Path(stamp[0])
    reviews = available(folder)
    cycles = sorted(int(c) for c in reviews.loc[reviews["sur_iso3"] == iso3, "cycle"].unique())
    frames = [load_recommendations(iso3, c, "state", folder=folder) for c in cycles]
    recs = pd.concat(frames, ignore_index=True)
    recs["cycle"] = recs["cycle"].astype(int)
    years = {c: int(f["year"].iloc[0]) for c, f in zip(cycles, frames, strict=True)}
    return History(recs, topic_matrix(recs["text"]), tfidf(recs["text"].tolist()), years)


def history(review: Review) -> History:
    """The state's recommendations of every cycle in the data, with topics and vectors."""
    return _history(review.iso3, table_stamp(review.processed_dir))


def _topic_names(mask: np.ndarray) -> str:
    names = np.array(list(TOPICS))
    return LIST_SEP.join(names[mask])


def _transition_pairs(h: History, a: int, b: int, threshold: float) -> pd.DataFrame:
    ia = np.flatnonzero(h.recs["cycle"].to_numpy() == a)
    ib = np.flatnonzero(h.recs["cycle"].to_numpy() == b)
    sim = h.vectors[ia] @ h.vectors[ib].T
    ta = h.topics.to_numpy()[ia].astype(np.int32)
    tb = h.topics.to_numpy()[ib].astype(np.int32)
    share = (ta @ tb.T) > 0
    i, j = np.nonzero((sim >= threshold - 1e-9) & share)
    ra = h.recs.iloc[ia[i]].reset_index(drop=True)
    rb = h.recs.iloc[ib[j]].reset_index(drop=True)
    shared = (ta[i] & tb[j]).astype(bool)
    return pd.DataFrame({
        "from_cycle": a, "to_cycle": b, "from_year": h.years[a], "to_year": h.years[b],
        "from_paragraph": ra["paragraph_id"], "to_paragraph": rb["paragraph_id"],
        "from_state": ra["recommending_state"], "to_state": rb["recommending_state"],
        "same_state": (ra["recommending_iso3"] == rb["recommending_iso3"]).fillna(False)
        .astype(bool),
        "from_response": ra["response"], "to_response": rb["response"],
        "similarity": np.round(sim[i, j], 3),
        "shared_topics": [_topic_names(m) for m in shared],
        "from_text": ra["text"], "to_text": rb["text"],
        "from_rec_id": ra["rec_id"], "to_rec_id": rb["rec_id"],
    }, columns=PAIR_COLUMNS)


def pairs(review: Review, threshold: float = MIN_SIMILARITY) -> pd.DataFrame:
    """Every matching pair (shared topic, similarity >= threshold) between consecutive cycles
    of the state, best first within each transition."""
    h = history(review)
    frames = [_transition_pairs(h, a, b, threshold) for a, b in h.transitions]
    if not frames:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["from_cycle", "similarity"], ascending=[True, False],
                           ignore_index=True)


# --- tables ------------------------------------------------------------------------------------

def topics_by_cycle(review: Review, top: int | None = None) -> pd.DataFrame:
    """State-level recommendations per topic and cycle (total and accepted), with the number
    of cycles each topic appears in; topics present in two or more cycles recur (empty when
    the state has a single cycle in the data)."""
    h = history(review)
    if len(h.cycles) < 2:
        return pd.DataFrame()
    t = h.topics.assign(**{NO_TOPIC: ~h.topics.any(axis=1)})
    long = t.assign(cycle=h.recs["cycle"], accepted=h.recs["response"].eq("accepted")).melt(
        id_vars=["cycle", "accepted"], var_name="topic", value_name="hit")
    long = long.loc[long["hit"]]
    g = long.groupby(["topic", "cycle"])
    wide = pd.concat({"total": g.size(), "accepted": g["accepted"].sum()}, axis=1).unstack(
        "cycle", fill_value=0)
    out = pd.DataFrame(index=wide.index)
    for c in h.cycles:
        total = wide.get(("total", c), pd.Series(0, index=wide.index))
        out[f"cycle {c} ({h.years[c]})"] = total.astype(int)
        out[f"cycle {c} accepted"] = wide.get(("accepted", c), pd.Series(0, index=wide.index)
                                              ).astype(int)
    totals = out[[f"cycle {c} ({h.years[c]})" for c in h.cycles]]
    out["cycles_present"] = (totals > 0).sum(axis=1)
    out["recurs"] = out["cycles_present"] >= 2
    out["_total"] = totals.sum(axis=1)
    out = out.sort_values(["recurs", "_total"], ascending=False).drop(columns="_total")
    out = out.rename_axis("topic").reset_index()
    return out.head(top) if top else out


def come_back(review: Review, threshold: float = MIN_SIMILARITY) -> pd.DataFrame:
    """For each pair of consecutive cycles and each response in the earlier one: how many
    recommendations come back in the next cycle, and how many from the same state."""
    h = history(review)
    p = pairs(review, threshold)
    rows = []
    for a, b in h.transitions:
        src = h.recs.loc[h.recs["cycle"] == a]
        sub = p.loc[p["from_cycle"] == a]
        back = set(sub["from_rec_id"])
        same = set(sub.loc[sub["same_state"], "from_rec_id"])
        for response in ("accepted", "noted", "all"):
            ids = src["rec_id"] if response == "all" else \
                src.loc[src["response"] == response, "rec_id"]
            n = len(ids)
            k, s = int(ids.isin(back).sum()), int(ids.isin(same).sum())
            rows.append({"from_cycle": a, "to_cycle": b, "from_year": h.years[a],
                         "to_year": h.years[b], "response": response, "recommendations": n,
                         "come_back": k,
                         "come_back_share": round(100 * k / n, 1) if n else None,
                         "from_same_state": s,
                         "from_same_state_share": round(100 * s / n, 1) if n else None})
    cols = ["from_cycle", "to_cycle", "from_year", "to_year", "response", "recommendations",
            "come_back", "come_back_share", "from_same_state", "from_same_state_share"]
    return pd.DataFrame(rows, columns=cols)


def examples(review: Review, n: int = 6) -> pd.DataFrame:
    """A few accepted recommendations that come back, spread over the similarity range (best
    match of each), from the transitions this review is part of; difflib ratio beside."""
    p = pairs(review)
    p = p.loc[(p["from_response"] == "accepted")
              & ((p["from_cycle"] == review.cycle) | (p["to_cycle"] == review.cycle))]
    best = p.sort_values("similarity", ascending=False).drop_duplicates("from_rec_id")
    picked = []
    groups = list(best.groupby("from_cycle", sort=True))
    for k, (_, g) in enumerate(groups):
        m = n // len(groups) + (1 if k < n % len(groups) else 0)
        g = g.reset_index(drop=True)
        idx = sorted({int(round(x)) for x in np.linspace(0, len(g) - 1, min(m, len(g)))})
        picked.append(g.iloc[idx])
    cols = ["from_cycle", "to_cycle", "from_state", "from_response", "from_text", "to_state",
            "to_response", "to_text", "similarity", "difflib_ratio", "shared_topics"]
    if not picked:
        return pd.DataFrame(columns=cols)
    out = pd.concat(picked, ignore_index=True)
    out["difflib_ratio"] = [round(similarity(a, b), 3)
                            for a, b in zip(out["from_text"], out["to_text"], strict=True)]
    return out[cols]


def repeated_by_state(review: Review) -> pd.DataFrame:
    """Recommending states that made a matching recommendation in consecutive cycles: how
    many of their earlier recommendations they repeated, and how many of those were accepted."""
    p = pairs(review)
    p = p.loc[p["same_state"]].drop_duplicates(["from_rec_id"])
    cols = ["recommending_state", "from_cycle", "to_cycle", "repeated", "of_which_accepted",
            "example"]
    if p.empty:
        return pd.DataFrame(columns=cols)
    g = p.groupby(["from_state", "from_cycle", "to_cycle"])
    out = pd.DataFrame({"repeated": g.size(),
                        "of_which_accepted": g["from_response"].agg(
                            lambda s: int((s == "accepted").sum())),
                        "example": g["to_text"].first()}).reset_index()
    out = out.rename(columns={"from_state": "recommending_state"})
    return out.sort_values(["repeated", "recommending_state"], ascending=[False, True],
                           ignore_index=True)[cols]


def iccpr_by_cycle(review: Review) -> pd.DataFrame:
    """ICCPR-ratification recommendations (rule of :mod:`uprlib.analysis.themes`) in every cycle."""
    h = history(review)
    rows = []
    for c in h.cycles:
        m = iccpr_ratification(h.recs.loc[h.recs["cycle"] == c])
        para = m.drop_duplicates("paragraph_key")
        rows.append({"cycle": c, "year": h.years[c],
                     "source": str(h.recs.loc[h.recs["cycle"] == c, "source"].iloc[0]),
                     "recommendations": len(para), "governments": len(m),
                     "distinct_states": int(m["recommending_iso3"].nunique()),
                     **{r: int((para["response"] == r).sum()) for r in vocabulary.RESPONSES}})
    out = pd.DataFrame(rows)
    # partly supported and pending columns only where a review has any
    return out.drop(columns=[r for r in vocabulary.EXTRA if not out[r].any()])


def iccpr_recommenders(review: Review) -> pd.DataFrame:
    """Which states asked for ICCPR ratification in which cycle, and the response."""
    h = history(review)
    m = iccpr_ratification(h.recs)
    if m.empty:
        return pd.DataFrame(columns=["recommending_state", "cycles"])
    m = m.assign(state=m["recommending_state"].fillna("(unknown)"),
                 col=[f"cycle {c} ({h.years[c]})" for c in m["cycle"]])
    wide = m.groupby(["state", "col"])["response"].agg(
        lambda s: " / ".join(sorted(set(s)))).unstack("col").fillna("")
    wide = wide.reindex(columns=[f"cycle {c} ({h.years[c]})" for c in h.cycles], fill_value="")
    wide["cycles"] = (wide != "").sum(axis=1)
    out = wide.rename_axis("recommending_state").reset_index()
    return out.sort_values(["cycles", "recommending_state"], ascending=[False, True],
                           ignore_index=True)


def key_figures(review: Review) -> dict[str, Any]:
    """Headline follow-up figures for this review: what came back from the previous cycle
    and what of this cycle comes back in the next (None where that cycle is not in the data)."""
    h = history(review)
    cb = come_back(review)
    out: dict[str, Any] = {"country": review.iso3, "cycle": review.cycle,
                           "cycles_in_data": h.cycles,
                           "transitions": [f"{a}->{b}" for a, b in h.transitions]}

    def row(a: int, response: str) -> pd.Series | None:
        r = cb.loc[(cb["from_cycle"] == a) & (cb["response"] == response)]
        return None if r.empty else r.iloc[0]

    nxt = row(review.cycle, "accepted")
    out["accepted_here"] = None if nxt is None else int(nxt["recommendations"])
    out["accepted_here_come_back_next"] = None if nxt is None else int(nxt["come_back"])
    out["accepted_here_come_back_next_share"] = None if nxt is None else \
        float(nxt["come_back_share"])
    prev = row(review.cycle - 1, "accepted")
    out["accepted_previous"] = None if prev is None else int(prev["recommendations"])
    out["accepted_previous_come_back_here"] = None if prev is None else int(prev["come_back"])
    out["accepted_previous_come_back_here_share"] = None if prev is None else \
        float(prev["come_back_share"])
    icc = iccpr_by_cycle(review)
    out["iccpr_recommendations_by_cycle"] = {int(c): int(n) for c, n in
                                             zip(icc["cycle"], icc["recommendations"],
                                                 strict=True)}
    return out


def missing_note(review: Review, what: str) -> str:
    """Note (plain text) shown in place of a follow-up table or figure with nothing to show."""
    h = history(review)
    if not h.transitions:
        return (f"No {what}: {review.name} has no two consecutive reviews in the data "
                f"(cycles: {', '.join(str(c) for c in h.cycles)}).")
    return f"No {what} for {review.name} in the data."


def summary_note(review: Review) -> str:
    """One paragraph of computed prose for the notebook and the paper."""
    h = history(review)
    if not h.transitions:
        only = ", ".join(f"cycle {c} ({h.years[c]})" for c in h.cycles)
        recs = all_recommendations(review.processed_dir)
        sessions = recs.groupby("source")["session"].agg(["min", "max"])
        spans = "; ".join(f"{s} {r['min']}-{r['max']}" for s, r in sessions.iterrows())
        return (f"Only {only} of {review.name} is in the data, so there is no next or "
                f"previous review to follow up. The sources cover these Working Group "
                f"sessions: {spans}.")
    cb = come_back(review)
    parts = []
    for r in cb.loc[cb["response"] != "all"].itertuples():
        parts.append(f"{r.come_back} of the {r.recommendations} recommendations "
                     f"{r.response} in cycle {r.from_cycle} ({r.from_year}) came back in cycle "
                     f"{r.to_cycle} ({r.to_year})"
                     + (f" ({r.come_back_share:.0f}%)" if r.recommendations else ""))
    return ("Counting each recommendation once per recommending state, " + "; ".join(parts)
            + ". A recommendation comes back when one of the next review shares a topic with "
            f"it and has a text similarity of at least {MIN_SIMILARITY}.")


# --- figures -----------------------------------------------------------------------------------

def figure_topics(review: Review, top: int = 15) -> plt.Figure | None:
    """Heat map of the most frequent recurring topics by cycle (None with a single cycle)."""
    h = history(review)
    if len(h.cycles) < 2:
        return None
    t = topics_by_cycle(review)
    t = t.loc[t["recurs"] & (t["topic"] != NO_TOPIC)].head(top)
    if t.empty:
        return None
    cols = [f"cycle {c} ({h.years[c]})" for c in h.cycles]
    values = t[cols].to_numpy(dtype=float)
    figures.use_style()
    fig, ax = plt.subplots(figsize=(1.2 * len(cols) + 4.8, 0.32 * len(t) + 1.6))
    im = ax.imshow(values, cmap="cividis", aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        ax.text(j, i, f"{v:.0f}", ha="center", va="center", fontsize=8.5,
                color="black" if v > 0.6 * values.max() else "white")
    ax.set_xticks(range(len(cols)), [c.replace(" (", "\n(") for c in cols])
    ax.set_yticks(range(len(t)), t["topic"])
    ax.set_xlabel("Review")
    ax.set_ylabel("Topic (text rule)")
    ax.set_title(f"Recurring topics of the recommendations to {review.name}")
    fig.colorbar(im, ax=ax, label="State-level recommendations", shrink=0.8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    return fig


def figure_come_back(review: Review) -> plt.Figure | None:
    """Share of accepted and of noted recommendations that come back in the next cycle."""
    cb = come_back(review)
    cb = cb.loc[(cb["response"] != "all") & (cb["recommendations"] > 0)]
    if cb.empty:
        return None
    figures.use_style()
    labels = [f"cycle {a} ({ya})\n→ cycle {b} ({yb})" for a, b, ya, yb in
              cb[["from_cycle", "to_cycle", "from_year", "to_year"]].drop_duplicates()
              .itertuples(index=False)]
    fig, ax = plt.subplots(figsize=(max(5.0, 2.6 * len(labels) + 1.5), 3.8))
    width = 0.38
    for k, response in enumerate(("accepted", "noted")):
        sub = cb.loc[cb["response"] == response].reset_index(drop=True)
        x = np.arange(len(sub)) + (k - 0.5) * width
        ax.bar(x, sub["come_back_share"], width, color=figures.RESPONSE_COLOURS[response],
               label=f"{response} in the earlier review")
        for xi, share, n, k_back in zip(x, sub["come_back_share"], sub["recommendations"],
                                        sub["come_back"], strict=True):
            ax.text(xi, share + 1, f"{k_back} of {n}", ha="center", fontsize=8.5)
    ax.set_xticks(range(len(labels)), labels)
    ax.set_ylim(0, 105)
    ax.set_ylabel("Made again in the next review (%)")
    ax.set_xlabel("Consecutive reviews")
    ax.set_title(f"Recommendations to {review.name} that come back")
    ax.legend(frameon=False, fontsize=9, loc="upper left")
    fig.tight_layout()
    return fig


def figure_iccpr(review: Review) -> plt.Figure | None:
    """ICCPR-ratification recommendations by cycle and response (None if there are none)."""
    t = iccpr_by_cycle(review)
    if t.empty or t["recommendations"].sum() == 0:
        return None
    figures.use_style()
    fig, ax = plt.subplots(figsize=(max(4.5, 1.4 * len(t) + 2.5), 3.6))
    x = figures.cycle_bars(ax, t["cycle"], t["year"], t["accepted"], t["noted"],
                           "Recommendations (paragraphs)",
                           f"Recommendations to {review.name} to ratify the ICCPR",
                           others={r: t[r] for r in vocabulary.EXTRA if r in t})
    for xi, total, govs in zip(x, t["recommendations"], t["governments"], strict=True):
        ax.text(xi, total + 0.3, f"{total} ({govs} govts)", ha="center", fontsize=8.5)
    ax.set_ylim(0, t["recommendations"].max() * 1.2 + 1)
    fig.tight_layout()
    return fig
