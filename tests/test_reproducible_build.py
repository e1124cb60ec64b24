"""The build installs the same versions every time. `requirements-test.lock` (which `.ci/run`
installs) pins every package the product and its tests need, directly or not, at a version
pyproject allows; `requirements.lock` (which deploy/Dockerfile installs) pins what the product
needs to run, at the same versions. `cchc --version` says which version of ours runs."""

from __future__ import annotations

import subprocess
import tomllib
from importlib.metadata import distribution, version
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.cli.running import CCHC

ROOT = Path(__file__).resolve().parents[1]
# Each lock file, with the extras of ours it holds.
LOCKS = {"requirements-test.lock": ("test",), "requirements.lock": ()}


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def locked(lock: str) -> dict[str, str]:
    """Package name -> the exact version `lock` pins."""
    pins: dict[str, str] = {}
    for line in (ROOT / lock).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith((" ", "#")):
            requirement = Requirement(line)
            (pin,) = requirement.specifier
            assert pin.operator == "==", f"{lock}: {line} is not an exact version"
            pins[canonicalize_name(requirement.name)] = pin.version
    return pins


def named_in_pyproject(extras: tuple[str, ...]) -> list[Requirement]:
    project = pyproject()["project"]
    texts = [*project["dependencies"], *(text for extra in extras for text in project["optional-dependencies"][extra])]
    return [Requirement(text) for text in texts]


def needed(extras: tuple[str, ...]) -> dict[str, set[str]]:
    """Every package the project with `extras` needs on this Python and platform, directly or
    not (from the installed packages' own metadata), with the extras asked of each."""
    wanted: dict[str, set[str]] = {}
    todo = named_in_pyproject(extras)
    while todo:
        requirement = todo.pop()
        name, asked = canonicalize_name(requirement.name), set(requirement.extras)
        if name in wanted and asked <= wanted[name]:
            continue
        wanted[name] = wanted.get(name, set()) | asked
        needs = (Requirement(text) for text in distribution(name).requires or [])
        todo += [need for need in needs if applies(need, wanted[name])]
    return wanted


def applies(requirement: Requirement, extras: set[str]) -> bool:
    """Whether `requirement` of a package asked for with `extras` is needed on this platform."""
    marker = requirement.marker
    return marker is None or any(marker.evaluate({"extra": extra}) for extra in ("", *extras))


@pytest.mark.parametrize("lock", LOCKS)
def test_each_lock_pins_every_dependency_pyproject_names_at_a_version_pyproject_allows(lock):
    pins = locked(lock)
    named = named_in_pyproject(LOCKS[lock])
    missing = [str(r) for r in named if canonicalize_name(r.name) not in pins]
    assert not missing, f"{lock} does not pin {missing}: run .ci/lock"
    refused = [
        f"{r} (locked {pins[canonicalize_name(r.name)]})"
        for r in named
        if pins[canonicalize_name(r.name)] not in r.specifier
    ]
    assert not refused, f"{lock} pins versions pyproject does not allow: {refused}: run .ci/lock"


@pytest.mark.parametrize("lock", LOCKS)
def test_each_lock_pins_what_the_dependencies_need_in_turn_and_nothing_else(lock):
    pins = locked(lock)
    wanted = needed(LOCKS[lock])
    assert sorted(set(wanted) - set(pins)) == [], f"{lock} lacks these: run .ci/lock"
    assert sorted(set(pins) - set(wanted)) == [], f"{lock} pins what nothing needs: run .ci/lock"


def test_the_run_time_lock_pins_the_versions_the_tests_run_and_this_environment_has_them():
    tested, run_time = locked("requirements-test.lock"), locked("requirements.lock")
    assert {name: tested.get(name) for name in run_time} == run_time
    installed = {name: distribution(name).version for name in tested}
    assert installed == tested, "this environment differs from requirements-test.lock: install it (.ci/run)"


def test_holidays_which_runs_inside_workflows_is_pinned_exactly_in_pyproject():
    (holidays,) = [Requirement(r) for r in pyproject()["project"]["dependencies"] if r.startswith("holidays")]
    assert [spec.operator for spec in holidays.specifier] == ["=="]


def test_cchc_version_prints_the_version_pyproject_gives():
    done = subprocess.run([str(CCHC), "--version"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"cchc {pyproject()['project']['version']}\n"
    assert version("cchc") == pyproject()["project"]["version"]
