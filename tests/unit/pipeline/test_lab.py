"""The JupyterLab command line and the kernel settings papermill shares with it."""

from __future__ import annotations

from pathlib import Path

from uprlib.cli import build_parser
from uprlib.pipeline.lab import kernel_config, lab_command, lab_environment


def test_kernels_get_encrypted_transport():
    assert kernel_config().KernelManager.transport_encryption == "auto"
    assert "--MappingKernelManager.transport_encryption=auto" in lab_command()


def test_papermill_kernels_stop_without_the_interrupt_of_a_graceful_shutdown():
    assert kernel_config().NotebookClient.shutdown_kernel == "immediate"


def test_lab_command_serves_the_given_folder_on_the_given_port_with_the_token(tmp_path):
    cmd = lab_command(tmp_path, port=8901, token="abc", open_browser=False,
                      extra=["--allow-root"])
    assert cmd[1:3] == ["-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in cmd
    assert {"--ServerApp.port=8901", "--ServerApp.port_retries=0",
            "--IdentityProvider.token=abc", "--ServerApp.open_browser=False"} <= set(cmd)
    assert cmd[-1] == "--allow-root"


def test_lab_command_defaults_to_the_project_notebooks():
    root_dir = next(a for a in lab_command() if a.startswith("--ServerApp.root_dir="))
    assert Path(root_dir.split("=", 1)[1]).name == "notebooks"


def test_this_environments_kernels_come_first():
    assert lab_environment({"PATH": "/bin"}) == {"PATH": "/bin", "JUPYTER_PREFER_ENV_PATH": "1"}


def test_cli_passes_arguments_after_double_dash_to_jupyterlab():
    args = build_parser().parse_args(["lab", "--no-browser", "--", "--allow-root"])
    assert args.no_browser and args.jupyter_args == ["--", "--allow-root"]
