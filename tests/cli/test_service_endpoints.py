"""What an operator's Prometheus and orchestrator see of a running `cchc up` on PostgreSQL (a
server of the test's own, `tests/throwaway_postgres.py`), and of a `cchc worker` beside it:
Temporal's metrics and ours on one endpoint; /healthz and /readyz answering 200 while all is up,
/readyz 503 naming the database while PostgreSQL is stopped, 200 again once it is back."""

from __future__ import annotations

import re
import time

import httpx

from tests.cli.running import SAMPLE, cchc, environment, own_ports, start_up, stop_up
from tests.throwaway_postgres import throwaway_postgres

ASSIGNMENTS = 76  # the sample plan's occurrences: each records its assignment once


def metric(text: str, name: str, **labels: str) -> float | None:
    """The value of the series `name` with `labels` in a Prometheus text exposition, if any."""
    for line in text.splitlines():
        match = re.fullmatch(rf"{re.escape(name)}\{{(.*)\}} (\S+)", line)
        if match and all(f'{key}="{value}"' in match.group(1) for key, value in labels.items()):
            return float(match.group(2))
    return None


def scrape_until(address: str, name: str, wanted: float, **labels: str) -> str:
    """The metrics page once `name{labels}` reads `wanted` (within a minute)."""
    deadline = time.monotonic() + 60
    while True:
        page = httpx.get(f"http://{address}/metrics").text
        if metric(page, name, **labels) == wanted or time.monotonic() > deadline:
            return page
        time.sleep(0.5)


def checks(answer: httpx.Response) -> dict[str, bool]:
    return {check["name"]: check["ok"] for check in answer.json()["checks"]}


def test_cchc_up_serves_temporals_metrics_and_ours_and_is_ready_only_while_postgresql_answers(tmp_path):
    with throwaway_postgres() as postgres:
        env = environment(tmp_path / "data") | {"CCHC_DATABASE_URL": postgres.url, "CCHC_METRICS_SAMPLE_SECONDS": "1"}
        web, metrics = f"http://127.0.0.1:{env['CCHC_WEB_PORT']}", env["CCHC_METRICS_ADDRESS"]
        up = start_up(env, tmp_path / "up.log")
        worker_env = env | own_ports()
        worker = start_up(worker_env, tmp_path / "worker.log", command="worker")
        worker_health = f"http://{worker_env['CCHC_WORKER_HEALTH_ADDRESS']}"
        try:
            assert cchc(env, "plan", "import", str(SAMPLE)).returncode == 0
            started = cchc(env, "plan", "start", "10/KH-UBND", "--include-past-due")
            assert started.returncode == 0, started.stderr

            page = scrape_until(metrics, "cchc_overdue_occurrences", ASSIGNMENTS, commune="Vĩnh Khê")
            assert metric(page, "cchc_overdue_occurrences", commune="Vĩnh Khê") == ASSIGNMENTS  # a 2024 plan, all late
            assert {"temporal_request", "temporal_num_pollers", "temporal_worker_task_slots_available"} <= {
                line.split("{")[0] for line in page.splitlines() if line.startswith("temporal_")
            }
            for ours in ("cchc_emails_waiting", "cchc_outbox_oldest_age_seconds", "cchc_emails_sent_total"):
                assert metric(page, ours) is not None, ours
            # Both workers record: the two endpoints' assignments add up to the occurrences, each once.
            deadline = time.monotonic() + 60
            while True:
                recorded = [
                    metric(httpx.get(f"http://{address}/metrics").text, "cchc_events_recorded_total", kind="assign")
                    or 0
                    for address in (metrics, worker_env["CCHC_METRICS_ADDRESS"])
                ]
                if sum(recorded) == ASSIGNMENTS or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            assert sum(recorded) == ASSIGNMENTS

            for base in (web, worker_health):
                assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
                ready = httpx.get(f"{base}/readyz")
                assert ready.status_code == 200 and checks(ready) == {
                    "database": True,
                    "temporal": True,
                    "worker": True,
                }

            postgres.stop()
            for base in (web, worker_health):
                assert httpx.get(f"{base}/healthz").status_code == 200  # the process still answers
                ready = httpx.get(f"{base}/readyz")
                assert ready.status_code == 503
                assert checks(ready) == {"database": False, "temporal": True, "worker": True}

            postgres.start()
            for base in (web, worker_health):
                assert httpx.get(f"{base}/readyz").status_code == 200
        finally:
            assert stop_up(worker) == 0
            assert stop_up(up) == 0
