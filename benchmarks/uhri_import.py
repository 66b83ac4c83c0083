"""Benchmark: ``uprlib import`` of a whole-index UHRI export, and prepare with it registered.

    .venv/bin/python benchmarks/uhri_import.py [--rows 250000] [--keep DIR]

No real export could be mirrored, so a synthetic one is generated in a temporary folder (never
in the project): every review of sessions 1-53 (about 146,000 UPR recommendations, a few split
positions, the last session pending) among treaty-body and special-procedure rows, 250,000
rows and about 60 MB of xlsx, like the whole index. Then, each step in a fresh Python process
(time and peak resident memory of that process):

1. reading the sheet with python-calamine and with openpyxl's read-only mode (every row);
2. ``uprlib import`` of the file into an empty project beside the data mirror;
3. ``prepare`` in that project with the import registered (from the interim copy, and
   without it: the cold path that reads the xlsx again), and in an empty project (nothing
   imported) for comparison;
4. ``uprlib import`` of the same index in the JSON form.

Figures are printed, never asserted. Needs the data mirror (``../shared/upr-data``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent("""
    import json, resource, sys, time
    t0 = time.perf_counter()
    exec(sys.argv[1])
    print(json.dumps({"seconds": round(time.perf_counter() - t0, 2),
                      "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                       / 1024)}))
""")


def run(label: str, code: str, env: dict[str, str] | None = None) -> dict:
    """Run ``code`` in a fresh interpreter; print and return its time and peak memory."""
    out = subprocess.run([sys.executable, "-c", CHILD, code], check=True, text=True,
                         capture_output=True, env={**os.environ, **(env or {})}, cwd=ROOT)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{label:<58} {result['seconds']:7.2f} s  {result['peak_mb']:6d} MB peak", flush=True)
    return result


def generate(path: Path, rows: int, writer: str = "write_xlsx") -> None:
    code = f"""
import sys; sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
from tests.unit.uhri_xlsx import synthetic_index, {writer}
from uprlib.transform.countries import countries
c = countries()
states = list(c.loc[c["un_regional_group"] != "Observer", "name"])
{writer}(Path({str(path)!r}), synthetic_index({rows}, states, seed=1))
"""
    run(f"generate {rows:,} rows ({path.suffix[1:]})", code)
    print(f"{'':<58} {path.stat().st_size / 1e6:7.1f} MB of {path.suffix[1:]}")


def project(base: Path, name: str) -> dict[str, str]:
    """An empty project folder beside the data mirror (environment for the child)."""
    root = base / name
    root.mkdir()
    mirror = os.environ.get("UPRLIB_DATA_MIRROR") or str(ROOT.parent / "shared" / "upr-data")
    return {"UPRLIB_ROOT": str(root), "UPRLIB_DATA_MIRROR": mirror}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=250_000)
    p.add_argument("--keep", type=Path, help="keep the generated export in this folder")
    args = p.parse_args()
    base = Path(tempfile.mkdtemp(prefix="uprlib-uhri-bench-"))
    try:
        export = base / "uhri-whole-index.xlsx"
        generate(export, args.rows)
        run("read every row: python-calamine (iter_rows)",
            "from python_calamine import CalamineWorkbook\n"
            f"s = CalamineWorkbook.from_path({str(export)!r}).get_sheet_by_index(0)\n"
            "n = sum(1 for _ in s.iter_rows())")
        run("read every row: openpyxl read-only",
            "from openpyxl import load_workbook\n"
            f"wb = load_workbook({str(export)!r}, read_only=True, data_only=True)\n"
            "n = sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))")
        run("the UHRI reader (UPR rows, checked)",
            f"from uprlib.extract.uhri import read_export; read_export({str(export)!r})")
        env = project(base, "imported")
        run("uprlib import (read, check, validate, copy, register)",
            f"from uprlib.load.user_import import import_file; import_file({str(export)!r})",
            env)
        prepare = ("from pathlib import Path; from uprlib.load.prepare import prepare_all; "
                   "prepare_all()")
        run("prepare, whole index imported (interim copy)", prepare, env)
        shutil.rmtree(Path(env["UPRLIB_ROOT"]) / "data" / "interim")
        run("prepare, whole index imported (no interim copy: reads the xlsx)", prepare, env)
        run("prepare, nothing imported", prepare, project(base, "empty"))
        as_json = base / "uhri-whole-index.json"
        generate(as_json, args.rows, "write_json")
        run("uprlib import of the same as JSON (streamed)",
            f"from uprlib.load.user_import import import_file; import_file({str(as_json)!r})",
            project(base, "json"))
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copy(export, args.keep / export.name)
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
