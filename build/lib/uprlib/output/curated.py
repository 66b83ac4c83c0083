"""Curated facts that the raw sources lack: small committed CSVs in data/raw/curated/.

Each table has a declared pandera schema (a description for every column), a key that no two
rows may share and a ``source`` on every row that cites a document: a UN symbol
(``A/HRC/25/5``), a URL with its access date (``accessed 2026-11-30``) or a publication with
its year. :func:`check` validates every table and reports each problem on one line as
``<file>:<line>: ...`` (the line of the CSV file); :func:`load` refuses a table with errors.

:func:`write_templates` (``uprlib curate --country X``) appends one template row per table for
a state: the state (and cycle) filled in, every other cell a ``TODO:`` hint saying what goes
there. A row that still holds a ``TODO`` cell is a template not yet filled in: it is left out
of every reading, and :func:`check` names it in a warning line, so a half-written table never
stops a build and never reaches the paper.

A table with no rows for the requested state gives an empty frame, never an error: notebooks
then say what kind of facts belong there and how to add them.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from uprlib.errors import SchemaError, UsageError
from uprlib.transform.countries import countries
from uprlib.workspace.atomic import write_text
from uprlib.workspace.paths import curated_dir

TODO = "TODO"
# sections whose notebook shows curated events, under the event's own title
EVENT_SECTIONS = ("civil_society", "access_to_justice")
EVENT_KINDS = ("detentions", "prosecutions", "disappearances", "attacks", "reprisals",
               "restrictions", "other")

_UN_SYMBOL = re.compile(r"\b[A-Z]{1,8}(?:/[A-Z0-9][A-Za-z0-9.\-]*){2,}")
_URL = re.compile(r"https?://\S+")
_ACCESSED = re.compile(r"\baccessed:? \d{4}-\d{2}-\d{2}\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# control characters a cell may not hold (NUL and the like: a damaged or binary file);
# tab and line ends, which a quoted cell may hold, are allowed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

SOURCE_RULE = ("source must cite a document: a UN symbol (A/HRC/25/5), a URL with its access "
               "date (accessed YYYY-MM-DD) or a publication with its year")


class CuratedDataError(SchemaError):
    """A curated table has rows that fail its schema, its key or its source rule.

    ``lines``: one ``<file>:<line>: ...`` line per problem (the CLI prints each on its own).
    """

    def __init__(self, lines: list[str], what: str = "the curated tables"):
        self.lines, self.what = list(lines), what
        super().__init__(f"{len(self.lines)} error(s) in {what} (fix them, then `uprlib "
                         "check`):\n" + "\n".join(self.lines))

    def __reduce__(self):  # rebuilt from its lines when it crosses a process boundary
        return (type(self), (self.lines, self.what))


def cites_document(source: str) -> bool:
    """Whether ``source`` cites a document (rule: :data:`SOURCE_RULE`)."""
    if _URL.search(source):
        return bool(_ACCESSED.search(source))
    return bool(_UN_SYMBOL.search(source) or _YEAR.search(source))


def is_iso_date(value: str) -> bool:
    """Whether ``value`` is a real calendar date written YYYY-MM-DD."""
    if not _ISO_DATE.match(value):
        return False
    return not pd.isna(pd.to_datetime(value, format="%Y-%m-%d", errors="coerce"))


def _known_iso3(s: pd.Series) -> pd.Series:
    return s.isin(set(countries()["iso3"]))


def iso3(description: str = "state the row is about: ISO 3166 alpha-3 code in "
                            "countries.csv") -> Column:
    """A state's code that exists in the committed country table."""
    return Column(str, Check(_known_iso3, error="not an ISO3 code in countries.csv"),
                  description=description)


def text(description: str, nullable: bool = True, max_length: int = 160) -> Column:
    """A short free-text cell."""
    return Column(str, Check.str_length(max_value=max_length,
                                        error=f"longer than {max_length} characters"),
                  nullable=nullable, description=description)


def choice(description: str, values: tuple[str, ...] | list[str]) -> Column:
    """A cell holding one of ``values``."""
    return Column(str, Check.isin(list(values), error="not one of " + ", ".join(values)),
                  description=f"{description}: one of {', '.join(values)}")


def date(description: str, nullable: bool = False) -> Column:
    """A date written YYYY-MM-DD (converted to a timestamp after validation)."""
    return Column(str, Check(is_iso_date, element_wise=True,
                             error="not a date written YYYY-MM-DD"),
                  nullable=nullable, description=f"{description} (YYYY-MM-DD)",
                  metadata={"date": True})


def whole(description: str, low: int, high: int, nullable: bool = False) -> Column:
    """A whole number between ``low`` and ``high``."""
    return Column("Int64", Check.in_range(low, high, error=f"not between {low} and {high}"),
                  nullable=nullable, description=description)


SOURCE = Column(str, [Check.str_length(min_value=3, error="too short to cite a document"),
                      Check(cites_document, element_wise=True, error=SOURCE_RULE)],
                description="the document the row comes from: a UN symbol, a URL with its "
                            "access date (accessed YYYY-MM-DD) or a publication with its year, "
                            "and the page or paragraph")
CYCLE = whole("UPR cycle of the review the row belongs to", 1, 9)


@dataclass(frozen=True)
class CuratedTable:
    """One curated table: its schema, its key, the columns that name a row, its state column."""

    schema: DataFrameSchema
    key: tuple[str, ...]
    label: tuple[str, ...]
    state: str = "country_iso3"
    template: bool = True  # `uprlib curate` writes a template row for it
    note: str = ""

    @property
    def columns(self) -> list[str]:
        """The table's columns, in order."""
        return list(self.schema.columns)

    @property
    def dates(self) -> list[str]:
        """The columns declared as dates."""
        return [c for c, col in self.schema.columns.items() if (col.metadata or {}).get("date")]


def _schema(name: str, columns: dict[str, Column], description: str) -> DataFrameSchema:
    return DataFrameSchema(columns, strict=True, ordered=True, coerce=True, name=name,
                           description=description)


TABLES: dict[str, CuratedTable] = {
    "laws": CuratedTable(_schema("laws", {
        "country_iso3": iso3(),
        "law": text("official title of the law, draft or rules", nullable=False),
        "short_name": text("short name shown in tables and on the timeline; tells drafts "
                           "of one law apart", nullable=False),
        "instrument_type": choice("kind of instrument", ("law", "draft law", "regulation",
                                                         "draft regulation",
                                                         "departmental rules")),
        "event": choice("dated step", ("draft published", "comments closed", "adopted",
                                       "revised", "in force")),
        "date": date("date of the step; the first of the month if only the month is known"),
        "date_precision": choice("how exact the date is", ("day", "month", "year")),
        "status_at_report": text("status when the source was written"),
        "source": SOURCE}, "laws, drafts and rules bearing on civil society after a review, "
                           "one row per dated step"),
        key=("country_iso3", "short_name", "event"), label=("short_name", "event")),
    "visit_requests": CuratedTable(_schema("visit_requests", {
        "country_iso3": iso3(),
        "mandate": text("special-procedure mandate that asked to visit", nullable=False),
        "year_requested": whole("year of the first request", 1990, 2100),
        "reminders": text("years of reminders, separated by semicolons"),
        "status_at_report": text("status when the source was written (pending, accepted...)"),
        "source": SOURCE}, "special-procedure visit requests the state has not granted"),
        key=("country_iso3", "mandate", "year_requested"), label=("mandate", "year_requested")),
    "treaty_followup": CuratedTable(_schema("treaty_followup", {
        "country_iso3": iso3(),
        "treaty_body": text("treaty body asking for follow-up (CAT, CEDAW, CCPR...)",
                            nullable=False),
        "review_document": text("symbol of its concluding observations", nullable=False),
        "follow_up_items": text("topics of the follow-up request, separated by semicolons"),
        "due_date": date("date the follow-up information is due", nullable=True),
        "status_at_report": text("status when the source was written"),
        "source": SOURCE}, "follow-up information that treaty bodies asked the state for"),
        key=("country_iso3", "treaty_body", "review_document"),
        label=("treaty_body", "review_document")),
    "events": CuratedTable(_schema("events", {
        "country_iso3": iso3(),
        "cycle": CYCLE,
        "section": choice("section of the paper that shows the event", EVENT_SECTIONS),
        "title": text("the event's title, the heading it gets in the paper (the same on "
                      "every row of the event)", nullable=False),
        "kind": choice("kind of event", EVENT_KINDS),
        "date": date("day the event began"),
        "fact": text("one figure or dated fact about the event", nullable=False),
        "value": text("its value: a number, a date or a short text", nullable=False),
        "unit": text("unit of the value (persons, years, date...)"),
        "as_of_date": date("date the source gives for the value", nullable=True),
        "source": SOURCE}, "dated events after a review that bear on a section (detentions "
                           "of lawyers, reprisals...), one row per figure of an event"),
        key=("country_iso3", "cycle", "title", "fact"), label=("title", "fact"),
        note="title, kind, date and section must agree on every row of one event"),
    "report_claims": CuratedTable(_schema("report_claims", {
        "claim_id": text("identifier of the claim within its report", nullable=False),
        "report": Column(str, Check.str_matches(r"^[\w.-]+$", error="not a registry key"),
                         description="registry key of the report making the claim"),
        "country": iso3("state under review the claim is about (ISO3)"),
        "cycle": CYCLE,
        "section": text("part of the report making the claim"),
        "claim": text("what the report claims, in a short label", nullable=False),
        "value": text("the claimed value", nullable=False),
        "unit": text("unit of the value"),
        "page": whole("page of the report", 1, 10000),
        "footnote": whole("footnote supporting the claim", 1, 10000, nullable=True),
        "metric": Column(str, Check.str_matches(r"^[a-z_]+\.[a-z_]+$",
                                                error="not <section>.<key figure>"),
                         nullable=True, description="computed figure the claim is tested "
                         "against (<section>.<key figure>), empty if the data cannot test it"),
        "source": SOURCE}, "quantitative claims of a report about a review"),
        key=("report", "claim_id"), label=("claim",), state="country", template=False),
    "review_dates": CuratedTable(_schema("review_dates", {
        "country_iso3": iso3(),
        "cycle": CYCLE,
        "session": whole("Working Group session of the review", 1, 200),
        "review_date": date("day the Working Group held the review"),
        "working_group_report": text("symbol of the Working Group report"),
        "source": SOURCE}, "the day of each review and its Working Group report"),
        key=("country_iso3", "cycle"), label=("cycle", "working_group_report")),
    "treaty_signatures": CuratedTable(_schema("treaty_signatures", {
        "country_iso3": iso3(),
        "instrument": text("instrument signed (ICCPR, ICESCR...)", nullable=False),
        "signature_date": date("day of signature"),
        "source": SOURCE}, "signature dates the ratification files lack"),
        key=("country_iso3", "instrument"), label=("instrument",)),
}
SCHEMAS: dict[str, DataFrameSchema] = {name: t.schema for name, t in TABLES.items()}


@dataclass
class Checked:
    """One table read and checked: its valid filled rows, and the problems found."""

    rows: pd.DataFrame
    lines: list[int]
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _read_lines(path: Path, columns: list[str]) -> tuple[pd.DataFrame, list[int], list[str]]:
    """The CSV's rows as text (empty cells None), each row's line number, and shape errors."""
    errors: list[str] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:  # Latin-1, UTF-16, a binary file: one line, no traceback
        line = data[:err.start].count(b"\n") + 1
        errors.append(f"{path}:{line}: not UTF-8 text (byte 0x{data[err.start]:02x}); save "
                      "the file as UTF-8")
        return pd.DataFrame(columns=columns), [], errors
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, [])
    if header != columns:
        errors.append(f"{path}:1: header is {','.join(header)}; expected "
                      f"{','.join(columns)}")
        return pd.DataFrame(columns=columns), [], errors
    start = reader.line_num + 1
    for row in reader:
        if row and any(cell.strip() for cell in row):
            if len(row) != len(columns):
                errors.append(f"{path}:{start}: {len(row)} fields; the header has "
                              f"{len(columns)}")
            elif bad := [(c, x) for c, x in zip(columns, row, strict=True)
                                if _CONTROL.search(x)]:
                column, cell = bad[0]
                char = _CONTROL.search(cell).group()
                errors.append(f"{path}:{start}: column {column}: control character "
                              f"U+{ord(char):04X} (a damaged file?) ({cell!r})")
            else:
                rows.append(row)
                lines.append(start)
        start = reader.line_num + 1
    df = pd.DataFrame(rows, columns=columns, dtype=object)
    if len(df):
        df = df.apply(lambda s: s.str.strip()).replace("", None)
    return df, lines, errors


def _schema_errors(err: pa.errors.SchemaErrors, path: Path, lines: list[int]) -> list[str]:
    cases = err.failure_cases
    out: dict[tuple[int, str], str] = {}
    for case in cases.itertuples():
        column = str(case.column)
        if case.index is None or pd.isna(case.index):
            if str(case.failure_case).startswith("TypeError"):
                continue  # a range check on a column whose cells failed to convert
            out[(1, column)] = f"{path}:1: column {column}: {case.check}"
            continue
        line = lines[int(case.index)]
        check = str(case.check)
        if check.startswith("coerce_dtype") or check.startswith("dtype("):
            check = "not a whole number"
        elif check == "not_nullable":
            check = "empty, but required"
        value = "" if pd.isna(case.failure_case) else f" ({case.failure_case!r})"
        out.setdefault((line, column), f"{path}:{line}: column {column}: {check}{value}")
    return [out[k] for k in sorted(out)]


def _key_errors(table: CuratedTable, df: pd.DataFrame, lines: list[int], path: Path
                ) -> list[str]:
    errors = []
    first: dict[tuple, int] = {}
    for i, key in enumerate(df[list(table.key)].itertuples(index=False, name=None)):
        if key in first:
            errors.append(f"{path}:{lines[i]}: duplicate of line {first[key]} (same "
                          f"{', '.join(table.key)})")
        else:
            first[key] = lines[i]
    if "title" in df.columns:  # every row of one event agrees on what the event is
        seen: dict[tuple, tuple[tuple, int]] = {}
        for i, row in enumerate(df.itertuples(index=False)):
            event = (row.country_iso3, row.cycle, row.title)
            what = (row.section, row.kind, row.date)
            if event in seen and seen[event][0] != what:
                errors.append(f"{path}:{lines[i]}: section, kind or date differ from line "
                              f"{seen[event][1]}, another row of the event {row.title!r}")
            seen.setdefault(event, (what, lines[i]))
    return errors


def is_template(row: pd.Series) -> bool:
    """Whether a row still holds a ``TODO`` cell (a template not yet filled in)."""
    return any(isinstance(v, str) and v.startswith(TODO) for v in row)


def check_table(name: str, folder: Path | None = None) -> Checked:
    """Read one curated table and check it; template rows are left out with a warning."""
    table = TABLES[name]
    path = (folder or curated_dir()) / f"{name}.csv"
    if not path.exists():
        return Checked(pd.DataFrame(columns=table.columns), [],
                       [f"{path}:0: missing; every curated table must exist (header only "
                        f"if it has no rows)"])
    stat = path.stat()
    return _check_cached(name, path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _check_cached(name: str, path: Path, _mtime: int, _size: int) -> Checked:
    table = TABLES[name]
    df, lines, errors = _read_lines(path, table.columns)
    templates = df.apply(is_template, axis=1) if len(df) else pd.Series(dtype=bool)
    warnings = [f"{path}:{lines[i]}: template row not filled in ({TODO} cells left), left out"
                for i in range(len(df)) if templates.iloc[i]]
    keep = [i for i in range(len(df)) if not templates.iloc[i]]
    df = df.iloc[keep].reset_index(drop=True)
    lines = [lines[i] for i in keep]
    try:
        valid = table.schema.validate(df.copy(), lazy=True)
    except pa.errors.SchemaErrors as err:
        errors += _schema_errors(err, path, lines)
        valid = None
    errors += _key_errors(table, df, lines, path)  # on the text as written
    if valid is not None:
        for column in table.dates:
            valid[column] = pd.to_datetime(valid[column], format="%Y-%m-%d").astype(
                "datetime64[ns]")
    errors.sort(key=lambda e: int(e[len(str(path)) + 1:].split(":", 1)[0]))
    return Checked(valid if valid is not None else df, lines, errors, warnings)


def check(folder: Path | None = None) -> tuple[list[str], list[str]]:
    """Check every curated table: (errors, warnings), one ``<file>:<line>: ...`` line each."""
    errors: list[str] = []
    warnings: list[str] = []
    for name in TABLES:
        c = check_table(name, folder)
        errors += c.errors
        warnings += c.warnings
    return errors, warnings


def require_valid(folder: Path | None = None) -> list[str]:
    """Raise :class:`CuratedDataError` listing every error; else return the warning lines."""
    errors, warnings = check(folder)
    if errors:
        raise CuratedDataError(errors)
    return warnings


def load(name: str, country: str | None = None, folder: Path | None = None) -> pd.DataFrame:
    """Load and validate one curated table (filled rows only); only ``country``'s if given."""
    if name not in TABLES:
        raise UsageError(f"unknown curated table {name!r}; known: {', '.join(TABLES)}")
    c = check_table(name, folder)
    if c.errors:
        raise CuratedDataError(c.errors, f"curated table {name}")
    df = c.rows.copy()
    if country is not None:
        df = df.loc[df[TABLES[name].state] == country].reset_index(drop=True)
    return df


def rows_used(country: str, cycle: int, report: str | None = None,
              folder: Path | None = None) -> pd.DataFrame:
    """The curated rows a review's paper reads: table, CSV line, what the row is, source.

    A state's rows of every table; of a table with a ``cycle`` column, only this cycle's; the
    claims only of the audited ``report``.
    """
    frames = []
    for name, table in TABLES.items():
        if name == "report_claims" and report is None:
            continue
        c = check_table(name, folder)
        df = c.rows.assign(line=c.lines) if not c.errors else c.rows.iloc[0:0].assign(line=[])
        sel = df[table.state] == country
        if "cycle" in df.columns:
            sel &= df["cycle"] == cycle
        if name == "report_claims":
            sel &= df["report"] == report
        df = df.loc[sel]
        labels = df[list(table.label)].astype(str).agg(": ".join, axis=1) if len(df) else []
        frames.append(pd.DataFrame({"table": name, "line": df["line"], "row": labels,
                                    "source": df["source"]}))
    return pd.concat(frames, ignore_index=True)


def template_row(name: str, country: str, cycle: int | None) -> list[str]:
    """The template row of one table for a state (and cycle): hints in every other cell."""
    table = TABLES[name]
    row = []
    for column, col in table.schema.columns.items():
        if column == table.state:
            row.append(country)
        elif column == "cycle" and cycle is not None:
            row.append(str(cycle))
        else:
            row.append(f"{TODO}: {col.description}")
    return row


def write_templates(country: str, cycle: int | None = None, folder: Path | None = None
                    ) -> list[str]:
    """Append a template row for ``country`` to each curated table that takes one.

    Existing rows are kept byte for byte (the file is rewritten atomically with the rows
    appended); a table that already holds an unfilled template row for the state (and cycle)
    gets no second one. Returns one line per table saying what was done.
    """
    known = set(countries()["iso3"])
    if country not in known:
        raise UsageError(f"--country {country!r}: not an ISO3 code in countries.csv")
    if cycle is not None and not 1 <= cycle <= 9:
        raise UsageError(f"--cycle {cycle}: a UPR cycle is 1 to 9")
    folder = folder or curated_dir()
    done = []
    for name, table in TABLES.items():
        if not table.template:
            continue
        path = folder / f"{name}.csv"
        row = template_row(name, country, cycle)
        existing, lines, unreadable = _read_lines(path, table.columns) if path.exists() else (
            pd.DataFrame(columns=table.columns), [], [])
        if unreadable and path.stat().st_size:  # never append to a file we cannot read back
            raise CuratedDataError(unreadable, f"curated table {name}")
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if not old:
            old = ",".join(table.columns) + "\n"
        mine = existing[table.state] == country
        if "cycle" in existing.columns and cycle is not None:
            mine &= existing["cycle"] == str(cycle)
        pending = [lines[i] for i in range(len(existing))
                   if mine.iloc[i] and is_template(existing.iloc[i])]
        if pending:
            done.append(f"{path}:{pending[0]}: already has a template row for {country} to "
                        f"fill in")
            continue
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerow(row)
        if not old.endswith("\n"):
            old += "\n"
        write_text(path, old + buffer.getvalue())
        done.append(f"{path}:{old.count(chr(10)) + 1}: template row for {country} added")
    return done
