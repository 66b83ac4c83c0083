"""Reader for OHCHR recommendation files (Word): the "matrix" and the "thematic list" of any cycle.

OHCHR publishes, for each review, one Word table of the recommendations the state under review
received, grouped by theme. The format changed over the cycles; this reader takes all of them:

* **cycles 2-3, "matrix"** (China 2013 and 2018, Slovenia 2014): columns Recommendation,
  Position, Full list of themes, Assessment. The themes cell lists OHCHR theme codes with their
  labels ("A12 Acceptance of international norms"), then "Affected persons:" and "- <group>".
* **cycle 3, "thematic list"** (Slovenia 2019): the same columns; themes are "- <label>" lines
  without codes, then "SDGs:" and "Affected persons:" blocks.
* **cycle 4** (Slovenia 2025): columns "Recommendation and recommending State", "Position of the
  State under review", "Human rights themes and groups of persons", "Relevant SDGs"; the persons
  block is headed "Groups of Persons:".

Rows whose cells all read "Theme: [<code>] <label>" head a group of recommendations. A
recommendation cell holds "<para id>[.] <text> (<State>)[;]", possibly followed by further
"<text> (<State>)" clauses that the Working Group merged into the same paragraph; joint
recommenders are written "(France) (Mali)" or "(Portugal, Slovakia)". The cell ends with
"Source of position: <symbol>[/Add.1] - Para. <n>". The page header names the review:
"UPR of Slovenia (4th Cycle - 48th Session)".

:func:`read_file` returns one row per paragraph and what the file says about its review
(:class:`FileReview`); :func:`explode_states` turns paragraphs into one row per recommending
state. Every recommendation row is read, or the file is refused with an error naming the file
and the table row.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
import pandas as pd
from docx.opc.exceptions import PackageNotFoundError

from uprlib.errors import MatrixFormatError
from uprlib.workspace.text import LIST_SEP

POSITIONS = {"supported": "accepted", "noted": "noted"}

# header cells, matched at the start of each cell (case-insensitive); SDGs and assessment optional
_HEADER = {
    "recommendation": re.compile(r"^\s*recommendation", re.I),
    "position": re.compile(r"^\s*position", re.I),
    "themes": re.compile(r"\btheme", re.I),
}
_SDG_HEADER = re.compile(r"\bSDGs?\b", re.I)

_PARA_ID = re.compile(r"^\s*(\d{1,3}\.\d{1,3})\.?\s+")
_SOURCE = re.compile(
    r"\s*Source of position\s*:\s*(?P<doc>[A-Z]+/[A-Z]+/\d+/\d+)(?P<add>/Add\.\s*\d+)?"
    r"(?P<rest>[^\n]*)\s*$",
    re.I,
)
_CODE = r"[A-Z]\d{0,3}"
_THEME_HEADER = re.compile(rf"^Theme:\s*(?:(?P<code>{_CODE})\s+(?=[A-Z]))?(?P<label>\S.*)$", re.S)
_THEME_CODE = re.compile(rf"^(?P<code>{_CODE})\s+(?P<label>[A-Z].*)$")
_PERSONS = re.compile(r"^(affected persons|groups? of persons)\s*:\s*(?P<rest>.*)$", re.I)
_SDGS = re.compile(r"^SDGs?\s*:\s*(?P<rest>.*)$", re.I)
_SDG_LINE = re.compile(r"^-?\s*(?:SDG\s*)?(?P<goal>\d{1,2})\s*[-–:]", re.I)
_SDG_CODE = re.compile(r"^S(?P<goal>\d{2})$")
_REVIEW_HEADING = re.compile(
    r"UPR of (?P<state>\S.*?)\s*\(\s*(?P<cycle>\d)\s*(?:st|nd|rd|th)\s+cycle\s*[-–—]\s*"
    r"(?P<session>\d{1,2})\s*(?:st|nd|rd|th)\s+session\s*\)",
    re.I,
)
_KIND = re.compile(r"(thematic list|matrix) of recommendations", re.I)

# A state attribution: one or more "(Name)" groups closing a clause, i.e. followed by ";",
# "." or the end of the text. Parentheses inside a clause ("the Convention (CAT) and") are
# not followed by a clause end and are left alone.
_PAREN = r"\((?:[^()]|\([^()]*\))+\)"  # one level of nesting: "(Bolivia (Plurinational State of))"
_ATTRIBUTION = re.compile(rf"(?P<groups>(?:\s*{_PAREN})+)\s*(?:[;.,]|$)")
_GROUP = re.compile(r"\(((?:[^()]|\([^()]*\))+)\)")


@dataclass(frozen=True)
class Clause:
    """One state's recommendation inside a paragraph."""

    state: str
    text: str
    joint_with: tuple[str, ...]  # other states credited with the same clause


@dataclass(frozen=True)
class FileReview:
    """What an OHCHR file says about the review it belongs to (None where it says nothing)."""

    state: str | None  # the state under review as the heading spells it
    cycle: int | None
    session: int | None
    symbol: str | None  # the Working Group report, e.g. "A/HRC/59/15"
    kind: str | None  # "matrix" or "thematic list", from the heading
    heading: str | None  # the heading the above were read from


@dataclass(frozen=True)
class OhchrFile:
    """A read OHCHR recommendations file: one row per paragraph and its review."""

    paragraphs: pd.DataFrame
    review: FileReview


def _looks_like_state(s: str) -> bool:
    """A parenthesised group that could be a state name: capitalised, no digits, not an
    acronym (OHCHR writes states' names in full; "(ICRMW)" or "(CAT)" name treaties)."""
    s = s.strip()
    return (bool(s) and s[0].isupper() and not any(ch.isdigit() for ch in s)
            and any(ch.islower() for ch in s))


def _group_states(group: str) -> list[str]:
    """The state names in one parenthesised group: "Portugal, Slovakia" gives two."""
    name = " ".join(group.split())
    parts = [p.strip() for p in name.split(",")]
    if len(parts) > 1 and all(_looks_like_state(p) for p in parts):
        return parts
    return [name]


def split_states(text: str) -> list[Clause]:
    """Split a paragraph into one clause per recommending state.

    "Ratify X (Estonia); Ratify Y (Uruguay) (Mali);" gives Estonia: "Ratify X",
    Uruguay: "Ratify Y" and Mali: "Ratify Y"; "Ratify Z (Portugal, Slovakia)" credits both.
    A clause with no closing state is an error.
    """
    clauses: list[Clause] = []
    pos = 0
    for m in _ATTRIBUTION.finditer(text):
        groups = list(_GROUP.finditer(m.group("groups")))
        # the last group always names a state; earlier ones in the same run do only if they
        # look like a name ("(2016–2020) (Kyrgyzstan)", "(the Paris Principles) (Niger)")
        first = len(groups) - 1
        while first > 0 and _looks_like_state(groups[first - 1].group(1)):
            first -= 1
        cut = m.start("groups") + groups[first].start()
        body = text[pos:cut].strip(" ;,\n")
        states = tuple(s for g in groups[first:] for s in _group_states(g.group(1)))
        # a parenthesis closing a clause with no text before it belongs to the clause before
        if not body and clauses:
            continue
        for s in states:
            clauses.append(Clause(s, body, tuple(x for x in states if x != s)))
        pos = m.end()
    rest = text[pos:].strip(" ;.,\n")
    if rest or not clauses:
        raise MatrixFormatError(f"no recommending state closes the text {rest or text!r}")
    return clauses


def _lines(cell: str) -> list[str]:
    return [ln for ln in (" ".join(x.split()) for x in cell.splitlines()) if ln]


def _sdg_goals(lines: list[str]) -> list[str]:
    goals = []
    for line in lines:
        m = _SDG_LINE.match(line)
        if not m or not 1 <= int(m["goal"]) <= 17:
            raise MatrixFormatError(f"SDG line {line!r} names no goal 1-17")
        goals.append(str(int(m["goal"])))
    return goals


def _add_theme(out: dict[str, list[str]], line: str) -> None:
    """Add one line of the themes block: "- <label>", "<code> <label>" or a wrapped label."""
    if line.startswith("-"):
        out["labels"].append(line.lstrip("-– ").strip())
    elif m := _THEME_CODE.match(line):
        out["codes"].append(m["code"])
        out["labels"].append(m["label"].strip())
    elif out["labels"]:  # a label wrapped onto the next line ("Children: definition" / "...")
        out["labels"][-1] = f"{out['labels'][-1]}, {line}"
    else:
        raise MatrixFormatError(f"theme line {line!r} has neither a theme code nor a '-'")


def parse_themes(cell: str) -> dict[str, list[str]]:
    """Theme codes, theme labels, affected persons and SDG goals of one themes cell.

    Themes are "<code> <label>" lines (cycles 2-3 matrices) or "- <label>" lines (later
    thematic lists); an "SDGs:" block lists goals, an "Affected persons:" or "Groups of
    persons:" block lists groups. A line that continues the previous one is joined to it.
    """
    out: dict[str, list[str]] = {"codes": [], "labels": [], "persons": [], "sdg_lines": []}
    block = "themes"
    for line in _lines(cell):
        if m := _PERSONS.match(line):
            block, line = "persons", m["rest"]
        elif m := _SDGS.match(line):
            block, line = "sdg_lines", m["rest"]
        if not line:
            continue
        if block == "themes":
            _add_theme(out, line)
        elif line.startswith("-") or not out[block]:
            out[block].append(line.lstrip("-– ").strip())
        else:  # a group name or goal wrapped onto the next line
            out[block][-1] += f" {line.lstrip('-– ').strip()}"
    sdgs = _sdg_goals(out.pop("sdg_lines"))
    # cycle-3 matrices code the goals as themes: "S16 SDG 16 - peace, justice ..."
    sdgs += [str(int(m["goal"])) for c in out["codes"] if (m := _SDG_CODE.match(c))]
    out["sdgs"] = list(dict.fromkeys(sdgs))
    return out


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUN_CHARS = {f"{_W}tab": "\t", f"{_W}ptab": "\t", f"{_W}cr": "\n", f"{_W}noBreakHyphen": "-"}


def _run_text(run: Any) -> str:
    parts = []
    for el in run:
        if el.tag == f"{_W}t":
            parts.append(el.text or "")
        elif el.tag == f"{_W}br":  # a line break; page and column breaks are no text
            parts.append("\n" if el.get(f"{_W}type", "textWrapping") == "textWrapping" else "")
        elif el.tag in _RUN_CHARS:
            parts.append(_RUN_CHARS[el.tag])
    return "".join(parts)


def cell_text(cell: Any) -> str:
    """A table cell's text exactly as python-docx's ``_Cell.text`` gives it (paragraphs joined
    by newlines; runs and hyperlinked runs; tabs, breaks, non-breaking hyphens), read straight
    from the XML: python-docx runs an XPath query per paragraph and run, which made it most of
    the reading time."""
    paragraphs = []
    for p in cell._tc.iterchildren(f"{_W}p"):
        parts = []
        for child in p:
            if child.tag == f"{_W}r":
                parts.append(_run_text(child))
            elif child.tag == f"{_W}hyperlink":
                parts.extend(_run_text(r) for r in child.iterchildren(f"{_W}r"))
        paragraphs.append("".join(parts))
    return "\n".join(paragraphs)


def _open(path: Path) -> docx.document.Document:
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise MatrixFormatError(f"{path}: not a readable Word (.docx) file: {err}") from err


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    """Column index of each known header cell, or None if the row is not the header."""
    cols: dict[str, int] = {}
    for i, cell in enumerate(cells):
        for name, pattern in _HEADER.items():
            if name not in cols and pattern.search(cell):
                cols[name] = i
                break
        else:
            if "sdgs" not in cols and _SDG_HEADER.search(cell):
                cols["sdgs"] = i
    return cols if set(_HEADER) <= set(cols) else None


def _heading_texts(document: docx.document.Document) -> list[str]:
    texts = []
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header):
            if part.is_linked_to_previous and part is not section.header:
                continue
            texts += [p.text for p in part.paragraphs]
            texts += [c.text for t in part.tables for r in t.rows for c in r.cells]
    texts += [p.text for p in document.paragraphs]
    return [t for t in texts if t.strip()]


def _review_from_heading(path: Path, texts: list[str]) -> tuple[
        str | None, int | None, int | None, str | None, str | None]:
    found = {}
    kind = None
    for text in texts:
        if m := _REVIEW_HEADING.search(text):
            state = " ".join(m["state"].split())
            found.setdefault((state, int(m["cycle"]), int(m["session"])), " ".join(m[0].split()))
        if kind is None and (k := _KIND.search(text)):
            kind = k[1].lower()
    if len(found) > 1:
        raise MatrixFormatError(f"{path}: the headings name different reviews: {sorted(found)}")
    if not found:
        return None, None, None, None, kind
    ((state, cycle, session), heading), = found.items()
    return state, cycle, session, heading, kind


def _recommendation_tables(path: Path, document: docx.document.Document):
    """(table, column map, first data row) of every table of recommendations, in order.

    A table whose first row is the recommendations header starts the list; a table without
    a header that holds recommendations (a paragraph-numbered first cell) continues the one
    before it when it has as many columns, and is refused otherwise, so that no
    recommendation in the file goes unread.
    """
    out: list[tuple[Any, dict[str, int], int]] = []
    for number, table in enumerate(document.tables, start=1):
        if not table.rows:
            continue
        cols = _header_columns([cell_text(c).strip() for c in table.rows[0].cells])
        if cols:
            out.append((table, cols, 1))
            continue
        firsts = [(i, cell_text(row.cells[0]).strip()) for i, row in enumerate(table.rows, start=1)
                  if row.cells]
        recs = [(i, text) for i, text in firsts if _PARA_ID.match(text)]
        if not recs:
            continue  # a table of something else (a cover, a legend)
        if out and len(table.columns) == len(out[-1][0].columns):
            out.append((table, out[-1][1], 0))
            continue
        i, text = recs[0]
        raise MatrixFormatError(
            f"{path}: table {number} row {i} holds a recommendation ({text[:60]!r}) but the "
            "table has no Recommendation | Position | themes header and does not continue "
            "a table that has one")
    if not out:
        raise MatrixFormatError(
            f"{path}: not an OHCHR recommendations file: no table with the header "
            "Recommendation | Position | themes")
    return out


def _row_themes(cells: list[str], cols: dict[str, int], where: str) -> dict[str, list[str]]:
    """The themes cell of one row, with the goals of an SDG column if the table has one."""
    try:
        themes = parse_themes(cells[cols["themes"]])
        if "sdgs" in cols:
            extra = _sdg_goals([ln.lstrip("-– ") for ln in _lines(cells[cols["sdgs"]])])
            themes["sdgs"] = list(dict.fromkeys(themes["sdgs"] + extra))
    except MatrixFormatError as err:
        raise MatrixFormatError(f"{where}: {err}") from err
    return themes


def _recommendation(cells: list[str], cols: dict[str, int], where: str, section: str | None,
                    row_no: int) -> dict[str, Any]:
    """One recommendation row of a table as a paragraph record; ``where`` names the row."""
    if len(cells) <= max(cols.values()):
        raise MatrixFormatError(f"{where} has {len(cells)} cells, expected "
                                f"{max(cols.values()) + 1}")
    rec = cells[cols["recommendation"]]
    m = _PARA_ID.match(rec)
    if not m:
        raise MatrixFormatError(f"{where}: no paragraph number in {rec[:80]!r}")
    where = f"{where} (para. {m[1]})"
    body = rec[m.end():]
    document_symbol = None
    if src := _SOURCE.search(body):
        document_symbol = src["doc"]
        body = body[: src.start()]
    body = " ".join(body.split())
    if not body:
        raise MatrixFormatError(f"{where}: no recommendation text")
    position = " ".join(cells[cols["position"]].split())
    response = POSITIONS.get(position.casefold())
    if response is None:
        raise MatrixFormatError(f"{where}: unknown position {position!r}; expected one"
                                f" of {sorted(POSITIONS)}")
    themes = _row_themes(cells, cols, where)
    return {
        "paragraph_id": m[1],
        "paragraph_text": body,
        "position": position,
        "response": response,
        "theme_codes": LIST_SEP.join(themes["codes"]),
        "theme_labels": LIST_SEP.join(themes["labels"]),
        "affected_persons": LIST_SEP.join(themes["persons"]),
        "sdgs": LIST_SEP.join(themes["sdgs"]),
        "theme_section": section,
        "source_document": document_symbol,
        "row": row_no,
    }


def _paragraphs(path: Path, document: docx.document.Document) -> list[dict[str, Any]]:
    """Every recommendation row of the file's tables, under the theme heading above it."""
    records = []
    section = None
    row_no = 0
    for table, cols, first in _recommendation_tables(path, document):
        row_no += first  # the header
        for tr in table.rows[first:]:
            row_no += 1
            cells = [cell_text(c).strip() for c in tr.cells]
            if not any(cells):
                continue
            if (m := _THEME_HEADER.match(cells[0])) and len(set(cells)) == 1:
                label = " ".join(m["label"].split())
                section = f"{m['code']} {label}" if m["code"] else label
                continue
            records.append(_recommendation(cells, cols, f"{path}: table row {row_no}", section,
                                           row_no))
    return records


def _check_paragraphs(path: Path, df: pd.DataFrame) -> Counter:
    """Refuse repeated paragraph ids and a row whose source of position differs from the
    others'; return the count of each source-of-position symbol."""
    dupes = df.loc[df["paragraph_id"].duplicated(keep=False), "paragraph_id"].unique()
    if len(dupes):
        raise MatrixFormatError(f"{path}: paragraph ids repeated: {sorted(dupes)}")
    symbols = Counter(df["source_document"].dropna())
    if len(symbols) > 1:
        main = symbols.most_common(1)[0][0]
        odd = df.loc[df["source_document"].notna() & (df["source_document"] != main)].iloc[0]
        raise MatrixFormatError(
            f"{path}: table row {odd['row']} (para. {odd['paragraph_id']}): source of position "
            f"{odd['source_document']} differs from the {main} of the other rows")
    return symbols


def read_file(path: Path | str) -> OhchrFile:
    """Read an OHCHR matrix or thematic list: paragraphs in document order and its review.

    Paragraph columns: paragraph_id, paragraph_text, position, response, theme_codes,
    theme_labels, affected_persons, sdgs, theme_section, source_document, row (1-based row
    of the table, counted on over a table that continues it).
    """
    path = Path(path)
    document = _open(path)
    records = _paragraphs(path, document)
    if not records:
        raise MatrixFormatError(f"{path}: the recommendations table holds no recommendations")
    df = pd.DataFrame.from_records(records)
    symbols = _check_paragraphs(path, df)
    state, cycle, session, heading, kind = _review_from_heading(path, _heading_texts(document))
    review = FileReview(state=state, cycle=cycle, session=session,
                        symbol=next(iter(symbols), None), kind=kind, heading=heading)
    return OhchrFile(df, review)


def read_matrix(path: Path | str) -> pd.DataFrame:
    """One row per paragraph of an OHCHR recommendations file (see :func:`read_file`)."""
    return read_file(path).paragraphs


def explode_states(paragraphs: pd.DataFrame, path: Path | str = "") -> pd.DataFrame:
    """One row per (paragraph, recommending state), with that state's clause as ``text``."""
    rows = []
    for rec in paragraphs.to_dict("records"):
        try:
            clauses = split_states(rec["paragraph_text"])
        except MatrixFormatError as err:
            raise MatrixFormatError(
                f"{path}: table row {rec['row']} (para. {rec['paragraph_id']}): {err}"
            ) from err
        for order, c in enumerate(clauses, start=1):
            rows.append({**rec, "state_order": order, "recommending_state": c.state,
                         "text": c.text, "joint_with": LIST_SEP.join(c.joint_with)})
    return pd.DataFrame.from_records(rows)
