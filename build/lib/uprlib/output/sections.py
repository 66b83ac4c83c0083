"""The sections of the assessment: notebook name and the analysis module behind it.

One place for the list, used by the runner, the CLI and ``uprlib summary --section``.
"""

from __future__ import annotations

# notebook (and section) name -> module in uprlib.analysis
SECTION_MODULES: dict[str, str] = {
    "overview": "overview",
    "treaty_bodies": "mechanisms",
    "iccpr": "iccpr",
    "civil_society": "civil_society",
    "access_to_justice": "justice",
}
SECTIONS: tuple[str, ...] = tuple(SECTION_MODULES)
