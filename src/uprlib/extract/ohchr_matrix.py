"""Reader for OHCHR "UPR matrix of recommendations" Word files.

The matrix is one Word table with the columns Recommendation, Position, Full list of themes
and Assessment. Rows whose cells all read "Theme: <code> <label>" head a group of
recommendations. A recommendation cell holds "<para id>[.] <text> (<State>)[;]" possibly
followed by further "<text> (<State>)" clauses that the Working Group merged into the same
paragraph, and ends with "Source of position: <document> - Para. <n>". The themes cell lists
theme codes, then "Affected persons:" and "- <group>" lines.

``read_matrix`` returns one row per paragraph; ``split_states`` turns a paragraph's text into
(state, clause) pairs: each clause ends in one or more parenthesised state names.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pandas as pd
from docx.opc.exceptions import PackageNotFoundError

from uprlib.errors import MatrixFormatError
from uprlib.workspace.text import LIST_SEP

HEADER = ("Recommendation", "Position", "Full list of themes")
POSITIONS = {"supported": "accepted", "noted": "noted"}

_PARA_ID = re.compile(r"^\s*(\d{1,3}\.\d{1,3})\.?\s+")
_SOURCE = re.compile(
    r"\s*Source of position:\s*(?P<doc>[A-Z]/[A-Z]+/[\w./]+?)(?:/Add\.\d+)?\s*-?\s*"
    r"(?:Para\..*)?$",
    re.S,
)
_THEME_HEADER = re.compile(r"^Theme:\s*(?P<code>[A-Z]\d*)\s+(?P<label>.+)$")
_THEME_CODE = re.compile(r"^(?P<code>[A-Z]\d*)\s+(?P<label>.+)$")
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


def _looks_like_state(s: str) -> bool:
    """A parenthesised group that could be a state name: capitalised, no digits."""
    s = s.strip()
    return bool(s) and s[0].isupper() and not any(ch.isdigit() for ch in s)


def split_states(text: str) -> list[Clause]:
    """Split a paragraph into one clause per recommending state.

    "Ratify X (Estonia); Ratify Y (Uruguay) (Mali);" gives Estonia: "Ratify X",
    Uruguay: "Ratify Y" and Mali: "Ratify Y". A clause with no closing state is an error.
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
        states = tuple(" ".join(g.group(1).split()) for g in groups[first:])
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


def _cells(row) -> list[str]:
    return [c.text.strip() for c in row.cells]


def _parse_themes(cell: str) -> tuple[list[str], list[str], list[str]]:
    codes, labels, persons = [], [], []
    in_persons = False
    for line in (" ".join(ln.split()) for ln in cell.splitlines()):
        if not line:
            continue
        if line.lower().startswith("affected persons"):
            in_persons = True
            continue
        if in_persons:
            if line.startswith("-") or not persons:
                persons.append(line.lstrip("- ").strip())
            else:  # a group name wrapped onto the next line
                persons[-1] = f"{persons[-1]} {line}"
        elif m := _THEME_CODE.match(line):
            codes.append(m["code"])
            labels.append(m["label"].strip())
        elif labels:  # a label wrapped onto the next line ("Children: definition" / "...")
            labels[-1] = f"{labels[-1]}, {line}"
        else:
            raise MatrixFormatError(f"theme line {line!r} has no theme code")
    return codes, labels, persons


def read_matrix(path: Path | str) -> pd.DataFrame:
    """Read an OHCHR matrix: one row per paragraph, in document order.

    Columns: paragraph_id, paragraph_text, position, response, theme_codes, theme_labels,
    affected_persons, theme_section, source_document, row (1-based table row).
    """
    path = Path(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise MatrixFormatError(f"{path}: not a readable Word (.docx) file: {err}") from err
    if not document.tables:
        raise MatrixFormatError(f"{path}: no table found")
    table = max(document.tables, key=lambda t: len(t.rows))
    head = _cells(table.rows[0])
    if tuple(h.split("\n")[0] for h in head[:3]) != HEADER:
        raise MatrixFormatError(f"{path}: first row {head[:3]} is not the header {list(HEADER)}")
    records = []
    section = None
    for i, row in enumerate(table.rows[1:], start=2):
        cells = _cells(row)
        if len(cells) < 3:
            raise MatrixFormatError(f"{path}: table row {i} has {len(cells)} cells, expected 4")
        if (m := _THEME_HEADER.match(cells[0])) and len(set(cells)) == 1:
            section = f"{m['code']} {m['label'].strip()}"
            continue
        if not cells[0]:
            continue
        m = _PARA_ID.match(cells[0])
        if not m:
            raise MatrixFormatError(
                f"{path}: table row {i}: no paragraph number in {cells[0][:80]!r}"
            )
        body = cells[0][m.end():]
        src = _SOURCE.search(body)
        document_symbol = None
        if src:
            document_symbol = src["doc"].rstrip("/")
            body = body[: src.start()]
        body = " ".join(body.split())
        position = cells[1].strip()
        response = POSITIONS.get(position.casefold())
        if response is None:
            raise MatrixFormatError(
                f"{path}: table row {i} (para. {m[1]}): unknown position {position!r}; "
                f"expected one of {sorted(POSITIONS)}"
            )
        try:
            codes, labels, persons = _parse_themes(cells[2])
        except MatrixFormatError as err:
            raise MatrixFormatError(f"{path}: table row {i} (para. {m[1]}): {err}") from err
        records.append(
            {
                "paragraph_id": m[1],
                "paragraph_text": body,
                "position": position,
                "response": response,
                "theme_codes": LIST_SEP.join(codes),
                "theme_labels": LIST_SEP.join(labels),
                "affected_persons": LIST_SEP.join(persons),
                "theme_section": section,
                "source_document": document_symbol,
                "row": i,
            }
        )
    if not records:
        raise MatrixFormatError(f"{path}: the table holds no recommendations")
    df = pd.DataFrame.from_records(records)
    dupes = df.loc[df["paragraph_id"].duplicated(keep=False), "paragraph_id"].unique()
    if len(dupes):
        raise MatrixFormatError(f"{path}: paragraph ids repeated: {sorted(dupes)}")
    return df


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
