"""Synthetic OHCHR recommendation files (Word), built with python-docx for the tests."""

from __future__ import annotations

from pathlib import Path

OLD_HEADER = ["Recommendation", "Position", "Full list of themes",
              "Assessment/comments on level of implementation"]
NEW_HEADER = ["Recommendation and recommending State", "Position of the State under review",
              "Human rights themes and groups of persons", "Relevant SDGs"]


def make_docx(path: Path, header: list[str] | None, rows: list[list[str]],
              heading: str | None = None, body: str | None = None) -> Path:
    """A Word file like OHCHR's: a page-header line and one table (header row first)."""
    import docx

    d = docx.Document()
    if heading is not None:
        d.sections[0].header.paragraphs[0].text = heading
    if body is not None:
        d.add_paragraph(body)
    if header is not None:
        t = d.add_table(rows=1 + len(rows), cols=len(header))
        for i, h in enumerate(header):
            t.rows[0].cells[i].text = h
        for r, values in enumerate(rows, start=1):
            if len(values) == 1:  # a theme heading spans the row, as OHCHR merges it
                merged = t.rows[r].cells[0].merge(t.rows[r].cells[-1])
                merged.text = values[0]
                continue
            for i, v in enumerate(values):
                t.rows[r].cells[i].text = v
    d.save(path)
    return path
