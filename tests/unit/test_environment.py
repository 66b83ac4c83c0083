"""environment.yml (conda, Binder) and pyproject.toml (pip) list the same dependencies.

Both lists are parsed and compared by normalised name and version specifier; the differences
documented at the top of environment.yml are the only ones allowed: python, pip and quarto
are conda-only, the Python version is pyproject's ``requires-python``, and the project itself
is installed by pip (``-e .``).
"""

from __future__ import annotations

import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

from uprlib.workspace.paths import project_root

CONDA_ONLY = {"python", "pip", "quarto"}


def _specs(lines: list[str]) -> dict[str, SpecifierSet]:
    out: dict[str, SpecifierSet] = {}
    for line in lines:
        req = Requirement(line)
        name = canonicalize_name(req.name)
        assert name not in out, f"{name} listed twice"
        out[name] = req.specifier
    return out


def _pyproject() -> dict:
    return tomllib.loads((project_root() / "pyproject.toml").read_text())["project"]


def _environment() -> tuple[list[str], list[str]]:
    env = yaml.safe_load((project_root() / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    pip = [line for d in env["dependencies"] if isinstance(d, dict) for line in d["pip"]]
    return conda, pip


def _differences(project: dict, conda: list[str], pip: list[str]) -> list[str]:
    """What differs between pyproject's dependencies (all extras) and environment.yml's."""
    wanted = _specs(project["dependencies"] + [
        dep for extra in project.get("optional-dependencies", {}).values() for dep in extra])
    conda_specs = _specs([d for d in conda if Requirement(d).name not in CONDA_ONLY])
    pip_specs = _specs([line for line in pip if line != "-e ."])
    found = {**conda_specs, **pip_specs}
    diff = [f"{n}: listed for conda and for pip" for n in set(conda_specs) & set(pip_specs)]
    diff += [f"{n}: pyproject {wanted.get(n, 'absent')!s}, environment.yml "
             f"{found.get(n, 'absent')!s}"
             for n in sorted(set(wanted) | set(found)) if wanted.get(n) != found.get(n)]
    if "-e ." not in pip:
        diff.append("the project itself is not installed (pip: -e .)")
    return diff


def test_environment_lists_exactly_pyprojects_dependencies():
    assert _differences(_pyproject(), *_environment()) == []


def test_drift_is_caught():
    project, (conda, pip) = _pyproject(), _environment()
    bumped = [d.replace(">=2.2", ">=2.3") if d.startswith("pandas") else d for d in conda]
    assert _differences(project, bumped, pip) == ["pandas: pyproject >=2.2, environment.yml >=2.3"]
    assert _differences(project, [d for d in conda if not d.startswith("ruff")], pip) == [
        "ruff: pyproject >=0.5, environment.yml absent"]
    assert _differences(project, conda, [*pip, "requests>=2"]) == [
        "requests: pyproject absent, environment.yml >=2"]
    assert _differences(project, conda, [*pip, "ruff>=0.5"]) == [
        "ruff: listed for conda and for pip"]
    assert _differences(project, conda, [p for p in pip if p != "-e ."]) == [
        "the project itself is not installed (pip: -e .)"]


def test_environment_python_is_pyprojects():
    conda, _ = _environment()
    python = [Requirement(d) for d in conda if Requirement(d).name == "python"]
    assert len(python) == 1
    assert python[0].specifier == SpecifierSet(_pyproject()["requires-python"])
