"""Match cited recommendations to the official record of one review and class each citation.

The record is the review's state-level table: one row per (paragraph, recommending state)
with that state's own text. A citation is compared with every row by text similarity; the
paragraph number and the recommending state it gives are then checked against the row its
text belongs to. Classes, first that applies:

- ``wrong number``: the text is another paragraph's (named in ``matched_paragraph``);
- ``wrong state``: the text is in the cited paragraph but another state made it;
- ``exact``: number, state and text agree (text similarity at least ``EXACT``);
- ``paraphrased``: number and state agree, the text only resembles the record's;
- ``not found``: neither the text nor the number and state lead to a recommendation.

A quoted passage without a number has no number to check; it counts as a citation only if
most of its words (``QUOTE_MATCH``) are found in order in a recommendation, or if the report
introduces it as a state's recommendation. Its similarity is then taken against the stretch of
the recommendation it aligns with, since a quote is often a part of one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import pandas as pd

from uprlib.errors import DataError
from uprlib.workspace.text import LIST_SEP, normalise_text

EXACT = 0.95  # text similarity from which a citation's text counts as the record's own
MATCH = 0.6  # similarity from which a numbered citation's text is taken to be a given row
LOOSE = 0.35  # least similarity to the cited paragraph for a paraphrase (number, state right)
QUOTE_MATCH = 0.85  # share of a quote found in a recommendation's text to take it as quoted
QUOTE_LOOSE = 0.6  # least share for a quote the report attributes to a state
SHORTLIST = 8  # rows compared in full after the word-overlap prefilter
TIE = 0.02  # similarities this close count as equal (the cited paragraph and state win)
INTRODUCED = re.compile(r"recommend", re.I)

CLASSES = ("exact", "paraphrased", "wrong number", "wrong state", "not found")
COLUMNS = ["finding", "matched_paragraph", "matched_state", "matched_iso3", "response",
           "similarity", "detail"]


def ratio(a: str, b: str) -> float:
    """Similarity of two normalised texts (difflib's ratio)."""
    return SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


def coverage(quote: str, text: str) -> float:
    """Share of the words of ``quote`` found, in order, in ``text`` (both normalised)."""
    q, t = quote.split(), text.split()
    if not q or not t:
        return 0.0
    blocks = SequenceMatcher(None, q, t, autojunk=False).get_matching_blocks()
    return sum(b.size for b in blocks) / len(q)


def aligned_ratio(quote: str, text: str) -> float:
    """Similarity (difflib's ratio) of ``quote`` to the stretch of ``text`` its words match."""
    q, t = quote.split(), text.split()
    blocks = [b for b in SequenceMatcher(None, q, t, autojunk=False).get_matching_blocks()
              if b.size]
    if not blocks:
        return 0.0
    stretch = " ".join(t[blocks[0].b: blocks[-1].b + blocks[-1].size])
    return ratio(quote, stretch)


def _short(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


@dataclass
class Record:
    """The state-level recommendations of one review, ready for matching."""

    rows: pd.DataFrame

    @classmethod
    def from_state_level(cls, state: pd.DataFrame) -> Record:
        """The record of a review's state-level table, texts normalised."""
        need = {"paragraph_id", "recommending_state", "recommending_iso3", "text", "response"}
        missing = need - set(state.columns)
        if missing:
            raise DataError(f"state-level table lacks columns {sorted(missing)}")
        rows = state[sorted(need)].reset_index(drop=True).copy()
        rows["norm"] = rows["text"].fillna("").map(normalise_text)
        return cls(rows)

    def __post_init__(self) -> None:
        self._words = [frozenset(s.split()) for s in self.rows["norm"]]

    @property
    def has_numbers(self) -> bool:
        """Whether the rows carry paragraph numbers (OHCHR matrix data)."""
        return bool(self.rows["paragraph_id"].notna().any())

    def paragraph(self, pid: str | None) -> pd.DataFrame:
        """The rows of paragraph ``pid`` (none if ``pid`` is empty)."""
        return self.rows.loc[self.rows["paragraph_id"] == pid] if pid else self.rows.iloc[:0]

    def scored(self, text: str, quote: bool, also: pd.Index | None = None,
               floor: float = 0.0) -> pd.DataFrame:
        """Rows most like ``text`` with a ``score`` column, best first.

        A word-overlap prefilter keeps ``SHORTLIST`` rows (plus ``also``) for the full
        comparison: difflib ratio, or for a quote the share of it found in the row's text.
        For a quote, no row is compared if no row holds a share ``floor`` of its words.
        """
        norm = normalise_text(text)
        words = frozenset(norm.split())
        if not words:
            return self.rows.iloc[:0].assign(score=pd.Series(dtype=float))
        if quote:
            overlap = [len(words & w) / len(words) for w in self._words]
        else:
            overlap = [len(words & w) / len(words | w) for w in self._words]
        if quote and max(overlap, default=0.0) < floor:
            return self.rows.iloc[:0].assign(score=pd.Series(dtype=float))
        keep = pd.Series(overlap, index=self.rows.index).nlargest(SHORTLIST).index
        if also is not None:
            keep = keep.union(also)
        short = self.rows.loc[keep].copy()
        fn = coverage if quote else ratio
        short["score"] = [fn(norm, r) for r in short["norm"]]
        return short.sort_values("score", ascending=False, kind="stable")


def _pick(scored: pd.DataFrame, pid: str | None, iso3s: set[str]) -> pd.Series | None:
    """The best row, preferring the cited paragraph and state among near-equal scores."""
    if scored.empty:
        return None
    top = scored["score"].iloc[0]
    near = scored.loc[scored["score"] >= top - TIE].copy()
    near["pref"] = ((near["paragraph_id"] == pid).astype(int) * 2
                    + near["recommending_iso3"].isin(iso3s).astype(int))
    return near.sort_values(["pref", "score"], ascending=False).iloc[0]


def _row(finding: str, row: pd.Series | None, score: float | None, detail: str) -> dict:
    return {"finding": finding,
            "matched_paragraph": None if row is None else row["paragraph_id"],
            "matched_state": None if row is None else row["recommending_state"],
            "matched_iso3": None if row is None else row["recommending_iso3"],
            "response": None if row is None else row["response"],
            "similarity": None if score is None else round(float(score), 3),
            "detail": detail}


def _states(iso3: object) -> set[str]:
    return set(str(iso3).split(LIST_SEP)) if isinstance(iso3, str) and iso3 else set()


def classify_numbered(cite: pd.Series, record: Record) -> dict:
    """Class of a numbered citation (or a chained segment that took the number before it)."""
    pid, iso3s = cite["cited_paragraph"], _states(cite["cited_iso3"])
    cited_rows = record.paragraph(pid)
    scored = record.scored(cite["cited_text"], quote=False, also=cited_rows.index)
    best = _pick(scored, pid, iso3s)
    cited_exists = not cited_rows.empty
    who = (LIST_SEP.join(cited_rows["recommending_state"]) if cited_exists else "")
    if best is not None and best["score"] >= MATCH:
        where = f"{best['paragraph_id']} ({best['recommending_state']})"
        if record.has_numbers and best["paragraph_id"] != pid:
            cited = (f"{pid} is {who}'s: {_short(cited_rows['text'].iloc[0])}" if cited_exists
                     else f"there is no paragraph {pid} in the record")
            return _row("wrong number", best, best["score"], f"the text is {where}; {cited}")
        if iso3s and best["recommending_iso3"] not in iso3s:
            return _row("wrong state", best, best["score"],
                        f"the text is {where}, not {cite['cited_state']}'s")
        if best["score"] >= EXACT:
            return _row("exact", best, best["score"], "")
        return _row("paraphrased", best, best["score"], "the wording differs from the record")
    # the text is not recognised: does the number with the state still point somewhere?
    own = cited_rows.loc[cited_rows["recommending_iso3"].isin(iso3s)] if iso3s else cited_rows
    if not own.empty:
        s = scored.loc[scored.index.isin(own.index)]
        if not s.empty and s["score"].iloc[0] >= LOOSE:
            return _row("paraphrased", s.iloc[0], s["score"].iloc[0],
                        "loosely worded; number and state agree")
    near = "" if best is None else (f"; closest is {best['paragraph_id']} "
                                    f"({best['recommending_state']}), similarity "
                                    f"{best['score']:.2f}")
    cited = (f"paragraph {pid} is {who}'s" if cited_exists
             else f"there is no paragraph {pid} in the record")
    return _row("not found", None, None if best is None else best["score"],
                f"no recommendation has this text; {cited}{near}")


def classify_quoted(cite: pd.Series, record: Record) -> dict | None:
    """Class of a quoted passage, or None if it is not a recommendation text at all."""
    iso3s = _states(cite["cited_iso3"])
    introduced = bool(iso3s) and bool(INTRODUCED.search(cite.get("context", "") or ""))
    scored = record.scored(cite["cited_text"], quote=True,
                           floor=QUOTE_LOOSE if introduced else QUOTE_MATCH)
    best = _pick(scored, None, iso3s)
    if best is not None and (best["score"] >= QUOTE_MATCH
                             or (introduced and best["score"] >= QUOTE_LOOSE)):
        where = f"{best['paragraph_id']} ({best['recommending_state']})"
        same = aligned_ratio(normalise_text(cite["cited_text"]), best["norm"])
        if iso3s and best["recommending_iso3"] not in iso3s:
            return _row("wrong state", best, same,
                        f"the text is {where}, not {cite['cited_state']}'s")
        if same >= EXACT:
            return _row("exact", best, same, f"quoted from {where}")
        return _row("paraphrased", best, same, f"quoted with changes from {where}")
    if introduced:
        return _row("not found", None, None if best is None else best["score"],
                    f"introduced as {cite['cited_state']}'s recommendation; no such text")
    return None


def classify(cites: pd.DataFrame, record: Record) -> pd.DataFrame:
    """Add the matching columns to the extracted citations; drop quotes that are not
    recommendation texts."""
    rows, keep = [], []
    for i, cite in cites.iterrows():
        res = (classify_quoted(cite, record) if cite["kind"] == "quoted"
               else classify_numbered(cite, record))
        if res is not None:
            rows.append(res)
            keep.append(i)
    out = cites.loc[keep].reset_index(drop=True)
    return pd.concat([out, pd.DataFrame(rows, columns=COLUMNS)], axis=1)
