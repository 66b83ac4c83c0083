"""Curated facts that the raw sources lack: small committed CSVs in data/raw/curated/.

Each file has a declared schema, validated on load; every row carries a ``source``. A file with
no rows for the requested country gives an empty frame, never an error: notebooks then show a
short note.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.pandas import Check, Column, DataFrameSchema

from uprlib.errors import SchemaError
from uprlib.workspace.paths import curated_dir

ISO3 = Column(str, Check.str_matches(r"^[A-Z]{3}$"))
SOURCE = Column(str, Check.str_length(min_value=3))
SHORT = Column(str, Check.str_length(max_value=160), nullable=True)
DATE = Column("datetime64[ns]", nullable=True)

SCHEMAS: dict[str, DataFrameSchema] = {
    "laws": DataFrameSchema({
        "country_iso3": ISO3, "law": SHORT, "short_name": SHORT,
        "instrument_type": Column(str, Check.isin(["law", "draft law", "regulation",
                                                   "draft regulation", "departmental rules"])),
        "event": Column(str, Check.isin(["draft published", "adopted", "in force", "revised",
                                         "comments closed"])),
        "date": Column("datetime64[ns]"), "date_precision": Column(str, Check.isin(
            ["day", "month", "year"])),
        "status_at_report": SHORT, "source": SOURCE}, strict=True, coerce=True),
    "visit_requests": DataFrameSchema({
        "country_iso3": ISO3, "mandate": SHORT,
        "year_requested": Column("Int64", Check.in_range(1990, 2030)),
        "reminders": SHORT, "status_at_report": SHORT, "source": SOURCE},
        strict=True, coerce=True),
    "treaty_followup": DataFrameSchema({
        "country_iso3": ISO3, "treaty_body": SHORT, "review_document": SHORT,
        "follow_up_items": SHORT, "due_date": DATE, "status_at_report": SHORT,
        "source": SOURCE}, strict=True, coerce=True),
    "crackdown_2015": DataFrameSchema({
        "country_iso3": ISO3, "fact": SHORT, "value": Column(str), "unit": SHORT,
        "as_of_date": DATE, "source": SOURCE}, strict=True, coerce=True),
    # a report's quantitative claims; ``metric`` names the computed figure a claim is tested
    # against (``<section>.<key of its key_figures>`` or ``review.<fact>``), empty if the UPR
    # data cannot test it; ``footnote`` is the report's footnote supporting the claim
    "report_claims": DataFrameSchema({
        "claim_id": Column(str), "report": Column(str, Check.str_matches(r"^[\w.-]+$")),
        "country": ISO3, "cycle": Column("Int64", Check.in_range(1, 9)), "section": SHORT,
        "claim": SHORT, "value": Column(str), "unit": SHORT, "page": Column("Int64"),
        "footnote": Column("Int64", nullable=True),
        "metric": Column(str, Check.str_matches(r"^[a-z_]+\.[a-z_]+$"), nullable=True),
        "source": SOURCE}, strict=True, coerce=True,
        unique=["report", "claim_id"]),
    "review_dates": DataFrameSchema({
        "country_iso3": ISO3, "cycle": Column("Int64"), "session": Column("Int64"),
        "review_date": Column("datetime64[ns]"), "working_group_report": SHORT,
        "source": SOURCE}, strict=True, coerce=True),
    "treaty_signatures": DataFrameSchema({
        "country_iso3": ISO3, "instrument": SHORT, "signature_date": Column("datetime64[ns]"),
        "source": SOURCE}, strict=True, coerce=True),
}


def load(name: str, country: str | None = None, folder: Path | None = None) -> pd.DataFrame:
    """Load and validate one curated table; only ``country``'s rows if given."""
    if name not in SCHEMAS:
        raise KeyError(f"unknown curated table {name!r}; known: {sorted(SCHEMAS)}")
    path = (folder or curated_dir()) / f"{name}.csv"
    df = pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)
    try:
        df = SCHEMAS[name].validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        raise SchemaError(f"{path} fails its schema:\n{err.failure_cases.head(20)}") from err
    if country is not None and "country_iso3" in df.columns:
        df = df.loc[df["country_iso3"] == country].reset_index(drop=True)
    return df
