"""Find the UPR recommendations a report cites: numbered citations, their chains, and quoted
recommendation texts without a number.

A numbered citation reads ``Recommendation 186.124: <text> (<State>)``. A footnote may chain
several, separated by semicolons; a segment of a chain without its own number (``...(Benin);
Step up cooperation ... (Albania).``) is another state's part of the same paragraph and takes
the number before it. The recommending state is the first parenthesis after the text whose
content names states; other parentheses ("(ICCPR)") belong to the text.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cache

import pandas as pd

from uprlib.transform.countries import UnmappedCountryError, countries, iso3_of
from uprlib.workspace.paths import PACKAGE_DATA

from .report_text import ReportText

NUMBERED = re.compile(
    r"\bRecommendations?\s+(?:No\.?\s*)?(?P<num>\d{1,3}\.\d{1,3})\b\s*[:\-\u2013\u2014]?\s*")
# a parenthesis, allowing one level of nesting ("(Bolivia (Plurinational State of))")
PAREN = re.compile(r"\(((?:[^()]|\([^()]*\))*)\)")
# a footnote number glued to a word or closing punctuation inside a citation's text
GLUED_NUMBER = re.compile(r"(?:(?<=[A-Za-z)\u201d\u2019][.,;:])|(?<=[A-Za-z)\u201d\u2019]))\d{1,3}"
                          r"(?=[\s,.;:]|$)")
QUOTE = re.compile(r"\u201c([^\u201c\u201d]{15,800})\u201d|\"([^\"]{15,800})\"")
# a chain continues after ";" or "; and"
CHAIN_SEP = re.compile(r"\s*;\s*(?:and\s+)?")
MAX_CITATION_CHARS = 1500  # longest text read for one numbered citation
MAX_SEGMENT_CHARS = 700  # longest segment of a chain
CONTEXT_CHARS = 160  # text before a quote searched for the state that made it
QUOTE_MIN_WORDS = 6  # shorter quotes ("consider") are not taken for recommendation texts


@dataclass
class Citation:
    """One cited recommendation as the report gives it."""

    kind: str  # numbered | continuation | quoted
    cited_paragraph: str | None
    cited_text: str
    cited_state: str | None  # as printed
    cited_iso3: str | None  # " | "-joined if several
    line: int
    footnote: int | None
    chain: int  # citations in one chain (one footnote) share this number
    start: int  # offset in the report's stream
    end: int
    context: str = ""  # text before a quote (quoted citations)


def states_in(label: str) -> list[str] | None:
    """ISO3 codes of the states named in a parenthesis ("Austria, Slovakia"), else None."""
    label = " ".join(label.split())
    if not label or len(label) > 120:
        return None
    try:
        return [iso3_of(label)]
    except UnmappedCountryError:
        pass
    parts = [p for p in re.split(r"\s*(?:,|;|\band\b)\s*", label) if p]
    try:
        return [iso3_of(p) for p in parts] if len(parts) > 1 else None
    except UnmappedCountryError:
        return None


def clean_text(text: str) -> str:
    """A citation's text without glued footnote numbers, edge punctuation and extra space."""
    text = GLUED_NUMBER.sub("", text)
    text = re.sub(r"\[(\w{1,3})\]", r"\1", text)  # editorial brackets: "[i]ntensify"
    return " ".join(text.split()).strip(" ;,.:")


def _segments(region: str) -> list[tuple[int, int, str, list[str]]]:
    """Segments (start, end, state label, iso3s) of a chain at the start of ``region``."""
    out: list[tuple[int, int, str, list[str]]] = []
    pos = 0
    while pos < len(region):
        found = None
        for m in PAREN.finditer(region, pos, min(len(region), pos + MAX_SEGMENT_CHARS)):
            codes = states_in(m.group(1))
            if codes:
                found = (m, codes)
                break
        if found is None:
            break
        m, codes = found
        out.append((pos, m.end(), " ".join(m.group(1).split()), codes))
        sep = CHAIN_SEP.match(region, m.end())
        if not sep:
            break
        pos = sep.end()
    return out


def numbered_citations(report: ReportText) -> list[Citation]:
    """Every ``Recommendation <number>: <text> (<State>)`` and the segments chained to it."""
    stream = report.stream
    heads = list(NUMBERED.finditer(stream))
    out: list[Citation] = []
    chain = 0
    prev_end = -1
    footnote: int | None = None
    for k, head in enumerate(heads):
        stop = heads[k + 1].start() if k + 1 < len(heads) else len(stream)
        region = stream[head.end(): min(stop, head.end() + MAX_CITATION_CHARS)]
        segs = _segments(region)
        # a citation that directly follows the previous one (after ";") is in the same chain
        between = stream[prev_end:head.start()] if prev_end >= 0 else ""
        line = report.line_of(head.start())
        if not (prev_end >= 0 and re.fullmatch(r"\s*;?\s*(?:and\s*)?", between)):
            chain += 1
            footnote = report.footnote_before(line)  # the marker above a chain's first line
        if not segs:  # no state named: keep the first sentence as the text
            text = re.split(r"(?<=[.;])\s", region, maxsplit=1)[0]
            out.append(Citation("numbered", head.group("num"), clean_text(text), None, None,
                                line, footnote, chain, head.start(), head.end() + len(text)))
            prev_end = head.end() + len(text)
            continue
        for j, (s, e, label, codes) in enumerate(segs):
            a, b = head.end() + s, head.end() + e
            text = region[s:e][: region[s:e].rfind("(")]  # without the state's parenthesis
            out.append(Citation("numbered" if j == 0 else "continuation", head.group("num"),
                                clean_text(text), label, " | ".join(codes),
                                line if j == 0 else report.line_of(a), footnote, chain,
                                head.start() if j == 0 else a, b))
            prev_end = b
    return out


@cache
def _name_pattern() -> re.Pattern[str]:
    """Every state name and alias, longest first, for finding states in running text."""
    aliases = pd.read_csv(PACKAGE_DATA / "country_aliases.csv", dtype=str,
                          keep_default_na=False)["alias"]
    names = {n for n in [*countries()["name"], *aliases] if len(n) > 3}
    alts = sorted((re.escape(n).replace(r"\ ", r"\s+") for n in names), key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(alts) + r")(?:['\u2019]s)?(?![\w])")


def quoted_passages(report: ReportText, skip: list[tuple[int, int]],
                    exclude: str | None = None) -> list[Citation]:
    """Quoted passages of at least ``QUOTE_MIN_WORDS`` words outside numbered citations.

    The state named just before the quote (``Switzerland's recommendation to "..."``) or in a
    parenthesis right after it is taken as the state the report attributes it to (never
    ``exclude``, the state under review). Which
    passages are recommendation texts is decided by matching (:mod:`.matching`).
    """
    stream = report.stream
    out: list[Citation] = []
    chain = 10_000
    for m in QUOTE.finditer(stream):
        if any(a <= m.start() < b for a, b in skip):
            continue
        text = clean_text(m.group(1) or m.group(2))
        if len(text.split()) < QUOTE_MIN_WORDS:
            continue
        before = stream[max(0, m.start() - CONTEXT_CHARS): m.start()]
        before = re.split(r"(?<=[.!?])\s+(?=[A-Z])", before)[-1]  # same sentence only
        rest = stream[m.end(): m.end() + 200]
        after = PAREN.match(rest, len(rest) - len(rest.lstrip(" ,.;")))
        if after and states_in(after.group(1)):
            label = after.group(1)
        else:
            named = [n for n in _name_pattern().findall(before) if iso3_of(n) != exclude]
            label = named[-1] if named else None
        codes = states_in(label) if label else None
        glued = re.match(r"[.,;:]?(\d{1,3})\b", stream[m.end():])
        chain += 1
        out.append(Citation("quoted", None, text, label, " | ".join(codes) if codes else None,
                            report.line_of(m.start()), int(glued.group(1)) if glued else None,
                            chain, m.start(), m.end(), context=before))
    return out


def extract(report: ReportText, exclude: str | None = None) -> pd.DataFrame:
    """Every numbered citation (with chained segments) and every candidate quoted passage;
    ``exclude`` is the state under review (never taken for a recommending state)."""
    numbered = numbered_citations(report)
    spans = [(c.start, c.end) for c in numbered]
    rows = [asdict(c) for c in numbered + quoted_passages(report, spans, exclude)]
    cols = list(Citation.__dataclass_fields__)
    return pd.DataFrame(rows, columns=cols)
