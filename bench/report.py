"""README's benchmark tables and the country's sizing in docs/operations.md, generated from
the results JSON (never typed by hand)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).parents[1]
README = ROOT / "README.md"
OPERATIONS = ROOT / "docs" / "operations.md"
BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"
SIZING_BEGIN = "<!-- sizing:begin -->"
SIZING_END = "<!-- sizing:end -->"
TARGET_RATIO = 0.8
COUNTRY = 3_300  # communes since the 2025 reform


def readme_table(result: dict) -> str:
    """The machine, then the ratios' table (a full or smoke run) and the province's (--province)."""
    parts = [machine_line(result["machine"])] if "machine" in result else []
    if "detail" in result:
        parts.append(ratio_table(result))
    if "province" in result:
        parts.append(province_table(result["province"]))
    return "\n\n".join(parts)


def machine_line(machine: dict) -> str:
    return (
        f"Máy đo (machine): {machine['cpus']} CPU, {machine['processor']}, {machine['platform']}, "
        f"Python {machine['python']}, temporalio {machine['temporalio']}; {machine['ran_at']}."
    )


def ratio_table(result: dict) -> str:
    detail = result["detail"]
    ok = lambda ratio: "✅" if ratio >= TARGET_RATIO else "❌"  # noqa: E731
    pg = result["dashboard_p95_ms"]["postgresql"]
    largest = max(pg, key=int)
    rows = [
        (
            "Nhập kế hoạch (import)",
            f"{detail['import']['tasks']} nhiệm vụ",
            f"{result['import_tasks_per_s']} nhiệm vụ/s",
            "",
        ),
        (
            "Khởi động (start)",
            f"{detail['start']['workflows']} workflow",
            f"{detail['start']['ours_per_s']}/s (bare {detail['start']['bare_per_s']}/s)",
            f"{result['start_ratio']} {ok(result['start_ratio'])}",
        ),
        (
            "Vòng đời (lifecycle)",
            f"{detail['lifecycle']['tasks']} nhiệm vụ × 4 update",
            f"update p99 {result['update_p99_ms']} ms",
            f"{result['lifecycle_ratio']} {ok(result['lifecycle_ratio'])}",
        ),
        (
            "Nhắc việc (timers)",
            f"{detail['timers']['timers']} cùng lúc",
            f"trễ p99 {result['timer_lateness_p99_s']} s",
            f"{result['timer_ratio']} {ok(result['timer_ratio'])}",
        ),
        (
            "Mô phỏng một năm (year)",
            f"{detail['year']['occurrences']} lần đến hạn, {detail['year']['alarms']} nhắc/báo cáo",
            f"{result['year_sim_s']} s",
            f"{result['year_sim_ratio']} {ok(result['year_sim_ratio'])}",
        ),
        (
            "Phát lại lịch sử (replay)",
            f"{detail['replay']['histories']} lịch sử",
            f"{result['replay_per_s']} lịch sử/s",
            f"{result['replay_ratio']} {ok(result['replay_ratio'])}",
        ),
    ]
    for store, sizes in result["dashboard_p95_ms"].items():
        for size, p95 in sizes.items():
            mark = " ✅" if store == "postgresql" and size == largest and p95 < 100 else ""
            rows.append((f"Bảng điều khiển ({store})", f"{int(size):,} lần đến hạn", f"p95 {p95} ms{mark}", ""))
    return table(("Phép đo", "Quy mô", "Kết quả", f"Tỉ lệ so với workflow trần (≥ {TARGET_RATIO})"), rows)


def province_table(province: dict) -> str:
    """A province on one machine (`python -m bench --province`)."""
    quarter, memory, year = province["quarter_end"], province["memory_mb"], province["year"]
    late = quarter["late_s"]
    rows = [
        (
            "Tỉnh: khởi động (start)",
            f"{province['communes']} xã, {province['occurrences']:,} lần đến hạn",
            f"{province['start_s']} s ({province['start_per_s']}/s)",
        ),
        (
            "Tỉnh: bộ nhớ (memory, RSS)",
            "worker; máy chủ Temporal",
            f"{memory['worker']['rss']} MB (đỉnh {memory['worker']['peak']}); "
            f"{memory['server']['rss']} MB (đỉnh {memory['server']['peak']})",
        ),
        (
            "Tỉnh: hạn cuối quý (quarter-end)",
            f"{quarter['deadlines']:,} hạn cùng lúc",
            f"trễ p50 {late['p50']} s, p99 {late['p99']} s",
        ),
        ("Tỉnh: bảng điều khiển (dashboard)", "một xã, PostgreSQL", f"p95 {province['dashboard_ms']['p95_ms']} ms"),
        (
            "Tỉnh: xếp hạng (ranking)",
            f"{province['communes']} xã, PostgreSQL",
            f"p95 {province['ranking_ms']['p95_ms']} ms",
        ),
        (
            "Tỉnh: CPU một năm (year CPU)",
            f"{year['occurrences']} lần đến hạn mô phỏng",
            f"{year['cpu_s_per_1000_occurrence_years']} CPU·s / 1.000 lần đến hạn·năm",
        ),
    ]
    return table(("Một tỉnh trên một máy", "Quy mô", "Kết quả"), rows)


def sizing_table(province: dict) -> str:
    """The province measured, and the country scaled from it linearly (docs/operations.md)."""
    communes, occurrences = province["communes"], province["occurrences"]
    scale = COUNTRY / communes
    quarter, year = province["quarter_end"], province["year"]
    cpu = year["cpu_s_per_1000_occurrence_years"]
    country_occurrences = round(occurrences * scale)
    rows = [
        ("occurrences a year", f"{occurrences:,}", f"{country_occurrences:,}"),
        (
            "CPU a year, nobody acting: every alarm (worker + Temporal + PostgreSQL)",
            f"{cpu * occurrences / 1000 / 3600:,.1f} CPU-hours",
            f"{cpu * country_occurrences / 1000 / 3600:,.0f} CPU-hours",
        ),
        (
            "starting the year's plans, one machine",
            f"{province['start_s'] / 60:,.1f} minutes",
            f"{province['start_s'] * scale / 60:,.0f} minutes",
        ),
        (
            "deadlines at one instant, one machine",
            f"{quarter['deadlines']:,}: p99 late {quarter['late_s']['p99']} s",
            f"{round(quarter['deadlines'] * scale):,}: about {quarter['late_s']['p99'] * scale / 60:,.0f} minutes",
        ),
    ]
    return "\n".join(
        [
            f"Measured by `python -m bench --province` ({province['machine']['cpus']} CPU, "
            f"{province['machine']['ran_at']}; `bench/results/latest.json`), the country scaled linearly:",
            "",
            table(("", f"a province ({communes} communes, measured)", f"the country ({COUNTRY:,} communes)"), rows),
        ]
    )


def table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    lines = [f"| {' | '.join(header)} |", "|" + "---|" * len(header), *(f"| {' | '.join(row)} |" for row in rows)]
    return "\n".join(lines)


def update_docs(result: dict) -> None:
    """README's tables; with a province section, the sizing in docs/operations.md too."""
    replace_between(README, BEGIN, END, readme_table(result))
    if "province" in result:
        replace_between(OPERATIONS, SIZING_BEGIN, SIZING_END, sizing_table(result["province"]))


def replace_between(path: Path, begin: str, end: str, content: str) -> None:
    text = path.read_text(encoding="utf-8")
    start, stop = text.index(begin) + len(begin), text.index(end)
    path.write_text(text[:start] + "\n" + content + "\n" + text[stop:], encoding="utf-8")
