"""README's benchmark table, generated from the results JSON (never typed by hand)."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).parents[1] / "README.md"
BEGIN = "<!-- bench:begin -->"
END = "<!-- bench:end -->"
TARGET_RATIO = 0.7


def readme_table(result: dict) -> str:
    machine = result["machine"]
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
    lines = [
        f"Máy đo (machine): {machine['cpus']} CPU, {machine['processor']}, {machine['platform']}, Python {machine['python']}, "
        f"temporalio {machine['temporalio']}; {machine['ran_at']}.",
        "",
        "| Phép đo | Quy mô | Kết quả | Tỉ lệ so với workflow trần (≥ 0.7) |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
    ]
    return "\n".join(lines)


def update_readme(result: dict) -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    README.write_text(text[:start] + "\n" + readme_table(result) + "\n" + text[end:], encoding="utf-8")
