"""JupyterLab as a researcher uses it, in a real browser: open the ICCPR notebook, run all
cells from the Run menu, read the key figures in the rendered output.

The browser is the system's chromium (Debian package ``chromium``, or ``$UPRLIB_CHROMIUM``)
driven by Playwright; without one the test is skipped and says why. The notebook is a copy
with its outputs cleared, in the test's temporary folder (the committed one is never opened,
and figures and tables go to a temporary outputs folder), so every figure found was computed
in this run. A screenshot of the executed notebook is kept as ``iccpr.png`` in that folder.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from uprlib.pipeline.lab import lab_command, lab_environment
from uprlib.workspace.paths import project_root

pytestmark = [pytest.mark.browser, pytest.mark.integration]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
# user settings for the test's JupyterLab: every cell attached to the page (so all outputs are
# in the DOM), and no request to the network for news or updates
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        {"fetchNews": "false", "checkForUpdates": False},
}
# done when every code cell of the open notebook shows an execution count ("[3]:", not "[*]:")
ALL_CELLS_RUN = """() => {
    const prompts = [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt')];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""
SERVER_START_S = 120
RUN_ALL_S = int(os.environ.get("UPRLIB_BROWSER_TIMEOUT", "300"))


@pytest.fixture
def chromium() -> str:
    """Path of the system's chromium; skips the test (saying why) when there is none."""
    found = os.environ.get("UPRLIB_CHROMIUM") or shutil.which("chromium") or shutil.which(
        "chromium-browser")
    if not found or not Path(found).exists():
        pytest.skip("no chromium browser (apt-get install chromium, or set $UPRLIB_CHROMIUM)")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"JupyterLab did not answer in {SERVER_START_S} s:\n{log.read_text()[-3000:]}")


def _notebook_copy(folder: Path) -> Path:
    """The committed ICCPR notebook without its outputs, in ``folder``."""
    nb = nbformat.read(project_root() / "notebooks" / "iccpr.ipynb", as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    folder.mkdir()
    target = folder / "iccpr.ipynb"
    nbformat.write(nb, target)
    return target


@pytest.fixture
def jupyterlab(chromium, tmp_path, processed):
    """A JupyterLab server (the command ``uprlib lab`` runs) on a free loopback port with a
    token, serving a cleared copy of the ICCPR notebook; yields (base URL, token, log)."""
    _notebook_copy(tmp_path / "notebooks")
    settings = tmp_path / "lab-settings"
    for name, value in LAB_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(value))
    env = lab_environment()
    env.update({
        "UPRLIB_ROOT": str(project_root()), "UPRLIB_PROCESSED_DIR": str(processed),
        "UPRLIB_OUTPUTS_DIR": str(tmp_path / "outputs"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "lab-workspaces"),
        "IPYTHONDIR": str(tmp_path / "ipython"), "MPLBACKEND": "Agg",
    })
    port, token = _free_port(), secrets.token_hex(16)
    log = tmp_path / "jupyterlab.log"
    cmd = lab_command(tmp_path / "notebooks", port=port, token=token, open_browser=False)
    with log.open("w") as out:
        # CI runs as root, which JupyterLab refuses unless told
        proc = subprocess.Popen(
            [*cmd, "--ServerApp.ip=127.0.0.1", "--ServerApp.allow_root=True"], env=env,
            cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(f"{base}/api/status?token={token}", proc, log)
        yield base, token, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_run_all_in_jupyterlab_shows_iccpr_key_figures(chromium, jupyterlab, processed,
                                                       tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip package playwright")
    from uprlib.analysis import iccpr
    from uprlib.output.review import Review

    expected = iccpr.key_figures(Review("CHN", 2, processed, tmp_path / "expected"))
    base, token, log = jupyterlab
    shot = tmp_path / "iccpr.png"
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(SERVER_START_S * 1000)
            page.goto(f"{base}/lab/tree/iccpr.ipynb?token={token}")
            notebook = page.locator(".jp-NotebookPanel:visible .jp-Notebook")
            notebook.wait_for()
            # the kernel is ready when the status bar says so (before, Run All would ask
            # which kernel to start)
            page.locator("#jp-main-statusbar").get_by_text(
                re.compile(r"Python 3 \(ipykernel\) \| Idle")).wait_for()
            # Run > Run All Cells, as a person would
            page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            try:
                page.wait_for_function(ALL_CELLS_RUN, timeout=RUN_ALL_S * 1000)
            finally:
                page.screenshot(path=str(shot), full_page=True)
            errors = notebook.locator("[data-mime-type='application/vnd.jupyter.error']")
            assert errors.count() == 0, errors.first.inner_text()
            text = notebook.inner_text()
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
    for key in ("recommendations", "governments", "distinct_states", "accepted",
                "not_accepted"):
        assert f'"{key}": {expected[key]}' in text, key
    # the sentence of the note under the figures, rendered from Markdown
    assert (f"{expected['recommendations']} recommendation paragraphs asked China to ratify "
            f"the ICCPR, made by {expected['governments']} recommending states") in text
    assert (tmp_path / "outputs" / "CHN-cycle2" / "tables" / "iccpr_matches.csv").exists()
    assert "without encryption" not in log.read_text()
