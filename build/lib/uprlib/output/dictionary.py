"""The data dictionary: every column of every declared table, with its type, checks and meaning.

It is read from the pandera schemas, where each table is declared once: the processed tables
(:data:`uprlib.load.schemas.TABLES`), the curated tables (:data:`uprlib.output.curated.SCHEMAS`)
and the cross-country summary (:data:`uprlib.output.crosscountry.SUMMARY`). A schema added to
one of those registries joins the dictionary, and so the paper's appendix and the README.
"""

from __future__ import annotations

import pandas as pd
from pandera.pandas import Check, Column, DataFrameSchema

from uprlib.load import schemas

from . import crosscountry, curated

DICTIONARY_COLUMNS = ["table", "column", "type", "nullable", "checks", "description"]

_TYPES = {"string": "text", "Int64": "integer", "int64": "integer", "float64": "number",
          "datetime64[ns]": "date", "bool": "true/false"}


def registered_schemas() -> dict[str, DataFrameSchema]:
    """Every declared table, by the file that holds it (processed, curated, summary)."""
    found = dict(schemas.TABLES)
    found.update({f"curated/{name}.csv": schema for name, schema in curated.SCHEMAS.items()})
    found[f"batch-cycle<N>/{crosscountry.SUMMARY_FILE}"] = crosscountry.SUMMARY
    return found


def type_name(column: Column) -> str:
    """The column's data type in words (``text``, ``integer``, ``number``, ``date``)."""
    dtype = str(column.dtype)
    return _TYPES.get(dtype.split("[")[0] if dtype.startswith("string") else dtype, dtype)


def describe_check(check: Check) -> str:
    """One pandera check in words, e.g. ``one of: accepted, noted`` or ``1 to 60``; a check
    declared with a ``description`` is shown by it."""
    if check.description:
        return check.description
    stats = check.statistics or {}
    if check.name == "isin":
        return "one of: " + ", ".join(str(v) for v in stats["allowed_values"])
    if check.name == "in_range":
        return f"{stats['min_value']} to {stats['max_value']}"
    if check.name == "str_matches":
        return f"matches {stats['pattern']}"
    if check.name == "str_length":
        low, high = stats.get("min_value"), stats.get("max_value")
        return " and ".join(([f"at least {low} characters" if low > 1 else "not empty"]
                             if low is not None else [])
                            + ([f"at most {high} characters"] if high is not None else []))
    if check.name == "greater_than_or_equal_to":
        return f"at least {stats['min_value']}"
    return str(check.error or check.name)


def _checks(name: str, column: Column, schema: DataFrameSchema) -> str:
    """The checks of one column, with uniqueness (alone or with other columns)."""
    parts = [describe_check(c) for c in column.checks]
    if column.unique:
        parts.append("unique")
    together = schema.unique or []
    if name in together:
        parts.append("unique together with " + ", ".join(c for c in together if c != name))
    return "; ".join(parts)


def data_dictionary() -> pd.DataFrame:
    """One row per (table, column): type, nullable, checks and description, from the schemas."""
    rows = [
        {"table": table, "column": name, "type": type_name(column),
         "nullable": "yes" if column.nullable else "no",
         "checks": _checks(name, column, schema), "description": column.description or ""}
        for table, schema in registered_schemas().items()
        for name, column in schema.columns.items()
    ]
    return pd.DataFrame(rows, columns=DICTIONARY_COLUMNS)
