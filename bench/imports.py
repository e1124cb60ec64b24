"""Import: a synthetic plan of the Vĩnh Khê table ×N parsed, validated and stored.

Baseline: `yaml.safe_load` of the same file, the floor any import of it pays.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bench.measure import Stopwatch
from importers import read_plan
from importers.canonical import write_yaml
from persistence.db import make_engine, make_session_factory, migrate
from persistence.plans import save_plan

SAMPLE = Path(__file__).parents[1] / "importers" / "samples" / "vinh-khe-2024-cchc-plan.txt"
ROMAN = (
    ("M", 1000),
    ("CM", 900),
    ("D", 500),
    ("CD", 400),
    ("C", 100),
    ("XC", 90),
    ("L", 50),
    ("XL", 40),
    ("X", 10),
    ("IX", 9),
    ("V", 5),
    ("IV", 4),
    ("I", 1),
)


def roman(number: int) -> str:
    out = []
    for letters, value in ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def synthetic_plan(copies: int, folder: Path) -> Path:
    """The sample plan's sections repeated `copies` times, as canonical YAML."""
    document = yaml.safe_load(write_yaml(read_plan(SAMPLE).plan))
    sections = document["sections"]
    document["sections"] = [
        {**section, "code": roman(copy * len(sections) + i + 1)}
        for copy in range(copies)
        for i, section in enumerate(sections)
    ]
    path = folder / f"vinh-khe-x{copies}.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def bench_import(copies: int, folder: Path) -> dict:
    path = synthetic_plan(copies, folder)
    with Stopwatch() as baseline:
        yaml.safe_load(path.read_text(encoding="utf-8"))
    url = f"sqlite:///{folder / f'import-{copies}.db'}"
    migrate(url)
    engine = make_engine(url)
    try:
        with Stopwatch() as ours:
            plan = read_plan(path).plan
            with make_session_factory(engine).begin() as session:
                save_plan(session, plan, source_file=path.name, source_sha256="0" * 64)
    finally:
        engine.dispose()
    tasks = len(plan.tasks)
    return {
        "tasks": tasks,
        "occurrences": sum(len(task.occurrences) for task in plan.tasks),
        "seconds": round(ours.seconds, 3),
        "tasks_per_s": round(tasks / ours.seconds, 1),
        "yaml_load_s": round(baseline.seconds, 3),
        "import_ratio": round(baseline.seconds / ours.seconds, 3),
    }
