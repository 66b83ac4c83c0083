"""Which recommendations belong to each section of the assessment: documented, testable rules.

A section rule selects a recommendation when ANY of these holds:

* one of its OHCHR theme codes is in ``theme_codes`` (matrix-sourced rows);
* one of its UPR Info issues is in ``issues`` (UPR Info rows, and DIHR rows, which borrow
  the issues of the UPR Info row they are paired with in the cross-check);
* its text matches one of the topic ``patterns`` (regular expressions, case-insensitive).

Each topic is a named pattern, so every selected row says which topics it touches
(``topics`` column) and why it was selected (``matched_by``). Rules work at the state level and
are lifted to paragraphs (a paragraph is in a section if any of its clauses is), so they apply
unchanged to any country and cycle.

The ICCPR rule is stricter, see :func:`iccpr_ratification`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from uprlib.transform.sources import DIHR, UPR_INFO_SOURCES
from uprlib.workspace.text import LIST_SEP

ISSUE_SOURCES = (*UPR_INFO_SOURCES, DIHR)  # rows whose ``themes`` are UPR Info issues


@dataclass(frozen=True)
class SectionRule:
    """Selection rule of one section."""

    key: str
    title: str
    theme_codes: frozenset[str] = frozenset()
    issues: frozenset[str] = frozenset()
    topics: dict[str, str] = field(default_factory=dict)  # topic -> regex

    def describe(self) -> str:
        """One paragraph stating the rule, for the methods appendix."""
        parts = []
        if self.theme_codes:
            parts.append("OHCHR theme codes " + ", ".join(sorted(self.theme_codes)))
        if self.issues:
            parts.append("UPR Info issues " + ", ".join(f"'{i}'" for i in sorted(self.issues)))
        if self.topics:
            parts.append("text patterns for " + ", ".join(self.topics))
        return f"{self.title}: any of " + "; ".join(parts) + "."


RULES: dict[str, SectionRule] = {
    "treaty_bodies": SectionRule(
        key="treaty_bodies",
        title="Treaty bodies and UN mechanisms",
        theme_codes=frozenset({"A22", "A23", "A24", "A25", "A26", "A27", "A28"}),
        issues=frozenset({"Treaty bodies", "Special procedures", "UPR process"}),
        topics={
            "treaty bodies": r"treaty bod|concluding observations|\bcommittee (against|on)\b"
                             r"|\b(CAT|CEDAW|CERD|CESCR|CRC|CRPD) committee",
            "special procedures": r"special procedure|special rapporteur|mandate[- ]holder"
                                  r"|standing invitation|working group on",
            "OHCHR": r"high commissioner|\bOHCHR\b|office of the high",
            "UPR": r"universal periodic review|\bUPR\b|mid-?term report",
            "reprisals and participation": r"reprisal|intimidat\w* .{0,60}(UN|United Nations|"
                                           r"international mechanism)|participat\w* in "
                                           r"(the )?(UN|United Nations|international|UPR)",
        },
    ),
    "civil_society": SectionRule(
        key="civil_society",
        title="Legal framework for civil society",
        theme_codes=frozenset({"D43", "D44", "D45", "H1", "A61"}),
        issues=frozenset({"Freedom of opinion and expression", "Freedom of the press",
                          "Freedom of association and peaceful assembly",
                          "Human rights defenders", "Civil society"}),
        topics={
            "expression": r"freedom of (opinion and )?expression|free(dom of)? speech",
            "online expression": r"internet|online|cyber|censorship|blogger|social media",
            "press": r"\bpress\b|journalist|\bmedia\b",
            "association": r"freedom of association|\bassociation\b",
            "assembly": r"\bassembly\b|peaceful(ly)? assembl|demonstrat",
            "NGOs and civil society": r"civil society|\bNGOs?\b|non-?governmental organi[sz]ation",
            "human rights defenders": r"human rights defenders?|\bactivists?\b",
        },
    ),
    "access_to_justice": SectionRule(
        key="access_to_justice",
        title="Access to justice",
        theme_codes=frozenset({"D51"}),
        issues=frozenset({"Justice"}),
        topics={
            "lawyers": r"\blawyers?\b|legal profession|defen[cs]e counsel|attorney|\bbar\b",
            "judiciary": r"judicia|\bjudges?\b|\bcourts?\b|rule of law",
            "fair trial": r"fair trial|due process|presumption of innocence|trial",
            "legal aid": r"legal aid|legal assistance|access to justice",
        },
    ),
}


def _lists(series: pd.Series) -> pd.Series:
    return series.fillna("").map(lambda s: {x.strip() for x in s.split(LIST_SEP) if x.strip()})


def _topic_hits(text: pd.Series, topics: dict[str, str]) -> pd.DataFrame:
    compiled = {t: re.compile(p, re.I) for t, p in topics.items()}
    return pd.DataFrame({t: text.map(lambda s, rx=rx: bool(rx.search(s)))
                         for t, rx in compiled.items()}, index=text.index)


def select(recs: pd.DataFrame, section: str) -> pd.DataFrame:
    """State-level rows of ``recs`` in ``section``, with ``topics`` and ``matched_by`` added."""
    rule = RULES[section]
    codes = _lists(recs["theme_codes"])
    # UPR Info issues: in UPR Info rows, and borrowed onto DIHR rows from their UPR Info pair
    issues = _lists(recs["themes"]).where(recs["source"].isin(ISSUE_SOURCES), set())
    by_code = codes.map(lambda c: bool(c & rule.theme_codes))
    by_issue = issues.map(lambda i: bool(i & rule.issues))
    hits = _topic_hits(recs["text"], rule.topics)
    by_text = hits.any(axis=1)
    keep = by_code | by_issue | by_text
    out = recs.loc[keep].copy()
    out["topics"] = hits.loc[keep].apply(lambda r: LIST_SEP.join(t for t in r.index if r[t]),
                                         axis=1) if keep.any() else pd.Series(dtype=str)
    why = pd.DataFrame({"theme code": by_code, "UPR Info issue": by_issue, "text": by_text})
    out["matched_by"] = why.loc[keep].apply(lambda r: ", ".join(k for k in r.index if r[k]),
                                            axis=1) if keep.any() else pd.Series(dtype=str)
    return out


def paragraphs_in(recs: pd.DataFrame, selected: pd.DataFrame) -> pd.Series:
    """Boolean mask over ``recs``: rows whose paragraph has at least one selected clause."""
    return recs["paragraph_key"].isin(set(selected["paragraph_key"]))


# --- ICCPR ratification --------------------------------------------------------------------

COVENANT = r"(?:\bICCPR\b|International Covenant on Civil and Political Rights)"
RATIFY = r"(?:ratif\w*|accede|accession|become (?:a )?party)"
# mentions of the Covenant that are really about its optional protocols
PROTOCOL = re.compile(
    r"(?:optional protocols?|\bOPs?\b|\bOP\d)\s+(?:\w+\s+){0,3}(?:to|of)\s+(?:the\s+)?" + COVENANT
    + r"|" + COVENANT + r"(?:\s*-\s*OP\d?|\s*[’']s?\s+(?:\w+\s+){0,2}(?:optional )?protocols?)",
    re.I,
)
ICCPR_RULE = (
    "A recommendation asks for ratification of the ICCPR when its first coordinated part (its "
    "text up to the first ', and') names a ratification act (ratify, accede, accession, become "
    "party) and the Covenant (ICCPR or its full title), and that mention of the Covenant is not "
    "a mention of its optional protocols. A paragraph counts when any of its clauses does; all "
    "the clauses of such a paragraph count as the recommendations made by governments."
)


def asks_iccpr_ratification(text: str) -> bool:
    """True if ``text`` asks the state to ratify the ICCPR itself (see ``ICCPR_RULE``)."""
    first = re.split(r",\s+and\s+", text, maxsplit=1)[0]
    cleaned = PROTOCOL.sub(" ", first)
    return bool(re.search(RATIFY, cleaned, re.I) and re.search(COVENANT, cleaned, re.I))


def iccpr_ratification(recs: pd.DataFrame) -> pd.DataFrame:
    """State-level rows of every paragraph that asks for ICCPR ratification.

    Adds ``asks_ratification`` (this clause itself asks) to each row.
    """
    asks = recs["text"].map(asks_iccpr_ratification)
    keys = set(recs.loc[asks, "paragraph_key"])
    out = recs.loc[recs["paragraph_key"].isin(keys)].copy()
    out["asks_ratification"] = asks.loc[out.index]
    return out


def mentions_iccpr(recs: pd.DataFrame) -> pd.DataFrame:
    """Rows that mention the Covenant at all (for showing what the ICCPR rule leaves out)."""
    rx = re.compile(COVENANT, re.I)
    return recs.loc[recs["text"].map(lambda s: bool(rx.search(s)))]
