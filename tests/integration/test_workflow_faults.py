"""The build cannot be fooled: faults injected into real builds end with a correct,
self-contained paper or a clear refusal.

One China paper is built once for the module into folders outside the project (as with
``UPRLIB_OUTPUTS_DIR``); each test then breaks something (kills a run at a stage, runs two at
once, deletes or truncates an output, fails and reverts an input, passes relative or
mismatched reports) and checks the end state: every file a job recorded is present and as
recorded, the paper is one HTML file with embedded images, and only what depended on the
fault was redone.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import psutil
import pytest

from uprlib.pipeline import layout, manifest, workflow
from uprlib.workspace.paths import project_root

pytestmark = pytest.mark.integration

ROOT = project_root()
UPRLIB = [sys.executable, "-m", "uprlib"]


@pytest.fixture(scope="module")
def dirs(processed, tmp_path_factory):
    """Processed tables (a copy, so prepare may run) and an outputs folder, both outside the
    project, with the China paper built once."""
    base = tmp_path_factory.mktemp("faults")
    proc = base / "processed"
    shutil.copytree(processed, proc)
    out = base / "outputs"
    outcome = workflow.build_paper("CHN", 2, renderer="pandoc", processed_dir=proc,
                                   output_dir=out / "CHN-cycle2", echo=False)
    assert outcome.ok and outcome.rebuilt
    return {"processed": proc, "outputs": out}


def _config(dirs) -> dict:
    return {"processed_dir": str(dirs["processed"]), "outputs_dir": str(dirs["outputs"]),
            "renderer": "pandoc"}


def _env(dirs) -> dict:
    return {**os.environ, "UPRLIB_PROCESSED_DIR": str(dirs["processed"]),
            "UPRLIB_OUTPUTS_DIR": str(dirs["outputs"])}


def _build(dirs, **kw) -> workflow.BuildResult:
    lay = layout.Layout.from_config(_config(dirs))
    return workflow.build([lay.paper_files("CHN", 2)["manifest"]], config=_config(dirs),
                          echo=False, **kw)


def _assert_consistent(dirs) -> None:
    """Every manifest of the review is intact and the paper is self-contained."""
    lay = layout.Layout.from_config(_config(dirs))
    names = [*layout.SECTIONS, layout.AUDIT]
    for m in [lay.notebook_manifest("CHN", 2, n) for n in names] + [
            lay.paper_files("CHN", 2)["manifest"], lay.prepare_manifest()]:
        assert manifest.problem(m) is None, m
    paper = lay.paper_files("CHN", 2)
    html = paper["html"].read_text(encoding="utf-8")
    assert "data:image/png;base64," in html and 'src="figures/' not in html
    assert html.rstrip().endswith("</html>")
    assert paper["pdf"].read_bytes()[:5] == b"%PDF-"
    review = lay.review_dir("CHN", 2)
    leftovers = [p for p in review.rglob(".*") if p.is_file() and not p.name.endswith(".json")]
    assert leftovers == []  # no temporary files, no stale markers


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _wait_for(proc: subprocess.Popen, predicate, timeout: float = 120) -> list[psutil.Process]:
    """Wait until a descendant of ``proc`` matches; return all its descendants then."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        kids = _descendants(proc.pid)
        for k in kids:
            try:
                if predicate(" ".join(k.cmdline())):
                    return kids
            except psutil.Error:
                continue
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"stage not reached; output: {proc.communicate()}")


def test_outputs_outside_the_project_and_nothing_to_redo(dirs):
    _assert_consistent(dirs)
    again = _build(dirs)
    assert again.ok and again.jobs == []


def test_deleted_figure_and_table_rerun_only_their_notebook_and_the_paper(dirs):
    review = layout.Layout.from_config(_config(dirs)).review_dir("CHN", 2)
    (review / "figures" / "treaty_bodies_ratification.png").unlink()
    (review / "tables" / "iccpr_wording.csv").unlink()
    result = _build(dirs)
    assert result.ok, result.first_error()
    assert sorted(j.label for j in result.jobs) == [
        "notebook iccpr CHN-cycle2", "notebook treaty_bodies CHN-cycle2", "paper CHN-cycle2"]
    _assert_consistent(dirs)


def _kernel(cmd: str) -> bool:
    return "ipykernel_launcher" in cmd


def _pandoc(cmd: str) -> bool:
    return cmd.split(" ")[0].endswith("pandoc")


@pytest.mark.parametrize(("command", "stage", "sig"), [
    (["run", "--sections", "iccpr", "--force"], _kernel, signal.SIGINT),
    (["run", "--sections", "iccpr", "--force"], _kernel, signal.SIGKILL),
    (["render", "--force", "--renderer", "pandoc"], _pandoc, signal.SIGTERM),
])
def test_killed_run_leaves_no_process_and_the_next_run_repairs(dirs, command, stage, sig):
    """Killed while a notebook's kernel runs, or while pandoc renders the paper."""
    proc = subprocess.Popen([*UPRLIB, *command], cwd=ROOT,
                            env=_env(dirs), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    tree = _wait_for(proc, stage)
    proc.send_signal(sig)
    _out, err = proc.communicate(timeout=90)
    gone, alive = psutil.wait_procs(tree, timeout=30)
    assert alive == [], [p.pid for p in alive]  # kernels, pandoc, jobs, snakemake: all ended
    if sig != signal.SIGKILL:
        assert proc.returncode == 130
        assert err.strip().splitlines()[-1] == f"uprlib {command[0]}: interrupted"
        assert "Traceback" not in err
    result = _build(dirs)
    assert result.ok, result.first_error()
    _assert_consistent(dirs)


def test_two_runs_at_once_wait_for_each_other(dirs):
    cmd = [*UPRLIB, "render", "--force", "--renderer", "pandoc"]
    runs = [subprocess.Popen(cmd, cwd=ROOT, env=_env(dirs), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [r.communicate(timeout=300) for r in runs]
    assert [r.returncode for r in runs] == [0, 0], results
    assert any("waiting for" in err for _out, err in results)
    _assert_consistent(dirs)


def test_revert_an_input_after_a_failure(dirs, tmp_path):
    """A report the audit reads: changed to something unreadable (the audit fails), then
    reverted; the paper ends up as for the reverted text, not as for either failed state."""
    original = layout.report_files("hric_2016_report")[0]
    report = tmp_path / "report.txt"
    shutil.copyfile(original, report)
    lay = layout.Layout.from_config(_config(dirs))
    cfg = {**_config(dirs), "report": str(report)}
    target = [lay.paper_files("CHN", 2)["manifest"]]
    first = workflow.build(target, config=cfg, echo=False)
    assert first.ok, first.first_error()
    citations = (lay.review_dir("CHN", 2) / "tables" / "audit_citations.csv").read_bytes()
    report.write_bytes(b"\xff\xfe not utf-8")
    failed = workflow.build(target, config=cfg, echo=False)
    assert not failed.ok and "audit" in failed.first_error() and "UTF-8" in failed.first_error()
    assert not lay.notebook("CHN", 2, "audit").exists()  # the failed job's output is gone
    shutil.copyfile(original, report)
    again = workflow.build(target, config=cfg, echo=False)
    assert again.ok, again.first_error()
    assert {j.label for j in again.jobs} == {"notebook audit CHN-cycle2", "paper CHN-cycle2"}
    assert (lay.review_dir("CHN", 2) / "tables" / "audit_citations.csv").read_bytes() == citations


def test_relative_then_mismatched_report(dirs, tmp_path):
    """`uprlib run --report <relative path>` from another folder audits that file; a later
    `uprlib render` with the default report redoes the audit instead of using the other one."""
    original = layout.report_files("hric_2016_report")[0]
    text = original.read_text(encoding="utf-8").splitlines()
    (tmp_path / "short.txt").write_text("\n".join(text[: len(text) // 3]), encoding="utf-8")
    run = subprocess.run([*UPRLIB, "run", "--sections", "iccpr", "--report", "short.txt"],
                         cwd=tmp_path, env={**_env(dirs), "UPRLIB_ROOT": str(ROOT)},
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    audit = layout.Layout.from_config(_config(dirs)).notebook("CHN", 2, "audit")
    params = json.loads(audit.read_text())["metadata"]["papermill"]["parameters"]
    assert params["report"] == str(tmp_path / "short.txt")
    render = subprocess.run([*UPRLIB, "render", "--renderer", "pandoc"], cwd=ROOT,
                            env=_env(dirs), capture_output=True, text=True, timeout=600)
    assert render.returncode == 0, render.stderr
    params = json.loads(audit.read_text())["metadata"]["papermill"]["parameters"]
    assert params["report"] == "hric_2016_report"
    _assert_consistent(dirs)


def test_truncated_table_is_rebuilt_by_prepare(processed, tmp_path):
    proc = tmp_path / "processed"
    shutil.copytree(processed, proc)
    # the session's tables may carry prepare's record from a test that ran the workflow on
    # them; without it, prepare must run
    layout.Layout.from_config({"processed_dir": str(proc)}).prepare_manifest().unlink(
        missing_ok=True)
    first = workflow.prepare(processed_dir=proc, echo=False)
    assert [j.step for j in first.jobs] == ["prepare"]
    recs = proc / "recommendations.parquet"
    good = recs.read_bytes()
    recs.write_bytes(good[: len(good) // 2])
    again = workflow.prepare(processed_dir=proc, echo=False)
    assert [j.step for j in again.jobs] == ["prepare"]
    assert recs.read_bytes() == good
    assert workflow.prepare(processed_dir=proc, echo=False).jobs == []


def test_cross_country_summary_and_its_rerun(dirs):
    import pandas as pd

    kw = {"processed_dir": dirs["processed"], "outputs_dir": dirs["outputs"], "echo": False}
    path = workflow.summary(2, **kw)
    assert path == dirs["outputs"] / "batch-cycle2" / "summary.csv"
    table = pd.read_csv(path)
    assert "CHN" in set(table["sur_iso3"]) and len(table) > 100
    path.unlink()
    assert workflow.summary(2, **kw) == path
    assert path.exists()


def test_slurm_profile_dry_run(tmp_path):
    """The cluster profile loads and plans the same jobs (nothing is submitted)."""
    cmd = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "workflow" / "Snakefile"),
           "--profile", str(ROOT / "workflow" / "profiles" / "slurm"), "--dry-run",
           "--config", f"outputs_dir={tmp_path / 'out'}", f"processed_dir={tmp_path / 'p'}",
           "reviews=CHN-cycle2,NOR-cycle2"]
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    text = run.stdout + run.stderr
    assert "slurm_partition=standard" in text
    for rule, count in (("prepare", 1), ("notebook", 11), ("paper", 2)):
        assert any(line.split() == [rule, str(count)] for line in text.splitlines()), rule
