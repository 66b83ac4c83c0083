"""Where things live: the project root and its data and output folders.

The root is taken from ``$UPRLIB_ROOT`` when set, else the nearest parent of the working
directory that holds ``pyproject.toml`` and ``src/uprlib`` (a checkout), else the working
directory itself.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DATA = Path(__file__).resolve().parents[1] / "package_data"


# the processed tables written by ``uprlib prepare`` (uprlib.load.prepare), read by uprlib.output
RECOMMENDATIONS_FILE = "recommendations.parquet"
RATIFICATION_FILE = "ratification.parquet"
CROSSCHECK_FILE = "crosscheck.csv"
QUALITY_FILE = "data_quality.json"
# every file ``prepare`` writes (the tables with a CSV copy of each, the cross-check and the
# quality report): the outputs the workflow declares for it
PROCESSED_FILES = (RECOMMENDATIONS_FILE, "recommendations.csv", RATIFICATION_FILE,
                   "ratification.csv", CROSSCHECK_FILE, QUALITY_FILE)


def project_root() -> Path:
    """Return the project root folder."""
    env = os.environ.get("UPRLIB_ROOT")
    if env:
        return Path(env).resolve()
    here = Path.cwd().resolve()
    for candidate in (here, *here.parents):
        if (candidate / "pyproject.toml").exists() and (candidate / "src" / "uprlib").is_dir():
            return candidate
    # an editable install: the package sits in <root>/src/uprlib
    pkg_root = Path(__file__).resolve().parents[3]
    if (pkg_root / "pyproject.toml").exists():
        return pkg_root
    return here


def raw_dir() -> Path:
    """Folder that receives fetched raw files (git-ignored, immutable once verified)."""
    return Path(os.environ.get("UPRLIB_RAW_DIR", project_root() / "data" / "raw"))


def processed_dir() -> Path:
    """Folder for the canonical tables written by ``uprlib prepare``."""
    return Path(os.environ.get("UPRLIB_PROCESSED_DIR", project_root() / "data" / "processed"))


def curated_dir() -> Path:
    """Folder of the small committed CSVs of facts the raw sources lack
    (``$UPRLIB_CURATED_DIR`` overrides it, for trying rows out and for tests)."""
    return Path(os.environ.get("UPRLIB_CURATED_DIR", project_root() / "data" / "raw" / "curated"))


def outputs_dir() -> Path:
    """Folder for figures, tables, executed notebooks and papers."""
    return Path(os.environ.get("UPRLIB_OUTPUTS_DIR", project_root() / "outputs"))
