"""`python -m bench [--smoke] [--province] [--out FILE] [--readme]`: run every benchmark (or,
with --province, the province on one machine, written as the `province` section of the same
file), write the JSON, print the table (README's, between its `bench` markers, with --readme)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import tempfile
import time
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

from bench import province
from bench.dashboard import bench_dashboard
from bench.imports import SAMPLE, bench_import
from bench.report import readme_table, update_docs
from bench.temporal_runs import bench_lifecycle, bench_start, bench_timers, dev_server
from bench.year import bench_year
from domain.calendar import TZ
from importers import read_plan

RESULTS = Path(__file__).parent / "results"
FULL = {
    "copies": 100,
    "dashboard": (100_000, 1_000_000),
    "requests": 60,
    "start": 1_000,
    "lifecycle": 300,
    "timers": 1_000,
    "communes": 4,
    "year_tasks": None,
}
SMOKE = {
    "copies": 1,
    "dashboard": (3_000,),
    "requests": 10,
    "start": 20,
    "lifecycle": 10,
    "timers": 10,
    "communes": 1,
    "year_tasks": 2,
}


def machine() -> dict:
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "temporalio": version("temporalio"),
        "ran_at": datetime.now(TZ).isoformat(timespec="seconds"),
    }


def progress(name: str, began: float) -> None:
    print(f"bench: {name} done at {time.perf_counter() - began:.0f} s", file=sys.stderr, flush=True)


async def run(sizes: dict, folder: Path) -> dict:
    began = time.perf_counter()
    plan = read_plan(SAMPLE).plan
    result: dict = {"machine": machine(), "smoke": sizes is SMOKE}
    result["import"] = bench_import(sizes["copies"], folder)
    progress("import", began)
    result["dashboard"] = {store: {} for store in ("sqlite", "postgresql")}
    for store, by_size in result["dashboard"].items():
        for n in sizes["dashboard"]:
            by_size[str(n)] = bench_dashboard(store, n, sizes["requests"], folder)
            progress(f"dashboard {store} {n}", began)
    async with dev_server(folder) as server:
        result["start"] = await bench_start(server, plan, sizes["start"])
        progress("start", began)
        result["lifecycle"] = await bench_lifecycle(server, plan, sizes["lifecycle"])
        progress("lifecycle", began)
        start_per_s = min(result["start"]["ours_per_s"], result["start"]["bare_per_s"])
        result["timers"] = await bench_timers(server, plan, sizes["timers"], start_per_s)
        progress("timers", began)
    year_plan = (
        plan if sizes["year_tasks"] is None else plan.model_copy(update={"tasks": plan.tasks[: sizes["year_tasks"]]})
    )
    result.update(await bench_year(year_plan, sizes["communes"], folder))
    progress("year and replay", began)
    result["total_s"] = round(time.perf_counter() - began, 1)
    return headline(result)


def headline(result: dict) -> dict:
    """The keys the issue names, next to the detail they come from."""
    return {
        "machine": result["machine"],
        "start_ratio": result["start"]["start_ratio"],
        "lifecycle_ratio": result["lifecycle"]["lifecycle_ratio"],
        "update_p99_ms": result["lifecycle"]["update_ms"]["p99_ms"],
        "timer_lateness_p99_s": result["timers"]["ours_s"]["p99"],
        "timer_ratio": result["timers"]["timer_ratio"],
        "dashboard_p95_ms": {
            store: {size: sizes["dashboard"]["p95_ms"] for size, sizes in by_size.items()}
            for store, by_size in result["dashboard"].items()
        },
        "year_sim_s": result["year"]["year_sim_s"],
        "year_sim_ratio": result["year"]["year_sim_ratio"],
        "replay_per_s": result["replay"]["replay_per_s"],
        "replay_ratio": result["replay"]["replay_ratio"],
        "import_tasks_per_s": result["import"]["tasks_per_s"],
        "detail": {key: value for key, value in result.items() if key != "machine"},
    }


async def run_province(smoke: bool, folder: Path) -> dict:
    began = time.perf_counter()
    sizes = province.SMOKE if smoke else province.FULL
    result = await province.bench_province(read_plan(SAMPLE).plan, sizes, folder)
    progress("province", began)
    return {"machine": machine(), "smoke": smoke, **result, "total_s": round(time.perf_counter() - began, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, seconds: the CI run")
    parser.add_argument("--province", action="store_true", help="only the province on one machine (PostgreSQL)")
    parser.add_argument("--out", type=Path, help="the JSON file (default: bench/results/latest.json, smoke.json)")
    parser.add_argument("--readme", action="store_true", help="rewrite README's and operations' tables from the JSON")
    args = parser.parse_args()
    out = args.out or RESULTS / ("smoke.json" if args.smoke else "latest.json")
    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as folder:
        if args.province:
            result = json.loads(out.read_text(encoding="utf-8")) if out.exists() else {}
            result["province"] = asyncio.run(run_province(args.smoke, Path(folder)))
        else:
            kept = json.loads(out.read_text(encoding="utf-8")).get("province") if out.exists() else None
            result = asyncio.run(run(SMOKE if args.smoke else FULL, Path(folder)))
            if kept:
                result["province"] = kept
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(readme_table(result))
    if args.readme:
        update_docs(result)


if __name__ == "__main__":
    main()
