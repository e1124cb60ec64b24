"""Helpers for the audit and evidence tests on a demo's data directory: the commands as a
user runs them there, the package they export, and what the script says should be in it."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner, Result

from cli import audit, evidence
from config import get_settings
from demo.mail import SAMPLE_PEOPLE
from demo.script import Fate, Script
from domain.people import PersonRole
from evidence.year_end import Group
from importers.people import read_people
from workflows.contracts import EvidenceSubmission, ReviewDecision

APPS = {"audit": audit.app, "evidence": evidence.app}
# Who signs the sample commune's documents in the demo: the chairman of its sample directory.
SAMPLE_CHAIRMAN = next(person.name for person in read_people(SAMPLE_PEOPLE) if PersonRole.CHAIRMAN in person.roles)
APPROVED_FATES = {Fate.ON_TIME, Fate.LATE, Fate.REWORK, Fate.EXTENDED}


def command_in(data_dir: Path) -> Callable[..., Result]:
    """`cchc audit ...` / `cchc evidence ...` on the data directory `data_dir` (its SQLite database)."""

    def run(group: str, *args) -> Result:
        get_settings.cache_clear()
        environment = {"CCHC_DATA_DIR": str(data_dir), "CCHC_DATABASE_URL": None, "COLUMNS": "250"}  # no wrapped words
        return CliRunner().invoke(APPS[group], [str(arg) for arg in args], env=environment)

    return run


def approved_documents(script: Script) -> dict[tuple[str, str], list[str]]:
    """(task code, occurrence key) -> sha256 of the documents the office approved, per the script:
    every submission after the last return, for the occurrences whose fate ends in approval."""
    approved: dict[tuple[str, str], list[str]] = {}
    for step in script.steps:
        key = (step.task_code, step.occurrence_key)
        if script.fates[key] not in APPROVED_FATES:
            continue
        if isinstance(step.request, EvidenceSubmission):
            approved.setdefault(key, []).append(step.request.sha256)
        elif isinstance(step.request, ReviewDecision) and not step.request.approve:
            approved[key] = []
    return approved


def expected_files(script: Script, groups: dict[str, tuple[Group, ...]]) -> set[tuple[str, str]]:
    """(folder, sha256) of every approved document; `groups` gives each task code's groups."""
    return {
        (group.folder, sha)
        for (code, _), shas in approved_documents(script).items()
        for sha in shas
        for group in groups[code]
    }


def evidence_files(package: bytes) -> list[tuple[str, str]]:
    """(folder, sha256 of the content) of every evidence file in the ZIP `package`."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return [
            (name.split("/")[0], hashlib.sha256(archive.read(name)).hexdigest())
            for name in archive.namelist()
            if name.startswith(("tieu-chi-", "muc-"))
        ]


def manifest_matches_files(package: bytes) -> bool:
    """The manifest names every other file of the package, each with its SHA-256."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        files = json.loads(archive.read("manifest.json"))["files"]
        contents = {name: hashlib.sha256(archive.read(name)).hexdigest() for name in archive.namelist()}
    del contents["manifest.json"]
    return files == contents
