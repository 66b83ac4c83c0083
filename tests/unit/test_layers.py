"""The package's stages import only downwards, and ``import uprlib`` stays light.

Every ``import`` in ``src/uprlib`` (also those inside functions) is resolved to the module it
names; a module may import from its own stage or a lower one, never from a higher one.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import uprlib

PACKAGE = Path(uprlib.__file__).parent

# lowest first; a module's stage is its first-level name under uprlib
STAGES: list[set[str]] = [
    {"errors"},
    {"workspace", "package_data"},
    {"extract"},
    {"transform"},
    {"load"},
    {"output"},
    {"audit"},
    {"analysis"},
    {"paper", "site"},
    {"pipeline"},
    {"cli", "__main__", "__init__"},
]
RANK = {name: i for i, names in enumerate(STAGES) for name in names}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module) of every uprlib import in a file."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "uprlib"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.split(".")[0] != "uprlib":
                continue
            if node.module is None or target == "uprlib":  # from . import a, b
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, target))
    return found


def _stage_of_import(target: str) -> str:
    stage = _stage(target)
    # `from uprlib import __version__` is package metadata, not a stage
    return "errors" if stage == "__version__" else stage


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_stage():
    unknown = {_stage(_module_name(p)) for p in SOURCES} - set(RANK)
    assert not unknown, f"modules outside the declared stages: {sorted(unknown)}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_only_go_down(path):
    here = _stage(_module_name(path))
    upward = [f"line {line}: {target} ({_stage_of_import(target)})"
              for line, target in _imports(path)
              if RANK[_stage_of_import(target)] > RANK[here]]
    assert not upward, f"{path.name} ({here}) imports a higher stage: " + "; ".join(upward)


def test_layer_check_catches_an_upward_import(tmp_path, monkeypatch):
    """The check itself: a module of a low stage importing a high one is reported."""


    imports = _imports.__wrapped__ if hasattr(_imports, "__wrapped__") else _imports
    source = "from uprlib.paper import render\nfrom ..analysis import show\n"
    probe = tmp_path / "uprlib" / "workspace" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(source)
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", tmp_path / "uprlib")
    found = imports(probe)
    assert [_stage_of_import(t) for _, t in found] == ["paper", "analysis"]
    assert all(RANK[_stage_of_import(t)] > RANK["workspace"] for _, t in found)


def test_import_uprlib_is_light():
    """``import uprlib`` loads no data library; the public names still resolve."""
    code = ("import sys, uprlib; heavy = [m for m in ('pandas', 'pooch', 'docx', 'pandera', "
            "'matplotlib') if m in sys.modules]; print(','.join(heavy)); "
            "assert callable(uprlib.load_recommendations)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == ""
