"""UHRI-shaped exports (xlsx written with openpyxl, and the JSON form) for the tests and the
benchmark: no real export could be mirrored, so these follow
``../shared/upr-data/formats/uhri-export.md``.

A row is a dict keyed by the column names of the Excel export (the spelling of
:data:`HEADER`); :func:`write_xlsx` writes rows under either spelling of the two misspelt
columns, in any column order. :func:`synthetic_index` yields the rows of a whole index
(every cycle, UPR rows among treaty-body and special-procedure rows) for the streaming test
and the benchmark.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

HEADER = ["Text", "Countries Concerned", "Reccomending Body", "Document Symbol",
          "Document Publication Date", "Themes", "Affected Persons", "Sdgs",
          "UPR Reccomending States", "UPR Position", "UPR Session", "Type",
          "OHCHR Annotation Id", "Regions Concerned", "Recommending Regions",
          "Date of publication on UHRI"]
# the later spelling of the two misspelt columns
RESPELT = {"Reccomending Body": "Recommending Body",
           "UPR Reccomending States": "UPR Recommending States"}
# the JSON form's names for the same content
API_NAMES = {"Text": "Text", "Countries Concerned": "Countries", "Reccomending Body": "Body",
             "Document Symbol": "Symbol", "Document Publication Date": "PublicationDate",
             "Themes": "Themes", "Affected Persons": "AffectedPersons", "Sdgs": "Sdgs",
             "UPR Reccomending States": "UprRecommendingStates", "UPR Position": "UprPosition",
             "UPR Session": "UprSession", "Type": "AnnotationType",
             "OHCHR Annotation Id": "AnnotationId", "Regions Concerned": "Regions"}
EPOCH = dt.date(1899, 12, 30)


def serial(day: dt.date, fraction: float = 0.0) -> float | int:
    """Excel's serial day number of ``day`` (with a time fraction if given)."""
    n = (day - EPOCH).days
    return n + fraction if fraction else n


def lines(values: Iterable[str]) -> str:
    """A multi-valued cell: one value per line, each with a leading "- "."""
    return "\n".join(f"- {v}" for v in values)


def upr_row(paragraph: str | None, text: str, sur: str, states: Sequence[str], position: str,
            session: int | str, symbol: str = "A/HRC/99/1", published: object = None,
            themes: Sequence[str] = ("Right to education",), sdgs: Sequence[str] = (),
            persons: Sequence[str] = (), suffix: bool = True) -> dict[str, object]:
    """One UPR recommendation as the export has it (``position`` "" when not yet given;
    ``suffix``: end the text with the recommending state in parentheses, as the Working Group
    report does)."""
    body = f"{paragraph} {text}" if paragraph else text
    if suffix and states:
        body += f" ({', '.join(states)})"
    return {
        "Text": body, "Countries Concerned": f"- {sur}", "Reccomending Body": "- UPR",
        "Document Symbol": symbol,
        "Document Publication Date": published if published is not None else
        serial(dt.date(2024, 3, 1)),
        "Themes": lines(themes), "Affected Persons": lines(persons), "Sdgs": lines(sdgs),
        "UPR Reccomending States": lines(states),
        "UPR Position": f"- {position}" if position else "",
        "UPR Session": session, "Type": "- Recommendation",
        "OHCHR Annotation Id": str(uuid.uuid4()), "Regions Concerned": "- WEOG",
        "Recommending Regions": "- WEOG",
        "Date of publication on UHRI": serial(dt.date(2024, 4, 2), 0.5417),
    }


def other_row(body: str = "CRC", text: str = "12. The Committee recommends that the State "
              "party adopt a law.", country: str = "Norway") -> dict[str, object]:
    """A treaty-body (or special-procedure) observation: not a UPR row."""
    return {
        "Text": text, "Countries Concerned": f"- {country}", "Reccomending Body": f"- {body}",
        "Document Symbol": f"{body}/C/NOR/CO/5-6", "Document Publication Date": 43500,
        "Themes": "- Rights of the child", "Affected Persons": "- Children",
        "Sdgs": "- 16.2 - End abuse, exploitation, trafficking and violence against children",
        "UPR Reccomending States": "", "UPR Position": "", "UPR Session": "",
        "Type": "- Concerns/Observations", "OHCHR Annotation Id": str(uuid.uuid4()),
        "Regions Concerned": "- WEOG", "Recommending Regions": "",
        "Date of publication on UHRI": 43600.25,
    }


def write_xlsx(path: Path, rows: Iterable[dict[str, object]], respelt: bool = False,
               header: Sequence[str] | None = None, title: str = "Export") -> Path:
    """Write ``rows`` as a UHRI export: one sheet, the header in row 1 (``header``: the
    columns and their order, default :data:`HEADER`; ``respelt``: the later spelling)."""
    from openpyxl import Workbook

    cols = list(header or HEADER)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title)
    ws.append([RESPELT.get(c, c) if respelt else c for c in cols])
    for r in rows:
        ws.append([r.get(RESPELT_BACK.get(c, c), "") for c in cols])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


RESPELT_BACK = {v: k for k, v in RESPELT.items()}


def write_json(path: Path, rows: Iterable[dict[str, object]], prefixed: bool = False) -> Path:
    """The JSON form: records under the API names, lists as arrays (values without the
    leading "- " unless ``prefixed``)."""
    def value(col: str, v: object) -> object:
        multi = col in ("Countries Concerned", "Themes", "Affected Persons", "Sdgs",
                        "UPR Reccomending States", "Regions Concerned")
        if isinstance(v, str):
            items = [x.strip() for x in v.split("\n") if x.strip()]
            if not prefixed:
                items = [x[2:] if x.startswith("- ") else x for x in items]
            return items if multi else (items[0] if items else "")
        if isinstance(v, dt.date):  # the API gives dates as ISO text
            return v.isoformat()
        return v

    records = [{API_NAMES[c]: value(c, r.get(c, "")) for c in API_NAMES} for r in rows]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


# --- a whole index, for the streaming path and the benchmark -----------------------------
_WORDS = ("adopt ensure strengthen continue consider ratify implement guarantee protect promote "
          "establish review amend investigate prosecute combat eliminate provide improve "
          "measures national legislation rights women children persons disabilities migrants "
          "refugees minorities indigenous peoples torture detention prisons police judiciary "
          "independence freedom expression assembly association media journalists defenders "
          "education health housing water sanitation poverty employment discrimination "
          "violence domestic trafficking death penalty moratorium abolition convention "
          "optional protocol covenant civil political economic social cultural institution "
          "ombudsman paris principles cooperation special procedures treaty bodies reports "
          "standing invitation access justice legal aid fair trial corruption transparency "
          "climate environment development birth registration statelessness asylum "
          "nationality gender equality participation public life elections").split()
_THEMES = ("Right to education", "Right to health", "Death penalty", "Freedom of opinion & "
           "expression", "Torture & other cruel, inhuman or degrading treatment",
           "Women's rights", "Rights of the child", "Equality & non-discrimination",
           "Administration of justice & fair trial", "Human rights defenders",
           "Ratification of & accession to international instruments", "Migrants")
_SDGS = ("1.4 - Equal rights to economic resources", "4.1 - Free primary and secondary "
         "education", "5.2 - Eliminate violence against women and girls", "16.3 - Promote the "
         "rule of law", "16.10 - Public access to information and fundamental freedoms",
         "10.3 - Ensure equal opportunity and end discrimination")
_BODIES = ("CRC", "CEDAW", "CCPR", "CESCR", "CAT", "CERD", "CRPD", "SR on torture",
           "WG on arbitrary detention", "SR on freedom of expression")


def _text(rng: random.Random, lo: int, hi: int) -> str:
    words = rng.choices(_WORDS, k=rng.randint(lo, hi))
    return " ".join(words).capitalize() + "."


def synthetic_index(rows: int, states: Sequence[str], seed: int = 0,
                    upr_per_review: tuple[int, int] = (120, 260),
                    last_session: int = 53) -> Iterator[dict[str, object]]:
    """About ``rows`` rows of a whole-index export: every review of sessions 1 to
    ``last_session`` (each state once per cycle, its sessions' rows in a block), a few split
    positions, the last session pending, and treaty-body and special-procedure rows
    interleaved to make up the count. ``states``: names of the states (canonical spellings).
    """
    rng = random.Random(seed)
    cycles = {1: range(1, 13), 2: range(13, 27), 3: range(27, 41), 4: range(41, 55)}
    reviews: list[tuple[int, str]] = []
    for sessions in cycles.values():
        order = list(states)
        rng.shuffle(order)
        per = -(-len(order) // len(sessions))
        for i, session in enumerate(sessions):
            if session <= last_session:
                reviews += [(session, s) for s in order[i * per:(i + 1) * per]]
    sizes = [rng.randint(*upr_per_review) for _ in reviews]
    # other rows interleaved at the rate that brings the total to about ``rows``
    ratio = max(0, rows - sum(sizes)) / max(1, sum(sizes))
    due = 0.0
    for (session, sur), size in zip(reviews, sizes, strict=True):
        base = rng.randint(90, 160)
        published = serial(dt.date(2008 + (session - 1) // 3, 3, 1))
        for i in range(1, size + 1):
            k = 1 if rng.random() < 0.85 else rng.randint(2, 4)
            recommenders = rng.sample([s for s in states if s != sur], k)
            roll = rng.random()
            position = ("" if session == last_session else "Supported/Noted" if roll < 0.02
                        else "Noted" if roll < 0.3 else "Supported")
            yield upr_row(f"{base}.{i}", _text(rng, 8, 40), sur, recommenders, position,
                          session if rng.random() < 0.8 else f"{session}th session",
                          symbol=f"A/HRC/{session}/{i % 7 + 1}", published=published,
                          themes=rng.sample(_THEMES, rng.randint(1, 3)),
                          sdgs=rng.sample(_SDGS, rng.randint(0, 2)),
                          persons=rng.sample(("Women & girls", "Children", "Migrants",
                                              "Persons with disabilities"), rng.randint(0, 2)))
            due += ratio
            while due >= 1:
                yield other_row(rng.choice(_BODIES), _text(rng, 60, 160), rng.choice(states))
                due -= 1


def one_review(sur: str, session: int, paragraphs: int, seed: int = 0,
               states: Sequence[str] = ("France", "Mali", "Brazil", "Japan", "Kenya",
                                        "Chile", "Viet Nam", "Germany", "Peru", "Ghana"),
               split_every: int = 9, noted_every: int = 4, pending: bool = False,
               first: int = 1, base: int = 140) -> list[dict[str, object]]:
    """The UPR rows of one review: paragraphs ``<base>.<first>`` on, one to three
    recommending states each (some written with their state in parentheses at the end, some
    not), every ``noted_every``-th noted and every ``split_every``-th split
    (Supported/Noted), or no position at all if ``pending``."""
    rng = random.Random(seed)
    out = []
    for i in range(first, first + paragraphs):
        recommenders = rng.sample([s for s in states if s != sur], 1 if i % 5 else 3)
        position = ("" if pending else "Supported/Noted" if i % split_every == 0
                    else "Noted" if i % noted_every == 0 else "Supported")
        out.append(upr_row(f"{base}.{i}", _text(rng, 8, 30), sur, recommenders, position,
                           session, symbol=f"A/HRC/{session + 11}/{i % 3 + 10}",
                           themes=rng.sample(_THEMES, 2), sdgs=rng.sample(_SDGS, 1),
                           persons=rng.sample(("Women & girls", "Children"), 1),
                           suffix=i % 2 == 0))
    return out
