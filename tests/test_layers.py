"""The layers, read from the source: which of our packages may import which.

Every .py file of our packages is parsed with `ast`, never imported, and each of its imports
(at the top of the file or inside a function) is checked; a failure names the file, the line
and the import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "domain",
    "workflows",
    "activities",
    "notifications",
    "persistence",
    "importers",
    "evidence",
    "services",
    "web",
    "cli",
    "demo",
    "bench",
    "observability",
)
MODULES = ("worker", "config", "devserver", "temporal_client")
OURS = frozenset(PACKAGES + MODULES)


def imported(source: str, package: str) -> Iterator[tuple[int, str]]:
    """(line, module) of every import in `source`, a module of `package` (for relative imports)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                yield node.lineno, package
            else:
                assert node.module is not None, "an absolute `from` import names its module"
                yield node.lineno, node.module


def forbidden_imports(importer: str, forbidden: frozenset[str]) -> list[str]:
    """ "file:line imports module" for each import of a `forbidden` top-level name by `importer`'s files."""
    found = []
    for path in sorted((ROOT / importer).rglob("*.py")):
        for line, module in imported(path.read_text(encoding="utf-8"), importer):
            if module.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return found


def test_every_package_has_python_files_to_read():
    assert [package for package in PACKAGES if not any((ROOT / package).rglob("*.py"))] == []


def test_an_import_inside_a_function_counts_and_a_relative_one_stays_in_its_package():
    source = "import json\n\ndef late():\n    from web.app import create_app\n\nfrom . import sibling\n"
    assert sorted(imported(source, "cli")) == [(1, "json"), (4, "web.app"), (6, "cli")]


def test_the_domain_imports_nothing_of_ours_but_the_domain():
    assert forbidden_imports("domain", OURS - {"domain"}) == []


def test_workflows_import_no_persistence_notifications_evidence_services_web_or_cli():
    forbidden = frozenset({"persistence", "notifications", "evidence", "services", "web", "cli"})
    assert forbidden_imports("workflows", forbidden) == []


def test_persistence_notifications_evidence_and_services_import_neither_the_web_nor_the_cli():
    found = [
        line
        for package in ("persistence", "notifications", "evidence", "services")
        for line in forbidden_imports(package, frozenset({"web", "cli"}))
    ]
    assert found == []


def test_the_web_never_imports_the_cli_and_the_cli_never_imports_the_web():
    assert forbidden_imports("web", frozenset({"cli"})) + forbidden_imports("cli", frozenset({"web"})) == []


def test_evidence_imports_neither_activities_nor_the_worker():
    assert forbidden_imports("evidence", frozenset({"activities", "worker"})) == []


def test_observability_imports_neither_the_web_nor_the_cli():
    assert forbidden_imports("observability", frozenset({"web", "cli"})) == []
