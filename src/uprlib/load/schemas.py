"""Declared schemas of the canonical tables, checked (pandera) whenever a table is written."""

from __future__ import annotations

import datetime as dt

import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from uprlib.errors import SchemaError
from uprlib.transform.countries import REGIONAL_GROUPS

ISO3 = Check.str_matches(r"^[A-Z]{3}$")
# UPR reviews began in 2008; a review cannot be later than this year (cycles 1-4 so far)
REVIEW_YEARS = Check.in_range(2008, dt.date.today().year)

RECOMMENDATIONS = DataFrameSchema(
    {
        "rec_id": Column(str, unique=True),
        "sur_iso3": Column(str, ISO3),
        "sur_name": Column(str),
        "cycle": Column("Int64", Check.isin([1, 2, 3, 4])),
        "session": Column("Int64", Check.in_range(1, 60)),
        "year": Column("Int64", REVIEW_YEARS),
        "source_document": Column(str, nullable=True),
        "paragraph_id": Column(str, Check.str_matches(r"^\d+\.\d+$"), nullable=True),
        "paragraph_key": Column(str),
        "state_order": Column("Int64", Check.ge(1)),
        "recommending_state": Column(str, nullable=True),
        "recommending_iso3": Column(str, ISO3, nullable=True),
        "recommending_group": Column(str, Check.isin(REGIONAL_GROUPS), nullable=True),
        "joint_with": Column(str, nullable=True),
        "text": Column(str, Check.str_length(min_value=1)),
        "paragraph_text": Column(str, Check.str_length(min_value=1)),
        "response": Column(str, Check.isin(["accepted", "noted"])),
        "action_category": Column("Int64", Check.isin([1, 2, 3, 4, 5]), nullable=True),
        "themes": Column(str, nullable=True),
        "theme_codes": Column(str, nullable=True),
        "affected_persons": Column(str, nullable=True),
        "theme_section": Column(str, nullable=True),
        "source": Column(str, Check.isin(["ohchr_matrix", "upr_info"])),
        "source_file": Column(str),
        "source_row": Column("Int64", Check.ge(1)),
    },
    strict=True,
    ordered=True,
    coerce=True,
    name="recommendations",
)

RATIFICATION = DataFrameSchema(
    {
        "iso3": Column(str, ISO3),
        "country": Column(str),
        "instrument": Column(str),
        "instrument_name": Column(str),
        "status": Column(str, Check.isin(["state party", "signatory state", "no action"])),
        "year": Column("Int64", Check.in_range(1945, 2030), nullable=True),
        "note": Column(str, nullable=True),
        "source_file": Column(str),
    },
    unique=["iso3", "instrument"],
    strict=True,
    ordered=True,
    coerce=True,
    name="ratification",
)


def validate(df, schema: DataFrameSchema, where: str = ""):
    """Validate lazily so every failing check is reported at once, naming the table."""
    try:
        return schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases.head(20).to_string()
        raise SchemaError(f"{schema.name} table{' from ' + where if where else ''} fails its "
                         f"schema:\n{cases}") from err
