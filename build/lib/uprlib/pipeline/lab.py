"""JupyterLab on the project's notebooks, and the kernel settings it shares with papermill.

Kernels talk to their manager over local TCP. They are started with CurveZMQ transport
encryption: the manager provisions keys whenever the kernelspec declares support (ipykernel's
does), jupyter_client's ``transport_encryption = "auto"``. Their traffic is then encrypted,
which is why ipykernel does not warn "Kernel is running over TCP without encryption".

Papermill's kernels are stopped at once when the notebook is done (nbclient's
``shutdown_kernel = "immediate"``). The graceful default is not graceful here: jupyter_client's
``shutdown_kernel`` first interrupts the kernel with SIGINT, and papermill shuts down as soon as
the reply to its last request (``kernel_info``, for the notebook's language) arrives, while
ipykernel is still inside that request's handler; the SIGINT then lands there and ipykernel
logs "[IPKernelApp] ERROR | KeyboardInterrupt caught in kernel." (about one notebook in seven).
Every output has been received by then, so nothing is lost.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from traitlets.config import Config

from uprlib.workspace.paths import project_root

KERNEL_NAME = "python3"
"""The kernel the notebooks name: ipykernel in this environment (``make venv`` installs it)."""

TRANSPORT_ENCRYPTION = "auto"
KERNEL_SHUTDOWN = "immediate"


def kernel_config() -> Config:
    """Traitlets config for papermill's notebook client and kernel manager: encrypted
    transport, and the kernel stopped without the SIGINT of a graceful shutdown."""
    return Config({"KernelManager": {"transport_encryption": TRANSPORT_ENCRYPTION},
                   "NotebookClient": {"shutdown_kernel": KERNEL_SHUTDOWN}})


def lab_environment(base: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for JupyterLab: the kernels of this environment come before a user's own.

    A ``python3`` kernelspec in the user's Jupyter folder would otherwise shadow this
    environment's and run the notebooks with another Python (``JUPYTER_PREFER_ENV_PATH``).
    """
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PREFER_ENV_PATH"] = "1"
    return env


def lab_command(notebook_dir: Path | None = None, port: int | None = None,
                token: str | None = None, open_browser: bool = True,
                extra: Sequence[str] = ()) -> list[str]:
    """The ``jupyter lab`` command line on ``notebook_dir`` (default: the project's notebooks/)
    with this environment's Python and encrypted kernel transport; ``extra`` arguments go to
    JupyterLab as they are."""
    folder = Path(notebook_dir) if notebook_dir else project_root() / "notebooks"
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={folder}",
           f"--MappingKernelManager.transport_encryption={TRANSPORT_ENCRYPTION}",
           f"--ServerApp.open_browser={open_browser}"]
    if port is not None:
        cmd += [f"--ServerApp.port={port}", "--ServerApp.port_retries=0"]
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    return cmd + list(extra)


def lab(port: int | None = None, open_browser: bool = True, extra: Sequence[str] = ()) -> int:
    """Bring the tables up to date (``prepare`` when stale), then run JupyterLab on notebooks/
    until it is stopped; return its exit status."""
    from .workflow import prepare

    written = any(j.step == "prepare" for j in prepare(echo=False).jobs)
    print("tables " + ("rebuilt" if written else "up to date") + "; starting JupyterLab on "
          f"{project_root() / 'notebooks'} (Ctrl-C to stop)", flush=True)
    try:
        return subprocess.call(lab_command(port=port, open_browser=open_browser, extra=extra),
                               env=lab_environment())
    except KeyboardInterrupt:
        return 0
