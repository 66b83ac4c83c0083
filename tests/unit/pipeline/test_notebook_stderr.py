"""A notebook run through the runner says nothing on stderr: no kernel warning or error.

The kernel's messages (ipykernel's "Kernel is running over TCP without encryption", or
"KeyboardInterrupt caught in kernel." from a shutdown that interrupts it mid-request) go to the
stderr of the process that runs papermill, which is what a workflow job prints.
"""

from __future__ import annotations

import re
import subprocess
import sys

import nbformat

RUNS = 4  # the shutdown race hit about one run in seven before it was fixed

SCRIPT = """
import sys
from pathlib import Path
from uprlib.pipeline.runner import execute_notebook
src = Path(sys.argv[1])
for i in range({runs}):
    execute_notebook(src, src.with_name(f"out{{i}}.ipynb"), {{"x": i}})
"""


def test_notebook_runs_print_no_warning_or_error(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("x = 0", metadata={"tags": ["parameters"]}),
                nbformat.v4.new_code_cell("print(x + 1)")]
    source = tmp_path / "small.ipynb"
    nbformat.write(nb, source)
    proc = subprocess.run([sys.executable, "-c", SCRIPT.format(runs=RUNS), str(source)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    noisy = [line for line in proc.stderr.splitlines()
             if re.search(r"\b(WARNING|ERROR|Warning)\b", line)]
    assert noisy == []
    for i in range(RUNS):  # the notebooks did run, with their parameter
        out = nbformat.read(tmp_path / f"out{i}.ipynb", as_version=4)
        assert out.cells[-1].outputs[0]["text"].strip() == str(i + 1)
