"""Declared schemas of the canonical tables, checked (pandera) whenever a table is written."""

from __future__ import annotations

import datetime as dt

import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from uprlib.errors import SchemaError
from uprlib.transform.countries import REGIONAL_GROUPS
from uprlib.transform.sources import PRECEDENCE
from uprlib.workspace import responses
from uprlib.workspace.paths import RATIFICATION_FILE, RECOMMENDATIONS_FILE

ISO3 = Check.str_matches(r"^[A-Z]{3}$")
# UPR reviews began in 2008; a review cannot be later than this year (cycles 1-4 so far)
REVIEW_YEARS = Check.in_range(2008, dt.date.today().year,
                               description="2008 to the current year")

RECOMMENDATIONS = DataFrameSchema(
    {
        "rec_id": Column(str, unique=True, description=(
            "identifier of the row: source, review and paragraph (matrix) or file row (UPR Info)")),
        "sur_iso3": Column(str, ISO3, description="state under review, ISO 3166 alpha-3"),
        "sur_name": Column(str, description="UN short name of the state under review"),
        "cycle": Column("Int64", Check.isin([1, 2, 3, 4]), description="UPR cycle of the review"),
        "session": Column("Int64", Check.in_range(1, 60),
                          description="UPR Working Group session of the review"),
        "year": Column("Int64", REVIEW_YEARS,
                       description="year the Working Group session was held"),
        "source_document": Column(str, nullable=True, description=(
            "UN document symbol of the Working Group report or its addendum (OHCHR file, UHRI, "
            "DIHR)")),
        "paragraph_id": Column(str, Check.str_matches(r"^\d+\.\d+$"), nullable=True,
                               description=(
            "paragraph number in the Working Group report, e.g. 186.1 (OHCHR file, UHRI, DIHR)")),
        "paragraph_key": Column(str, description=(
            "key shared by the rows of one paragraph: its number, or where the source has none "
            "the first row with the same review, text and response (an estimate)")),
        "state_order": Column("Int64", Check.ge(1), description=(
            "position of the recommending state within its paragraph (1 = first)")),
        "recommending_state": Column(str, nullable=True, description=(
            "recommending state, canonical (UN short) name; empty when the source gives none")),
        "recommending_state_raw": Column(str, nullable=True, description=(
            "recommending state as the source spells it")),
        "recommending_iso3": Column(str, ISO3, nullable=True,
                                    description="recommending state, ISO 3166 alpha-3"),
        "recommending_group": Column(str, Check.isin(REGIONAL_GROUPS), nullable=True,
                                     description="UN regional group of the recommending state"),
        "joint_with": Column(str, nullable=True, description=(
            "other states credited with the same clause, ' | '-separated (OHCHR matrix, UHRI)")),
        "text": Column(str, Check.str_length(min_value=1), description=(
            "text of the recommendation as made by this state (its clause of the paragraph)")),
        "paragraph_text": Column(str, Check.str_length(min_value=1), description=(
            "full text of the paragraph, every recommending state's clause")),
        "response": Column(str, Check.isin(responses.RESPONSES), description=(
            "response of the state under review: " + responses.describe())),
        "action_category": Column("Int64", Check.isin([1, 2, 3, 4, 5]), nullable=True,
                                  description=(
            "UPR Info action category, 1 (minimal action) to 5 (specific action); other sources "
            "borrow it from the UPR Info row the cross-check pairs them with")),
        "themes": Column(str, nullable=True, description=(
            "themes, ' | '-separated: OHCHR theme labels (matrix, UHRI) or UPR Info issues (DIHR "
            "rows: those of the paired UPR Info row)")),
        "theme_codes": Column(str, nullable=True, description=(
            "OHCHR theme codes, ' | '-separated (OHCHR matrix only)")),
        "affected_persons": Column(str, nullable=True, description=(
            "groups of affected persons, ' | '-separated (OHCHR matrix, UHRI)")),
        "theme_section": Column(str, nullable=True, description=(
            "theme heading of the matrix under which the paragraph is listed (OHCHR matrix only)")),
        "sdg_goals": Column(str, Check.str_matches(r"^\d{1,2}( \| \d{1,2})*$"), nullable=True,
                            description="SDG goals linked to the recommendation (DIHR, UHRI)"),
        "sdg_targets": Column(str, nullable=True,
                              description="SDG targets linked to the recommendation (DIHR, UHRI)"),
        "source": Column(str, Check.isin(PRECEDENCE), description=(
            "raw source of the row: ohchr_matrix (OHCHR file), uhri (OHCHR Universal Human Rights "
            "Index export), dihr (DIHR explorer export), upr_info_2018 or upr_info (UPR Info "
            "exports)")),
        "source_file": Column(str, description="name of the raw file the row was read from"),
        "source_row": Column("Int64", Check.ge(1),
                             description=(
                                 "row of the raw file (table row, spreadsheet row, CSV line or "
                                 "JSON record)")),
    },
    strict=True,
    ordered=True,
    coerce=True,
    name="recommendations",
)

RATIFICATION = DataFrameSchema(
    {
        "iso3": Column(str, ISO3, description="state, ISO 3166 alpha-3"),
        "country": Column(str, description="UN short name of the state"),
        "instrument": Column(str, description="short code of the instrument, e.g. ICCPR"),
        "instrument_name": Column(str, description="name of the instrument"),
        "status": Column(str, Check.isin(["state party", "signatory state", "no action"]),
                         description="the state's status: party, signatory only, or no action"),
        "year": Column("Int64", Check.in_range(1945, 2030), nullable=True,
                       description="year of ratification or accession; empty if none"),
        "note": Column(str, nullable=True, description="note of the source file on the status"),
        "source_file": Column(str, description="name of the raw file the row was read from"),
    },
    unique=["iso3", "instrument"],
    strict=True,
    ordered=True,
    coerce=True,
    name="ratification",
)

# the processed tables by file name: the data dictionary (uprlib.output.dictionary) lists them
TABLES: dict[str, DataFrameSchema] = {RECOMMENDATIONS_FILE: RECOMMENDATIONS,
                                      RATIFICATION_FILE: RATIFICATION}


def validate(df, schema: DataFrameSchema, where: str = ""):
    """Validate lazily so every failing check is reported at once, naming the table."""
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases.head(20).to_string()
        raise SchemaError(f"{schema.name} table{' from ' + where if where else ''} fails its "
                         f"schema:\n{cases}") from err
