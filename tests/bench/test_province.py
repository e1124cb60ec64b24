"""`python -m bench --province --smoke`: a province of two communes on one dev server, recorded
in a fresh PostgreSQL database by a `cchc worker` process; every figure of the province section
is measured, and the section joins what the results file already holds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import require_postgres

ROOT = Path(__file__).parents[2]
SAMPLE_OCCURRENCES = 76  # the Vĩnh Khê plan's task occurrences
DUE_AT_QUARTER_END = 16  # of them due 08/03/2024


def test_the_province_smoke_benchmark_reports_every_figure_beside_the_results_already_there(tmp_path):
    require_postgres()
    out = tmp_path / "latest.json"
    out.write_text(json.dumps({"start_ratio": 1.2}), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "bench", "--province", "--smoke", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    province = result["province"]
    quarter = province["quarter_end"]

    assert result["start_ratio"] == 1.2  # the ratios' run is kept
    assert province["communes"] == 2
    assert province["started"] == province["occurrences"] == 2 * SAMPLE_OCCURRENCES
    assert quarter["deadlines"] == 2 * DUE_AT_QUARTER_END
    # A workflow started after the instant (a machine slower than its first commune showed)
    # escalates at once and is counted, not measured; the rest were waiting when it came.
    assert 0 <= quarter["started_after_instant"] < quarter["deadlines"]
    assert 0 <= quarter["late_s"]["p50"] <= quarter["late_s"]["p99"] <= quarter["late_s"]["max"]
    for process in ("worker", "server"):
        assert 0 < province["memory_mb"][process]["rss"] <= province["memory_mb"][process]["peak"]
        assert province["cpu_s"][process] > 0
    for reading in ("dashboard_ms", "ranking_ms"):
        assert 0 < province[reading]["p50_ms"] <= province[reading]["p95_ms"]
    year = province["year"]
    assert year["occurrences"] == 2 and year["alarms"] > year["occurrences"]
    assert year["cpu_s"]["worker"] > 0 and year["cpu_s_per_1000_occurrence_years"] > 0
    assert "| Tỉnh: khởi động (start) | 2 xã, 152 lần đến hạn |" in run.stdout  # the province's table, printed
