"""The deployment files in deploy/ cannot rot: the systemd units and the compose file run
commands and options our CLI has, name only settings config.py has, give a stopping service
longer than its graceful shutdown, and register exactly our search attributes; the environment
file example names every setting, each example value is one the settings accept, and each
commented-out default is the real default."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from cli.app import app
from config import Settings
from workflows.search import ALL_KEYS, type_name

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
ENV_EXAMPLE = DEPLOY / "cchc.env.example"
COMPOSE = DEPLOY / "compose.yaml"
# Settings the example leaves out, and why.
NOT_FOR_OPERATORS = {"timezone": "read by nothing: the product runs on Asia/Ho_Chi_Minh by law"}
SETTING = re.compile(r"\bCCHC_([A-Z0-9_]+)")
EXAMPLE_LINE = re.compile(r"^#?CCHC_([A-Z0-9_]+)=(.*)$")
DEFAULT_GRACE = Settings.model_fields["graceful_shutdown_seconds"].default


def cli_command(argv: list[str]) -> Any:
    """The command `cchc argv...` runs (typer's own click), after checking that each of its
    options exists."""
    command: Any = typer.main.get_command(app)
    words = list(argv)
    while hasattr(command, "commands"):  # a group: the next word names one of its commands
        name = words.pop(0)
        assert name in command.commands, f"`cchc {' '.join(argv)}`: cchc has no command {name!r}"
        command = command.commands[name]
    options = {opt for param in command.params for opt in param.opts}
    unknown = [word for word in words if word.startswith("-") and word not in options]
    assert not unknown, f"`cchc {' '.join(argv)}`: {command.name} has no option {unknown}"
    return command


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # systemd keys are case-sensitive
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def seconds(duration: str) -> float:
    """A systemd or compose duration ("60", "60s", "1m30s") in seconds."""
    units = {"": 1, "s": 1, "m": 60, "h": 3600}
    parts = re.findall(r"(\d+(?:\.\d+)?)([smh]?)", duration)
    assert parts and "".join(n + u for n, u in parts) == duration.replace(" ", ""), duration
    return sum(float(number) * units[unit] for number, unit in parts)


def example_settings() -> dict[str, str]:
    """Every setting the environment file example shows (commented out or not) -> its value."""
    found = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        if match := EXAMPLE_LINE.match(line):
            name, value = match.group(1).lower(), match.group(2)
            found[name] = value[1:-1] if value[:1] == value[-1:] == '"' else value
    return found


def test_the_systemd_units_run_the_worker_the_web_and_the_scheduler_with_commands_our_cli_has():
    commands = []
    for path in UNITS:
        service = unit(path)["Service"]
        program, *argv = shlex.split(service["ExecStart"].replace("%i", "8000"))
        assert Path(program).name == "cchc", path.name
        commands.append(cli_command(argv).name)
        assert service["EnvironmentFile"] == "/etc/cchc/cchc.env", path.name
        assert service["KillMode"] == "mixed", f"{path.name}: SIGTERM reaches the cchc process"
        assert seconds(service["TimeoutStopSec"]) > DEFAULT_GRACE, f"{path.name}: systemd waits out the drain"
    assert sorted(commands) == ["scheduler", "web", "worker"]


def test_the_environment_example_names_every_setting_and_no_other():
    shown = set(example_settings())
    fields = set(Settings.model_fields) - set(NOT_FOR_OPERATORS)
    assert sorted(shown - set(Settings.model_fields)) == [], "the example names settings config.py lacks"
    assert sorted(fields - shown) == [], "settings the example does not show: add them to deploy/cchc.env.example"


def test_every_value_in_the_environment_example_is_accepted_and_each_commented_default_is_the_real_one():
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    commented = {m.group(1).lower() for line in lines if line.startswith("#") and (m := EXAMPLE_LINE.match(line))}
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    for name, value in example_settings().items():
        if not value:
            continue
        setting = Settings(_env_file=None, **{name: value})  # refuses a value of the wrong shape
        if name in commented and Settings.model_fields[name].default is not None:
            assert getattr(setting, name) == getattr(defaults, name), f"CCHC_{name.upper()}={value} is not the default"


@pytest.mark.parametrize("path", [*UNITS, ENV_EXAMPLE, COMPOSE, DEPLOY / "Dockerfile", ROOT / "docs" / "operations.md"])
def test_the_deployment_files_and_their_guide_name_only_settings_that_exist(path):
    names = {match.lower() for match in SETTING.findall(path.read_text(encoding="utf-8"))}
    fields = set(Settings.model_fields)
    unknown = [
        name
        for name in names
        if name not in fields and not (name.endswith("_") and any(f.startswith(name) for f in fields))
    ]
    assert unknown == [], f"{path.name} names settings config.py lacks"


def test_the_compose_file_runs_our_commands_beside_a_temporal_server_on_postgresql():
    services = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]
    ours = {name: service for name, service in services.items() if service.get("image") == "cchc"}
    assert (DEPLOY / ours["worker"]["build"]["context"] / ours["worker"]["build"]["dockerfile"]).is_file()
    commands = sorted(cli_command(service["command"]).name for service in ours.values() if "entrypoint" not in service)
    assert commands == ["scheduler", "web", "worker"]
    for name, service in ours.items():
        assert seconds(service["stop_grace_period"]) > float(
            service["environment"].get("CCHC_GRACEFUL_SHUTDOWN_SECONDS", DEFAULT_GRACE)
        ), f"{name}: docker waits out the drain"
    temporal = services["temporal"]
    assert temporal["image"].startswith("temporalio/auto-setup:")
    assert temporal["environment"]["DB"] == "postgres12"
    assert services[temporal["environment"]["POSTGRES_SEEDS"]]["image"].startswith("postgres:")
    assert ours["worker"]["environment"]["CCHC_DATABASE_URL"].startswith("postgresql+psycopg://")


def test_the_compose_setup_registers_exactly_our_search_attributes_with_their_types():
    setup = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"]["temporal-setup"]
    script = " ".join(setup["command"])
    registered = {
        (name, kind)
        for line in script.splitlines()
        if "search-attribute create" in line
        for kind in re.findall(r"--type (\w+)", line)
        for name in re.findall(r"--name (\w+)", line)
    }
    assert registered == {(key.name, type_name(key)) for key in ALL_KEYS}


def test_the_image_installs_the_run_time_lock_then_the_product_without_other_packages():
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "pip install -r /opt/cchc/requirements.lock" in dockerfile
    assert "pip install --no-deps " in dockerfile
    assert dockerfile.index("requirements.lock") < dockerfile.index("--no-deps")
