"""A small synthetic processed table for unit tests of the cross-review analyses."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from uprlib.load.prepare import RECOMMENDATIONS_FILE
from uprlib.load.schemas import RECOMMENDATIONS, validate

GROUPS = {"NOR": "WEOG", "CUB": "GRULAC", "VNM": "Asia-Pacific", "KEN": "Africa",
          "POL": "EEG", "FRA": "WEOG", "BRA": "GRULAC", "JPN": "Asia-Pacific"}
NAMES = {"NOR": "Norway", "CUB": "Cuba", "VNM": "Viet Nam", "KEN": "Kenya", "POL": "Poland",
         "FRA": "France", "BRA": "Brazil", "JPN": "Japan"}


def rec(sur: str, cycle: int, n: int, recommender: str, text: str, response: str,
        action: int | None = 4, source: str = "upr_info", paragraph: str | None = None,
        themes: str | None = None, order: int = 1) -> dict:
    """One state-level row in the canonical layout."""
    key = paragraph or f"{source}:{sur}:{cycle}:{n}"
    return {
        "rec_id": f"{sur}-{cycle}-{source}-{n}-{order}", "sur_iso3": sur,
        "sur_name": NAMES[sur], "cycle": cycle, "session": 5 if cycle == 1 else 15,
        "year": 2009 if cycle == 1 else 2013, "source_document": None,
        "paragraph_id": None, "paragraph_key": key, "state_order": order,
        "recommending_state": NAMES[recommender], "recommending_state_raw": NAMES[recommender],
        "recommending_iso3": recommender,
        "recommending_group": GROUPS[recommender], "joint_with": None, "text": text,
        "paragraph_text": text, "response": response, "action_category": action,
        "themes": themes, "theme_codes": None, "affected_persons": None, "theme_section": None,
        "sdg_goals": None, "sdg_targets": None, "source": source,
        "source_file": "synthetic.csv", "source_row": n + 1,
    }


def write(rows: list[dict], folder: Path) -> Path:
    """Validate ``rows`` against the canonical schema and write them as the processed table."""
    folder.mkdir(parents=True, exist_ok=True)
    df = validate(pd.DataFrame(rows), RECOMMENDATIONS, "synthetic test rows")
    df.to_parquet(folder / RECOMMENDATIONS_FILE, index=False)
    return folder
