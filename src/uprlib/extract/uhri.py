"""Reader for exports of OHCHR's Universal Human Rights Index (UHRI): xlsx and the JSON form.

The index holds every recommendation of the UPR (all cycles, all states) beside those of the
treaty bodies and special procedures; researchers download a search result with "Export to
Excel", or read the JSON API. No real export could be mirrored, so this reader follows what is
known of the format (``../shared/upr-data/formats/uhri-export.md``), tolerantly:

* **xlsx**: the first sheet, column names in row 1, matched by name (case and spaces
  ignored, in any order; ``Reccomending``/``Recommending`` both taken); single values carry a
  leading ``- `` and multi-valued cells hold one value per line; dates are Excel serial day
  numbers (days since 1899-12-30, a time fraction allowed) or ISO dates.
* **JSON**: a list of records (or an object holding one list of them) under the API names
  (``Text``, ``Countries``, ``Body``, ``UprSession``, ``UprPosition``...), lists as arrays,
  values with or without the leading ``- ``.

Only UPR rows (recommending body ``UPR``) are kept: one row per recommendation, with the
paragraph number taken from the start of its text (``"186.1 Consider ..."``), the Working
Group session (``36``, ``"36th session"``, ``"Session 36"``), the position mapped to the
response vocabulary (:mod:`uprlib.workspace.responses`: Supported, Noted, Supported/Noted,
or empty while the response is awaited), the recommending states, themes, affected persons
and SDG targets. Anything else is refused with one line naming the file, the row and the
column (values capped with an ellipsis), before anything is written; the other rows are
skipped without being read further, which keeps a whole-index export (hundreds of thousands of
rows) fast. The sheet is read with python-calamine (about 16 times faster than openpyxl's
read-only mode on a 250,000-row export; see the README's benchmarks).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from uprlib.errors import UhriFormatError
from uprlib.workspace import responses
from uprlib.workspace.text import LIST_SEP

# field -> the Excel export's column names (any of them), and the JSON API's name
COLUMNS: dict[str, tuple[str, ...]] = {
    "text": ("Text",),
    "countries": ("Countries Concerned",),
    "body": ("Reccomending Body", "Recommending Body"),
    "symbol": ("Document Symbol",),
    "published": ("Document Publication Date",),
    "themes": ("Themes",),
    "persons": ("Affected Persons",),
    "sdgs": ("Sdgs",),
    "states": ("UPR Reccomending States", "UPR Recommending States"),
    "position": ("UPR Position",),
    "session": ("UPR Session",),
    "type": ("Type",),
    "annotation_id": ("OHCHR Annotation Id",),
}
API_NAMES: dict[str, str] = {
    "text": "Text", "countries": "Countries", "body": "Body", "symbol": "Symbol",
    "published": "PublicationDate", "themes": "Themes", "persons": "AffectedPersons",
    "sdgs": "Sdgs", "states": "UprRecommendingStates", "position": "UprPosition",
    "session": "UprSession", "type": "AnnotationType", "annotation_id": "AnnotationId",
}
# without these a UPR recommendation cannot be read; the others are used when present
REQUIRED = ("text", "countries", "body", "states", "position", "session")
UPR_BODY = "upr"
SESSIONS = range(1, 55)  # Working Group sessions of cycles 1-4
EXCEL_EPOCH = dt.date(1899, 12, 30)
MAX_SHOWN = 60  # characters of a value shown in an error

_PARAGRAPH = re.compile(r"^\s*(\d{1,3}\.\d{1,3})(?:\.(?!\d))?\s*")
_SESSION_NUMBER = re.compile(r"\d+")
_SESSION_WORDS = re.compile(r"^(?:session\s*)?\d+\s*(?:st|nd|rd|th)?(?:\s*session)?$", re.I)
_SDG = re.compile(r"^(?:SDG\s*|Goal\s*)?(?P<goal>\d{1,2})(?:\.(?P<target>[\da-z]{1,2}))?\b",
                  re.I)
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+Z?)?$")
_NUMBER = re.compile(r"^\d+(?:\.\d+)?$")

# the columns of the rows returned, in order
ROW_COLUMNS = ["row", "annotation_id", "sur", "session", "paragraph_id", "text", "states",
               "position", "response", "symbol", "published", "themes", "persons",
               "sdg_goals", "sdg_targets"]


@dataclass(frozen=True)
class UhriExport:
    """A read export: one row per UPR recommendation (:data:`ROW_COLUMNS`) and counts."""

    rows: pd.DataFrame
    format: str  # "xlsx" or "json"
    counts: dict[str, int] = field(default_factory=dict)  # rows read, UPR rows, skipped...


def shorten(value: Any, limit: int = MAX_SHOWN) -> str:
    """A value as an error shows it: on one line, quoted, at most ``limit`` characters."""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def _names(names: Iterable[str], limit: int = 12) -> str:
    shown = [shorten(n, 40) for n in names]
    extra = len(shown) - limit
    return ", ".join(shown[:limit]) + (f" and {extra} more" if extra > 0 else "")


def _key(name: Any) -> str:
    """A column name as it is matched: case folded, spaces removed."""
    return "".join(str(name).split()).casefold()


def sniff(path: Path) -> str | None:
    """What a file looks like from its first bytes and, for a zip, its members: ``xlsx``,
    ``docx``, ``json``, ``zip`` (an archive that is neither, or cut short) or None."""
    with open(path, "rb") as fh:
        head = fh.read(64)
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as z:
                members = set(z.namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return "zip"
        if "xl/workbook.xml" in members:
            return "xlsx"
        if "word/document.xml" in members:
            return "docx"
        return "zip"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{"):
        return "json"
    return None


# --- cell values -------------------------------------------------------------------------
def _clean(value: Any) -> str:
    """A single-valued cell as text: the leading "- " and surrounding spaces removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if text.startswith("-"):
        text = text[1:].strip()
    return text


def _values(value: Any) -> list[str]:
    """A multi-valued cell (one value per line, or a JSON array) as a list of values."""
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else str(value).splitlines()
    out = []
    for item in items:
        text = _clean(item)
        if text:
            out.append(text)
    return out


def _joined(values: list[str]) -> str | None:
    return LIST_SEP.join(v.replace(LIST_SEP, " / ") for v in values) or None


class _Refusal(Exception):
    """A cell the reader cannot take (the message names the problem; the caller adds where)."""


def _serial(value: Any) -> float | None:
    """The Excel serial day number a cell holds (a number, or digits as text), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    text = _clean(value)
    return float(text) if _NUMBER.match(text) else None


def _date(value: Any) -> str | None:
    """ISO date of an Excel serial day number, a date, or an ISO date string; None if empty."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _clean(value)
    if not text:
        return None
    serial = _serial(value)
    if serial is None:
        m = _ISO_DATE.match(text)
        if m is None:
            raise _Refusal(f"{shorten(text)} is not a date (an Excel serial day number or an "
                           "ISO date YYYY-MM-DD)")
        try:
            return dt.date.fromisoformat(m.group(1)).isoformat()
        except ValueError:
            raise _Refusal(f"{shorten(text)} is not a date") from None
    if not 1 <= serial < 2958466:  # Excel's own range: 1900-01-01 to 9999-12-31
        raise _Refusal(f"{shorten(text)} is not an Excel serial day number")
    return (EXCEL_EPOCH + dt.timedelta(days=int(serial))).isoformat()


def _session(value: Any, cache: dict[Any, int]) -> int:
    """The Working Group session of a cell: 36, "36", "- 36", "36th session", "Session 36"."""
    try:
        return cache[value]
    except (KeyError, TypeError):
        pass
    text = _clean(value)
    if isinstance(value, float) and not value.is_integer():
        raise _Refusal(f"{shorten(value)} is not a Working Group session")
    if not text:
        raise _Refusal("no Working Group session")
    if not _SESSION_WORDS.match(text):
        raise _Refusal(f"{shorten(text)} is not a Working Group session (a number, as 36 or "
                       "'36th session')")
    n = int(_SESSION_NUMBER.search(text).group())
    if n not in SESSIONS:
        raise _Refusal(f"unknown session {n} (UPR Working Group sessions are "
                       f"{SESSIONS.start}-{SESSIONS.stop - 1}, cycles 1-4)")
    try:
        cache[value] = n
    except TypeError:
        pass
    return n


def _position(value: Any) -> tuple[str, str]:
    """(position as written, response) of a UPR Position cell."""
    text = "/".join(_values(value)) if isinstance(value, list) else _clean(value)
    response = responses.POSITIONS.get(responses.position_key(text))
    if response is None:
        raise _Refusal(f"unknown position {shorten(text)}; known: Supported, Noted, "
                       "Supported/Noted, or empty while the response is awaited")
    return text, response


def _sdgs(values: list[str]) -> tuple[str | None, str | None]:
    """SDG goals and targets of the Sdgs lines ("16.3 - Promote the rule of law")."""
    goals: list[str] = []
    targets: list[str] = []
    for v in values:
        m = _SDG.match(v)
        if not m or not 1 <= int(m["goal"]) <= 17:
            continue
        if str(int(m["goal"])) not in goals:
            goals.append(str(int(m["goal"])))
        if m["target"] and f"{int(m['goal'])}.{m['target']}" not in targets:
            targets.append(f"{int(m['goal'])}.{m['target']}")
    return (LIST_SEP.join(goals) or None), (LIST_SEP.join(targets) or None)


# --- the header --------------------------------------------------------------------------
def _columns(found: list[Any], where: str, json_form: bool = False) -> dict[str, int]:
    """Position of each field's column among the ``found`` names; refuses a file without the
    required columns, naming the columns expected and those found."""
    keys = [_key(n) for n in found]
    positions: dict[str, int] = {}
    for fld in COLUMNS:
        names = (API_NAMES[fld],) if json_form else COLUMNS[fld]
        hits = [i for i, k in enumerate(keys) if k in {_key(n) for n in names}]
        if len(hits) > 1:
            raise UhriFormatError(f"{where}: column {shorten(found[hits[0]], 40)} appears "
                                  f"{len(hits)} times in the header")
        if hits:
            positions[fld] = hits[0]
    missing = [f for f in REQUIRED if f not in positions]
    if missing:
        if json_form:
            expected = ", ".join(API_NAMES[f] for f in REQUIRED)
            wanted = ", ".join(API_NAMES[f] for f in missing)
        else:
            expected = ", ".join(" or ".join(COLUMNS[f]) for f in REQUIRED)
            wanted = ", ".join(" or ".join(COLUMNS[f]) for f in missing)
        what = "keys" if json_form else "columns"
        lead = ("is not a UHRI export" if len(missing) == len(REQUIRED)
                else "is not a UHRI export this reader understands")
        raise UhriFormatError(
            f"{where} {lead}: missing {what} {wanted} (expected {expected}; found "
            f"{_names([n for n in found if str(n).strip()]) or 'none'})")
    return positions


# --- rows --------------------------------------------------------------------------------
class _Rows:
    """Collects the UPR rows, column by column, checking each as it comes."""

    def __init__(self, where: str, cols: dict[str, int], labels: dict[str, str],
                 row_word: str) -> None:
        self.where, self.cols, self.labels, self.row_word = where, cols, labels, row_word
        self.data: dict[str, list[Any]] = {c: [] for c in ROW_COLUMNS}
        self.seen: dict[int, int] = {}  # hash of a row's content -> its index
        self.sessions: dict[Any, int] = {}
        self.counts = {"rows": 0, "upr_rows": 0, "other_rows": 0, "empty_rows": 0,
                       "duplicates_dropped": 0, "without_paragraph_number": 0,
                       "without_recommending_state": 0}
        self.body_col = cols["body"]

    def _fail(self, number: int, fld: str, problem: str) -> UhriFormatError:
        return UhriFormatError(f"{self.where}: {self.row_word} {number}, "
                               f"{self.labels[fld]}: {problem}")

    def _get(self, values: list[Any], fld: str) -> Any:
        i = self.cols.get(fld)
        return values[i] if i is not None and i < len(values) else ""

    def add(self, number: int, values: list[Any]) -> None:
        """Take one data row (``number``: its row in the file, for errors)."""
        self.counts["rows"] += 1
        body = values[self.body_col] if self.body_col < len(values) else ""
        bodies = [b.casefold() for b in _values(body)]
        if UPR_BODY not in bodies:
            if bodies or any(v not in ("", None) for v in values):
                self.counts["other_rows"] += 1
            else:
                self.counts["empty_rows"] += 1
            return
        get = self._get
        try:
            fld = "text"
            raw_text = get(values, "text")
            text = str(raw_text).strip() if raw_text is not None else ""
            if not text:
                raise _Refusal("a UPR recommendation without text")
            fld = "countries"
            countries = _values(get(values, "countries"))
            if len(countries) != 1:
                raise _Refusal("a UPR recommendation concerns one state under review; found "
                               + (f"{len(countries)}: {_names(countries, 4)}" if countries
                                  else "none"))
            fld = "session"
            session = _session(get(values, "session"), self.sessions)
            fld = "position"
            position, response = _position(get(values, "position"))
            fld = "states"
            states = tuple(_values(get(values, "states")))
            fld = "published"
            published = _date(get(values, "published"))
        except _Refusal as err:
            raise self._fail(number, fld, str(err)) from None
        m = _PARAGRAPH.match(text)
        paragraph_id = m.group(1) if m else None
        body_text = text[m.end():].strip() if m else text
        if not body_text:
            raise self._fail(number, "text", f"{shorten(text)} holds a paragraph number but "
                             "no recommendation")
        themes = _values(get(values, "themes"))
        persons = _values(get(values, "persons"))
        goals, targets = _sdgs(_values(get(values, "sdgs")))
        record = (countries[0], session, paragraph_id, body_text, states, response,
                  _clean(get(values, "symbol")), published, tuple(themes), tuple(persons),
                  goals, targets)
        # the same recommendation twice (an export of overlapping searches) is kept once;
        # rows are told apart by a hash of their content, compared in full on a match
        digest = hash(record)
        if digest in self.seen:
            if self._same(digest, record):
                self.counts["duplicates_dropped"] += 1
                return
        else:
            self.seen[digest] = len(self.data["row"])
        self.counts["upr_rows"] += 1
        self.counts["without_paragraph_number"] += paragraph_id is None
        self.counts["without_recommending_state"] += not states
        d = self.data
        d["row"].append(number)
        d["annotation_id"].append(_clean(get(values, "annotation_id")) or None)
        d["sur"].append(countries[0])
        d["session"].append(session)
        d["paragraph_id"].append(paragraph_id)
        d["text"].append(body_text)
        d["states"].append(states)
        d["position"].append(position)
        d["response"].append(response)
        d["symbol"].append(record[6] or None)
        d["published"].append(published)
        d["themes"].append(_joined(themes))
        d["persons"].append(_joined(persons))
        d["sdg_goals"].append(goals)
        d["sdg_targets"].append(targets)

    def _same(self, digest: int, record: tuple) -> bool:
        """Whether the row kept under ``digest`` has the content ``record``."""
        i, d = self.seen[digest], self.data
        kept = (d["sur"][i], d["session"][i], d["paragraph_id"][i], d["text"][i],
                d["states"][i], d["response"][i], d["symbol"][i] or "", d["published"][i],
                tuple((d["themes"][i] or "").split(LIST_SEP)) if d["themes"][i] else (),
                tuple((d["persons"][i] or "").split(LIST_SEP)) if d["persons"][i] else (),
                d["sdg_goals"][i], d["sdg_targets"][i])
        return kept == record

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.data, columns=ROW_COLUMNS)
        df["row"] = df["row"].astype("int64")
        df["session"] = df["session"].astype("int64")
        return df


def _progress(total: int | None, desc: str, progress: bool, unit: str = "row"):
    from tqdm import tqdm

    # to stderr; disable=None turns it off where stderr is not a terminal
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=True, leave=False,
                disable=None if progress else True, mininterval=0.5)


def _sheet_rows(path: Path, where: str) -> tuple[Iterator[list[Any]], int]:
    """Rows of the first sheet and their number (python-calamine)."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        if not book.sheet_names:
            raise UhriFormatError(f"{where}: the workbook has no sheet")
        sheet = book.get_sheet_by_index(0)
        return sheet.iter_rows(), sheet.height
    except UhriFormatError:
        raise
    except Exception:  # calamine raises its own types for a damaged workbook
        raise UhriFormatError(f"{where} is not a readable xlsx workbook (damaged, or not "
                              "saved as an Excel workbook)") from None


def _release_memory() -> None:
    """Give memory freed by the workbook back to the system (glibc keeps it otherwise, and
    the tables built next would add to it rather than reuse it)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def read_xlsx(path: Path | str, where: str | None = None, progress: bool = False) -> UhriExport:
    """The UPR rows of an Excel export (first sheet, header in row 1)."""
    path = Path(path)
    where = where or str(path)
    kind = sniff(path)
    if kind != "xlsx":
        raise UhriFormatError(f"{where} is not a complete xlsx workbook (a zip archive cut short "
                              "or damaged)" if kind == "zip" else
                              f"{where} is not an xlsx workbook")
    rows, height = _sheet_rows(path, where)
    n = 1
    try:
        header = next(rows, None)
        if header is None or not any(str(h).strip() for h in header):
            raise UhriFormatError(f"{where}: the first sheet is empty (no column names in "
                                  "row 1)")
        cols = _columns(list(header), where)
        labels = {f: f"column {shorten(header[i], 40)}" for f, i in cols.items()}
        got = _Rows(where, cols, labels, "row")
        with _progress(height - 1, f"reading {path.name[:30]}", progress) as bar:
            for n, values in enumerate(rows, start=2):
                got.add(n, values)
                if n % 4096 == 0:
                    bar.update(4096)
            bar.update(bar.total - bar.n if bar.total else 0)
    except UhriFormatError:
        raise
    except Exception:  # a cell calamine cannot decode, a sheet cut short
        raise UhriFormatError(f"{where} cannot be read at row {n}: the workbook is damaged "
                              "there") from None
    del rows  # the workbook's cells (python-calamine holds the whole sheet): freed now
    _release_memory()
    return UhriExport(got.frame(), "xlsx", got.counts)


_JSON_CHUNK = 1 << 20
_SPACE = " \t\r\n"


def _array_records(fh, where: str) -> Iterator[tuple[Any, int]]:
    """The items of the top-level JSON array in text stream ``fh`` (positioned after its
    ``[``), one at a time with the characters read so far: a whole-index export (hundreds of
    megabytes of JSON) is never held in memory at once."""
    decoder = json.JSONDecoder()
    buf, pos, read, done = "", 0, 0, False
    expect_item, first = True, True
    while True:
        while pos < len(buf) and buf[pos] in _SPACE:
            pos += 1
        if pos >= len(buf) or (not done and len(buf) - pos < 64):
            if done:
                raise UhriFormatError(f"{where} is not valid JSON (it ends inside the list of "
                                      "records: cut short?)")
            chunk = fh.read(_JSON_CHUNK)
            read += len(chunk)
            done = not chunk
            buf = buf[pos:] + chunk
            pos = 0
            continue
        if buf[pos] == "]" and (not expect_item or first):
            return
        if buf[pos] == "," and not expect_item:
            pos, expect_item = pos + 1, True
            continue
        try:
            item, end = decoder.raw_decode(buf, pos)
        except json.JSONDecodeError as err:
            if done:
                raise UhriFormatError(f"{where} is not valid JSON (at character "
                                      f"{read - len(buf) + err.pos}: {err.msg.lower()})") from None
            chunk = fh.read(_JSON_CHUNK)  # an item cut by the chunk's end: read on
            read += len(chunk)
            done = not chunk
            buf = buf[pos:] + chunk
            pos = 0
            continue
        if not expect_item:
            raise UhriFormatError(f"{where} is not valid JSON (a comma is missing at character "
                                  f"{read - len(buf) + pos})")
        yield item, read - len(buf) + end
        pos, expect_item, first = end, False, False


def _json_records(path: Path, where: str) -> Iterator[tuple[Any, int]]:
    """The records of the JSON form with the characters read so far: streamed from a
    top-level list; an object holding one list of records (an API page) is read whole."""
    try:
        with open(path, encoding="utf-8-sig") as fh:
            head = fh.read(1)
            while head and head in _SPACE:
                head = fh.read(1)
            if head == "[":
                yield from _array_records(fh, where)
                return
            data = json.loads(head + fh.read())
    except json.JSONDecodeError as err:
        raise UhriFormatError(f"{where} is not valid JSON (line {err.lineno}, column "
                              f"{err.colno}: {err.msg.lower()})") from None
    except UnicodeDecodeError:
        raise UhriFormatError(f"{where} is not valid JSON (not UTF-8 text)") from None
    lists = [v for v in data.values() if isinstance(v, list)] if isinstance(data, dict) else []
    if len(lists) != 1:
        raise UhriFormatError(f"{where} is not a UHRI JSON export: expected a list of records "
                              f"with keys {', '.join(API_NAMES[f] for f in REQUIRED)}")
    for item in lists[0]:
        yield item, 0


def read_json(path: Path | str, where: str | None = None, progress: bool = False) -> UhriExport:
    """The UPR rows of the JSON form (records under the API names), streamed."""
    path = Path(path)
    where = where or str(path)
    records = _json_records(path, where)
    first = list(itertools.islice(records, 1000))  # the keys are those of the first records
    if not first or not all(isinstance(r, dict) for r, _ in first):
        raise UhriFormatError(f"{where} is not a UHRI JSON export: expected a list of records "
                              f"with keys {', '.join(API_NAMES[f] for f in REQUIRED)}")
    found = list(dict.fromkeys(k for r, _ in first for k in r))
    cols = _columns(found, where, json_form=True)
    labels = {f: f"key {API_NAMES[f]!r}" for f in cols}
    keys = {f: found[i] for f, i in cols.items()}
    order = list(cols)
    got = _Rows(where, {f: i for i, f in enumerate(order)}, labels, "record")
    size = path.stat().st_size
    with _progress(size, f"reading {path.name[:30]}", progress, unit="B") as bar:
        for n, (r, at) in enumerate(itertools.chain(first, records), start=1):
            if not isinstance(r, dict):
                raise UhriFormatError(f"{where}: record {n} is not an object")
            got.add(n, [r.get(keys[f], "") for f in order])
            if n % 4096 == 0 and at:
                bar.update(at - bar.n)
    return UhriExport(got.frame(), "json", got.counts)


def read_export(path: Path | str, where: str | None = None,
                progress: bool = False) -> UhriExport:
    """The UPR rows of a UHRI export, xlsx or JSON (told apart by content, not name)."""
    path = Path(path)
    kind = sniff(path)
    if kind == "json":
        return read_json(path, where, progress)
    return read_xlsx(path, where, progress)
