"""`python -m bench --smoke`, the benchmarks at tiny sizes: every figure README's table shows is
measured, and each is a sane number (the full run's numbers come from `python -m bench`)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]
RATIOS = ("start_ratio", "lifecycle_ratio", "timer_ratio", "year_sim_ratio", "replay_ratio")


def test_the_smoke_benchmark_measures_every_figure_against_its_bare_baseline(tmp_path):
    out = tmp_path / "smoke.json"
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    detail = result["detail"]

    assert {"cpus", "platform", "python", "temporalio"} <= set(result["machine"])
    for ratio in RATIOS:
        assert 0 < result[ratio] < 100, ratio
    assert detail["import"]["tasks"] == 28 and result["import_tasks_per_s"] > 0
    rounds = detail["start"]["rounds"]
    assert rounds == detail["lifecycle"]["rounds"] == detail["timers"]["rounds"] >= 2  # each side measured in turns
    assert detail["start"]["started"] == {"ours": 20 * rounds, "bare": 20 * rounds}
    assert detail["timers"]["fired"] == {"ours": 10 * rounds, "bare": 10 * rounds}  # every reminder fired, both sides
    assert 0 <= detail["timers"]["ours_s"]["p50"] <= result["timer_lateness_p99_s"] <= detail["timers"]["ours_s"]["max"]
    assert detail["lifecycle"]["updates"] == 40
    assert detail["lifecycle"]["update_ms"]["p50_ms"] <= result["update_p99_ms"]
    assert detail["year"]["alarms"] > detail["year"]["occurrences"] == 2
    assert detail["replay"]["histories"] == 2
    for store in ("sqlite", "postgresql"):
        timings = detail["dashboard"][store]["3000"]
        assert 0 < timings["dashboard"]["p50_ms"] <= result["dashboard_p95_ms"][store]["3000"]
    assert "| Khởi động (start) | 20 workflow |" in run.stdout  # README's table, printed
