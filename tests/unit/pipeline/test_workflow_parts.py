"""The pieces of the workflow that need no data: manifests, temporary files, the code each step
depends on, reports, the driver's reading of Snakemake's output, the CLI's option errors."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest

from uprlib import cli
from uprlib.pipeline import layout, manifest, workflow
from uprlib.workspace import atomic


def test_manifest_notices_deleted_truncated_and_edited_files(tmp_path):
    a, b = tmp_path / "figures" / "a.png", tmp_path / "tables" / "b.csv"
    for path, text in ((a, "png"), (b, "x,y\n1,2\n")):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    record = tmp_path / "notebooks" / ".nb.outputs.json"
    record.parent.mkdir()
    assert manifest.problem(record) == ".nb.outputs.json is missing"
    manifest.write(record, [a, b])
    assert manifest.problem(record) is None
    assert sorted(manifest.files(record)) == sorted([a.resolve(), b.resolve()])
    os.utime(b)  # touched, same content: still trusted
    assert manifest.problem(record) is None
    b.write_text("x,y\n9,9\n")  # same size, other content
    assert "tables/b.csv changed" in manifest.problem(record)
    manifest.write(record, [a, b])
    a.write_text("")  # truncated
    assert "figures/a.png changed" in manifest.problem(record)
    a.unlink()
    assert "figures/a.png is missing" in manifest.problem(record)
    record.write_text("{not json")
    assert "unreadable" in manifest.problem(record)


def test_write_many_gives_normal_modes_and_sweep_removes_dead_writers_temp_files(tmp_path):
    target = tmp_path / "t.parquet"
    atomic.write_many({target: lambda p: p.write_text("data")})
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~atomic._UMASK
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    orphan = tmp_path / f".t.parquet.{dead}.abcd1234.tmp"
    live = tmp_path / f".t.parquet.{os.getpid()}.abcd1234.tmp"
    other = tmp_path / ".hidden-but-not-ours"
    for p in (orphan, live, other):
        p.write_text("x")
    assert atomic.sweep(tmp_path) == [orphan]
    assert live.exists() and other.exists() and target.exists()


def test_each_step_depends_on_its_stage_and_those_below():
    def stages(step):
        return {p.relative_to(layout.PACKAGE).parts[0] for p in layout.code_files(step)}

    prepare = stages("prepare")
    assert {"workspace", "package_data", "extract", "transform", "load", "errors.py"} <= prepare
    assert not prepare & {"output", "analysis", "paper", "pipeline", "cli.py"}
    notebook = stages("notebook")
    assert {"output", "audit", "analysis"} <= notebook and "paper" not in notebook
    assert "paper" in stages("paper") and "pipeline" not in stages("paper")
    assert layout.registry_file() in layout.code_files("fetch")


def test_report_resolution(tmp_path):
    assert layout.resolve_report("CHN", 2, "none") == ""
    assert layout.resolve_report("CHN", 2, "default") == "hric_2016_report"
    assert layout.resolve_report("NOR", 2, "default") == ""
    text = tmp_path / "r.txt"
    assert layout.resolve_report("NOR", 2, str(text)) == str(text)
    assert layout.report_files(str(text)) == [text]
    assert layout.report_files("hric_2016_report")[0].name.endswith(".txt")


def test_report_named_like_a_snakemake_path_variable(tmp_path, monkeypatch):
    """Snakemake expands "<name>" in input paths: such a report is watched through a copy
    named by its content (a new name when the content changes), the file itself is read."""
    monkeypatch.setenv("UPRLIB_ROOT", str(tmp_path))
    text = tmp_path / "r $(id);<script>.txt"
    text.write_text("first", encoding="utf-8")
    assert layout.resolve_report("NOR", 2, str(text)) == str(text)
    [watched] = layout.report_files(str(text))
    assert watched.is_relative_to(tmp_path / ".snakemake")
    assert "<" not in str(watched) and watched.read_text(encoding="utf-8") == "first"
    text.write_text("second", encoding="utf-8")
    [again] = layout.report_files(str(text))
    assert again != watched and again.read_text(encoding="utf-8") == "second"
    assert layout.report_files(str(text)) == [again]


def test_driver_reads_snakemake_failures_and_locks():
    lines = ["Error in rule notebook:", "    jobid: 3", "    output: x",
             "    wildcards: iso3=VNM, cycle=2, name=iccpr", "", "Error in rule prepare:",
             "    jobid: 1", "    output: y", "Shutting down"]
    assert workflow._failed_reviews(lines) == {"VNM-cycle2", "*"}
    locked = ["Error: Directory cannot be locked. Please make sure that no other Snakemake",
              "LockException:"]
    assert workflow._snakemake_error(locked) == "locked"
    missing = ["MissingInputException in rule paper in file x, line 3:",
               "Missing input files for rule paper:", "    affected files:", "        /a/b"]
    assert workflow._snakemake_error(missing).startswith("MissingInputException in rule paper")


@pytest.mark.parametrize(("argv", "needle"), [
    (["run", "--workers", "-2"], "argument --workers: must be a positive whole number"),
    (["paper", "--workers", "two"], "argument --workers: must be a positive whole number"),
    (["run", "--report", "/tmp"], "argument --report: /tmp is a folder, not a text file"),
    (["render", "--report", "no-such-report"], "argument --report: 'no-such-report' is neither"),
])
def test_cli_errors_name_the_option(argv, needle, capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert needle in err[-1] and err[-1].startswith(f"uprlib {argv[0]}: error: argument")
    assert not any("Traceback" in line for line in err)


def test_cli_refuses_an_empty_report(tmp_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(SystemExit):
        cli.main(["run", "--report", str(empty)])
    assert "empty.txt is empty; nothing to audit" in capsys.readouterr().err


def test_cli_refuses_a_report_that_is_not_utf8_text(tmp_path, capsys):
    """A PDF or binary file given as --report: refused by the option, before any job runs."""
    binary = tmp_path / "report.pdf"
    binary.write_bytes(b"%PDF-1.5\n\xe2\x28\xa1 binary")
    with pytest.raises(SystemExit):
        cli.main(["paper", "--report", str(binary)])
    err = capsys.readouterr().err.splitlines()
    assert err[-1] == (f"uprlib paper: error: argument --report: {binary} is not UTF-8 text "
                       "(byte 0xe2 at offset 9); give the report's plain text")


def test_relative_report_is_taken_from_the_current_folder(tmp_path, monkeypatch):
    (tmp_path / "mine.txt").write_text("Recommendation 186.1 ...")
    monkeypatch.chdir(tmp_path)
    assert cli._report("mine.txt") == str(tmp_path / "mine.txt")
    assert cli._report("default") == "default" and cli._report("none") == "none"


def test_review_not_in_the_data_is_refused_before_any_job(tmp_path, monkeypatch, capsys):
    """--cycle 99 or a state never reviewed: one line before any notebook runs (no
    outputs/<ISO3>-cycle99/ of failed notebooks); the tables are prepared once first, since
    an import may have added the review. In a batch the others are still built."""
    import pandas as pd

    pd.DataFrame({"sur_iso3": ["NOR", "NOR"], "cycle": [1, 2]}).to_parquet(
        tmp_path / "recommendations.parquet")
    monkeypatch.setenv("UPRLIB_PROCESSED_DIR", str(tmp_path))
    monkeypatch.setenv("UPRLIB_OUTPUTS_DIR", str(tmp_path / "outputs"))
    prepared, built = [], []
    monkeypatch.setattr(workflow, "prepare", lambda **kw: prepared.append(kw))
    monkeypatch.setattr(workflow, "build", lambda targets, **kw: built.append(targets)
                        or workflow.BuildResult(1))
    assert cli.main(["paper", "--country", "NOR", "--cycle", "99"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "uprlib paper: error: no review of NOR in cycle 99 in the data (available cycles: 1, "
        "2; `uprlib reviews` lists them, `uprlib import` adds one)"]
    assert len(prepared) == 1 and built == []
    with pytest.raises(workflow.NoDataError, match="ZZZ in cycle 2 .*no review of this state"):
        workflow.build_notebooks("ZZZ", 2)
    assert built == []
    outcomes = workflow.build_papers([("NOR", 2), ("NOR", 3)], echo=False)
    assert [str(t[0]) for t in built] == [str(tmp_path / "outputs" / "NOR-cycle2" / "paper"
                                              / ".paper.outputs.json")]
    assert "no review of NOR in cycle 3" in outcomes["NOR-cycle3"].error
    assert not (tmp_path / "outputs" / "NOR-cycle3").exists()


def test_previous_paper_survives_a_failed_or_interrupted_run(tmp_path):
    """Snakemake deletes a job's outputs as it starts: what was kept comes back if the run
    does not write it again, a file the run did write stays, the backup is removed."""
    html, pdf, gone = tmp_path / "paper.html", tmp_path / "paper.pdf", tmp_path / "x.pdf"
    html.write_text("old html")
    pdf.write_text("old pdf")
    state = tmp_path / "state"
    state.mkdir()
    with pytest.raises(KeyboardInterrupt), workflow._kept([html, pdf, gone], state):
        html.unlink()  # Snakemake removes the outputs ...
        pdf.unlink()
        new = tmp_path / "tmp.pdf"  # ... the job writes one anew (atomically) and is stopped
        new.write_text("new pdf")
        new.replace(pdf)
        raise KeyboardInterrupt
    assert html.read_text() == "old html" and pdf.read_text() == "new pdf"
    assert not gone.exists() and list(state.iterdir()) == []


def test_run_killed_while_waiting_for_the_lock_leaves_no_file(tmp_path):
    """`timeout` or SIGTERM while another run holds the project: nothing left behind (the
    run's config file is written only once it holds the lock)."""
    import fcntl

    state = tmp_path / ".snakemake" / "uprlib"
    state.mkdir(parents=True)
    env = {**os.environ, "UPRLIB_ROOT": str(tmp_path)}
    with open(tmp_path / ".snakemake" / "uprlib.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        proc = subprocess.Popen(
            [sys.executable, "-c", "from uprlib.pipeline import workflow; "
             "workflow.build(['x'], config={'reviews': 'NOR-cycle1'})"],
            env=env, stderr=subprocess.PIPE, text=True)
        assert "waiting for" in proc.stderr.readline()
        proc.terminate()
        proc.wait(timeout=30)
    assert [p.name for p in state.iterdir()] == []
