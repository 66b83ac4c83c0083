"""Reader for the ratification status files (one CSV per instrument, World Politics Datalab).

Columns: iso2, member, state party (0/1), year ratification or accession, signatory (0/1),
no action (0/1), status, note.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from uprlib.errors import RatificationFormatError

COLUMNS = ("iso2", "member", "state party", "year ratification or accession", "signatory",
           "no action", "status")
STATUSES = {"state party", "signatory state", "no action"}

# Instrument codes of the file names, with their conventional labels.
INSTRUMENTS = {
    "icerd": ("ICERD", "Convention on the Elimination of All Forms of Racial Discrimination"),
    "iccpr": ("ICCPR", "International Covenant on Civil and Political Rights"),
    "iccpr_op1": ("ICCPR-OP1", "Optional Protocol to the ICCPR (individual communications)"),
    "iccpr_op2": ("ICCPR-OP2", "Second Optional Protocol to the ICCPR (death penalty)"),
    "icescr": ("ICESCR", "International Covenant on Economic, Social and Cultural Rights"),
    "icescr_op": ("ICESCR-OP", "Optional Protocol to the ICESCR"),
    "cedaw": ("CEDAW", "Convention on the Elimination of Discrimination against Women"),
    "op_cedaw": ("OP-CEDAW", "Optional Protocol to CEDAW"),
    "cat": ("CAT", "Convention against Torture"),
    "opcat": ("OP-CAT", "Optional Protocol to the Convention against Torture"),
    "crc": ("CRC", "Convention on the Rights of the Child"),
    "op_crc_ac": ("OP-CRC-AC", "Optional Protocol to the CRC on children in armed conflict"),
    "op_crc_sc": ("OP-CRC-SC", "Optional Protocol to the CRC on the sale of children"),
    "op_crc_ic": ("OP-CRC-IC", "Optional Protocol to the CRC on a communications procedure"),
    "icmw": ("ICMW", "International Convention on the Rights of All Migrant Workers"),
    "cped": ("CPED", "Convention for the Protection of All Persons from Enforced Disappearance"),
    "crpd": ("CRPD", "Convention on the Rights of Persons with Disabilities"),
    "op_crpd": ("OP-CRPD", "Optional Protocol to the CRPD"),
}


def read_status(path: Path | str, instrument: str) -> pd.DataFrame:
    """Read one instrument's file: iso2, member, status, year, source_file, row."""
    path = Path(path)
    if instrument not in INSTRUMENTS:
        raise RatificationFormatError(f"{path}: unknown instrument {instrument!r}")
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise RatificationFormatError(f"{path}: missing column(s) {missing}")
    df["row"] = range(2, len(df) + 2)
    df["status"] = df["status"].str.strip()
    bad = df.loc[~df["status"].isin(STATUSES)]
    if len(bad):
        r = bad.iloc[0]
        raise RatificationFormatError(f"{path}: row {r['row']}: unknown status {r['status']!r}")
    year = pd.to_numeric(df["year ratification or accession"].str.strip(), errors="coerce")
    bad_year = df.loc[df["year ratification or accession"].str.strip().ne("") & year.isna()]
    if len(bad_year):
        r = bad_year.iloc[0]
        raise RatificationFormatError(
            f"{path}: row {r['row']}: year {r['year ratification or accession']!r} is not a number"
        )
    code, label = INSTRUMENTS[instrument]
    return pd.DataFrame(
        {
            "iso2": df["iso2"].str.strip(),
            "member": df["member"].str.strip(),
            "instrument": code,
            "instrument_name": label,
            "status": df["status"],
            "year": year.astype("Int64"),
            "note": df.get("note", pd.Series("", index=df.index)).str.strip(),
            "source_file": path.name,
            "row": df["row"],
        }
    )
