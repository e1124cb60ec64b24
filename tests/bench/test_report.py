"""README's tables and the country's sizing are generated from the results JSON."""

from __future__ import annotations

from bench.report import readme_table, sizing_table

MACHINE = {"cpus": 2, "processor": "x86_64", "platform": "Linux", "python": "3.11", "temporalio": "1.35.0"}
PROVINCE = {
    "machine": {**MACHINE, "ran_at": "2026-12-05T10:00:00+07:00"},
    "communes": 100,
    "occurrences": 7600,
    "started": 7600,
    "start_s": 600.0,
    "start_per_s": 12.7,
    "memory_mb": {"worker": {"rss": 400.0, "peak": 450.0}, "server": {"rss": 300.0, "peak": 320.0}},
    "quarter_end": {"deadlines": 1600, "late_s": {"p50": 10.0, "p99": 60.0, "max": 61.0}},
    "dashboard_ms": {"p50_ms": 20.0, "p95_ms": 30.0, "p99_ms": 40.0},
    "ranking_ms": {"p50_ms": 200.0, "p95_ms": 300.0, "p99_ms": 400.0},
    "year": {"occurrences": 152, "cpu_s_per_1000_occurrence_years": 1000.0},
}


def test_a_province_run_alone_prints_the_province_table_and_no_ratios():
    table = readme_table({"province": PROVINCE})

    assert "| Tỉnh: hạn cuối quý (quarter-end) | 1,600 hạn cùng lúc | trễ p50 10.0 s, p99 60.0 s |" in table
    assert "| Tỉnh: xếp hạng (ranking) | 100 xã, PostgreSQL | p95 300.0 ms |" in table
    assert "Tỉ lệ so với workflow trần" not in table


def test_the_country_is_sized_from_the_province_cpu_per_occurrence_year():
    sizing = sizing_table(PROVINCE)

    # 1,000 CPU seconds per 1,000 occurrence-years: 7,600 → 7,600 s; 3,300 communes → 250,800 s.
    assert (
        "| CPU a year, nobody acting: every alarm (worker + Temporal + PostgreSQL) | 2.1 CPU-hours | 70 CPU-hours |"
        in sizing
    )
    assert "| deadlines at one instant, one machine | 1,600: p99 late 60.0 s | 52,800: about 33 minutes |" in sizing
    assert "2026-12-05" in sizing
