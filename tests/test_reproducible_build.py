"""The build installs the same versions every time: `requirements.lock` pins every package the
project needs, directly or not, at a version pyproject allows (`.ci/run` installs from it), and
`cchc --version` says which version of ours runs."""

from __future__ import annotations

import subprocess
import tomllib
from importlib.metadata import distribution, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.cli.running import CCHC

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = ("test",)  # the extras `.ci/run` needs


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def locked() -> dict[str, str]:
    """Package name -> the exact version requirements.lock pins."""
    pins: dict[str, str] = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            requirement = Requirement(line)
            (pin,) = requirement.specifier
            assert pin.operator == "==", f"requirements.lock: {line} is not an exact version"
            pins[canonicalize_name(requirement.name)] = pin.version
    return pins


def named_in_pyproject() -> list[Requirement]:
    project = pyproject()["project"]
    texts = [*project["dependencies"], *(text for extra in EXTRAS for text in project["optional-dependencies"][extra])]
    return [Requirement(text) for text in texts]


def needed() -> dict[str, set[str]]:
    """Every package the project needs on this Python and platform, directly or not (from the
    installed packages' own metadata), with the extras asked of it."""
    wanted: dict[str, set[str]] = {}
    todo = named_in_pyproject()
    while todo:
        requirement = todo.pop()
        name, extras = canonicalize_name(requirement.name), set(requirement.extras)
        if name in wanted and extras <= wanted[name]:
            continue
        wanted[name] = wanted.get(name, set()) | extras
        needs = (Requirement(text) for text in distribution(name).requires or [])
        todo += [need for need in needs if applies(need, wanted[name])]
    return wanted


def applies(requirement: Requirement, extras: set[str]) -> bool:
    """Whether `requirement` of a package asked for with `extras` is needed on this platform."""
    marker = requirement.marker
    return marker is None or any(marker.evaluate({"extra": extra}) for extra in ("", *extras))


def test_the_lock_pins_every_dependency_pyproject_names_at_a_version_pyproject_allows():
    pins = locked()
    named = named_in_pyproject()
    missing = [str(r) for r in named if canonicalize_name(r.name) not in pins]
    assert not missing, f"requirements.lock does not pin {missing}: regenerate it (docs/operations.md)"
    refused = [
        f"{r} (locked {pins[canonicalize_name(r.name)]})"
        for r in named
        if pins[canonicalize_name(r.name)] not in r.specifier
    ]
    assert not refused, f"requirements.lock pins versions pyproject does not allow: {refused}"


def test_the_lock_pins_what_the_dependencies_need_in_turn_and_this_environment_runs_those_versions():
    pins = locked()
    unlocked = sorted(set(needed()) - set(pins))
    assert not unlocked, f"requirements.lock lacks {unlocked}: regenerate it (docs/operations.md)"
    differ = {
        name: (pin, distribution(name).version) for name, pin in pins.items() if distribution(name).version != pin
    }
    assert not differ, f"installed versions differ from requirements.lock (locked, installed): {differ}"


def test_holidays_which_runs_inside_workflows_is_pinned_exactly_in_pyproject():
    (holidays,) = [Requirement(r) for r in pyproject()["project"]["dependencies"] if r.startswith("holidays")]
    assert [spec.operator for spec in holidays.specifier] == ["=="]


def test_cchc_version_prints_the_version_pyproject_gives():
    done = subprocess.run([str(CCHC), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"cchc {pyproject()['project']['version']}\n"
    assert version("cchc") == pyproject()["project"]["version"]
