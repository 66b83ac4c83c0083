"""A report's plain text as extracted from a PDF: where it comes from, its running text with
page furniture and footnote markers taken out, and its footnotes.

A PDF extraction breaks sentences across lines, puts footnote numbers on lines of their own,
repeats page headers and footers, and loses some footnote markers. :class:`ReportText` keeps
the original lines (for line numbers in findings) and builds a *stream*: the lines that carry
text, joined by single spaces, with a map from each character back to its line.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from uprlib.errors import ReportError
from uprlib.workspace.registry import RawFile, by_role, get, load_registry

# a line holding only a number: a footnote marker or a page number
BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
# a page number line: "12", "Page 12", "12 of 40"
PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?\s*$", re.I)
# a header or footer repeats on pages and sits within this many lines of a page number
FURNITURE_REACH = 4
# longest header or footer line; one ending in . , ; : is text, not furniture
FURNITURE_CHARS = 90
# a footnote's text ends at the next marker, at a paragraph break or after this many lines
FOOTNOTE_LINES = 40


def report_entries() -> list[RawFile]:
    """Registered report texts (role ``report``)."""
    return by_role("report")


def default_report(iso3: str, cycle: int) -> str | None:
    """Registry key of the report that assesses a review (meta ``sur_iso3``, ``cycle``)."""
    for entry in report_entries():
        if (entry.meta.get("sur_iso3") == iso3.upper()
                and int(entry.meta.get("cycle", -1)) == int(cycle)):
            return entry.key
    return None


def report_path(report: str | Path) -> tuple[str, Path]:
    """Name and local path of a report given as a registry key or a path to a text file.

    A registry key is fetched (verified by checksum) like every raw file.
    """
    from uprlib.workspace.fetch import fetch_file

    keys = {f.key for f in load_registry()}
    if isinstance(report, str) and report in keys:
        return report, fetch_file(get(report))
    path = Path(report).expanduser()
    if path.is_file():
        return path.stem, path
    known = ", ".join(f.key for f in report_entries()) or "none"
    raise ReportError(f"report {str(report)!r} is neither a registered report (known: {known}) "
                      f"nor an existing text file")


@dataclass(frozen=True)
class Footnote:
    """One footnote as extracted: its number, the line of its marker and its text."""

    number: int
    line: int  # 1-based line of the marker
    text: str


@dataclass
class ReportText:
    """The lines of one report and the views the audit reads."""

    name: str
    lines: list[str]
    extra_furniture: tuple[str, ...] = field(default_factory=tuple)

    @classmethod
    def from_file(cls, path: Path, name: str | None = None,
                  extra_furniture: tuple[str, ...] = ()) -> ReportText:
        """Read a UTF-8 text file; fail naming the file if it is not text."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise ReportError(f"{path}: not UTF-8 text ({err})") from err
        return cls.from_string(text, name or Path(path).stem, extra_furniture)

    @classmethod
    def from_string(cls, text: str, name: str = "report",
                    extra_furniture: tuple[str, ...] = ()) -> ReportText:
        """A report from its plain text; page breaks and other separators end lines."""
        # form feeds (page breaks) and other separators become line breaks
        lines = re.split(r"\r\n|[\r\n\f\v\u2028\u2029]", text)
        return cls(name, lines, tuple(extra_furniture))

    # -- line classes ---------------------------------------------------------------------

    def _is_blank(self, i: int) -> bool:
        return not self.lines[i].strip()

    def _is_number(self, i: int) -> bool:
        return bool(BARE_NUMBER.match(self.lines[i]))

    @cached_property
    def furniture(self) -> frozenset[int]:
        """Indices of page headers and footers.

        A line is furniture if it is a page number ("Page 3", "3 of 40"; a bare number is
        left to the footnote reader), or if it is short, does not end like a sentence or a
        clause, occurs at least twice and every occurrence lies within ``FURNITURE_REACH``
        lines of a bare number; or if it matches one of ``extra_furniture`` (regexes).
        """
        numbers = [i for i in range(len(self.lines))
                   if self._is_number(i) or PAGE_NUMBER.match(self.lines[i])]
        seen: dict[str, list[int]] = {}
        for i, line in enumerate(self.lines):
            key = " ".join(line.split())
            if (key and not BARE_NUMBER.match(line) and len(key) <= FURNITURE_CHARS
                    and key[-1] not in ".,;:" and "http" not in key):
                seen.setdefault(key, []).append(i)

        def near_number(i: int) -> bool:
            j = bisect.bisect_left(numbers, i - FURNITURE_REACH)
            return j < len(numbers) and numbers[j] <= i + FURNITURE_REACH

        out = {i for key, idx in seen.items() if len(idx) >= 2
               and not key.lower().startswith("recommendation")
               and all(near_number(i) for i in idx) for i in idx}
        out |= {i for i in numbers if not self._is_number(i)}
        for pattern in self.extra_furniture:
            rx = re.compile(pattern)
            out |= {i for i, line in enumerate(self.lines) if rx.search(line)}
        return frozenset(out)

    # -- the stream -----------------------------------------------------------------------

    @cached_property
    def _stream(self) -> tuple[str, list[int], list[int]]:
        parts: list[str] = []
        starts: list[int] = []  # offset in the stream where each kept line starts
        owners: list[int] = []  # the line index of each kept line
        length = 0
        for i, raw in enumerate(self.lines):
            if self._is_blank(i) or self._is_number(i) or i in self.furniture:
                continue
            line = " ".join(raw.split())
            # a word or name broken at a hyphen ("Timor-" / "Leste") is joined without a space
            joiner = "" if parts and re.search(r"[A-Za-z]-$", parts[-1]) else " "
            if parts:
                parts.append(joiner)
                length += len(joiner)
            starts.append(length)
            owners.append(i)
            parts.append(line)
            length += len(line)
        return "".join(parts), starts, owners

    @property
    def stream(self) -> str:
        """Running text: blank lines, bare numbers and furniture out, lines joined."""
        return self._stream[0]

    def line_of(self, offset: int) -> int:
        """1-based line number in the file of a character of the stream."""
        _, starts, owners = self._stream
        k = max(bisect.bisect_right(starts, offset) - 1, 0)
        return owners[k] + 1 if owners else 1

    # -- footnotes ------------------------------------------------------------------------

    @cached_property
    def footnotes(self) -> dict[int, Footnote]:
        """Footnotes whose marker survived the extraction, by number.

        A marker is a bare number followed by text; of the candidates, the longest run of
        increasing numbers through the file is kept (table-of-contents page numbers and page
        numbers drop out). A footnote's text runs to the next marker, to a blank line after a
        full stop or to two blank lines, at most ``FOOTNOTE_LINES`` lines; furniture is skipped.
        """
        cands: list[tuple[int, int]] = []  # (line index, number)
        n = len(self.lines)
        for i in range(n):
            if not self._is_number(i) or i in self.furniture:
                continue
            j = i + 1
            while j < n and self._is_blank(j):
                j += 1
            if j < n and not self._is_number(j):
                cands.append((i, int(BARE_NUMBER.match(self.lines[i]).group(1))))
        keep = _longest_increasing(cands)
        out: dict[int, Footnote] = {}
        for k, (i, num) in enumerate(keep):
            end = keep[k + 1][0] if k + 1 < len(keep) else n
            end = min(end, i + 1 + FOOTNOTE_LINES)
            text: list[str] = []
            for j in range(i + 1, end):
                if text and self._is_blank(j) and (
                        text[-1].endswith(".") or (j + 1 < end and self._is_blank(j + 1))):
                    break
                if not self._is_blank(j) and j not in self.furniture:
                    text.append(" ".join(self.lines[j].split()))
            out[num] = Footnote(num, i + 1, " ".join(text))
        return out

    def footnote_before(self, line: int, gap: int = 2) -> int | None:
        """Number of the footnote whose marker sits just above ``line`` (1-based), if any."""
        for fn in self.footnotes.values():
            if 0 < line - fn.line <= gap + 1 and all(
                    self._is_blank(k) for k in range(fn.line, line - 1)):
                return fn.number
        return None


def _longest_increasing(cands: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest subsequence of ``cands`` with strictly increasing numbers (patience sort)."""
    tails: list[int] = []  # number at the end of the best run of each length
    tail_idx: list[int] = []
    prev: list[int] = [-1] * len(cands)
    for k, (_, num) in enumerate(cands):
        pos = bisect.bisect_left(tails, num)
        if pos == len(tails):
            tails.append(num)
            tail_idx.append(k)
        else:
            tails[pos] = num
            tail_idx[pos] = k
        prev[k] = tail_idx[pos - 1] if pos else -1
    out = []
    k = tail_idx[-1] if tail_idx else -1
    while k >= 0:
        out.append(cands[k])
        k = prev[k]
    return out[::-1]
