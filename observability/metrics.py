"""Our metrics, exported beside the Temporal SDK's by the SDK's own Prometheus endpoint.

Each long-running process (`cchc up`, `worker`, `web`, `scheduler`) installs, once at start,
a Temporal `Runtime` whose telemetry serves `http://<CCHC_METRICS_ADDRESS>/metrics`; every
Temporal client of the process uses it, so Temporal's `temporal_*` metrics are there, and
ours (`cchc_*`) are instruments of the same runtime's metric meter: one endpoint, one
exporter. Code that records them is given a `Metrics` built from that meter; without an
installed runtime (tests, one-shot commands) the meter records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from temporalio.common import (
    MetricCounter,
    MetricGauge,
    MetricGaugeFloat,
    MetricHistogramFloat,
    MetricMeter,
)
from temporalio.runtime import LogForwardingConfig, LoggingConfig, PrometheusConfig, Runtime, TelemetryConfig

from config import Settings
from domain.errors import CchcError, ErrorCategory
from observability.logs import TEMPORAL_CORE_LOGGER

EVENTS_RECORDED = "cchc_events_recorded_total"
EMAILS_SENT = "cchc_emails_sent_total"
EMAILS_FAILED = "cchc_emails_failed_total"
EMAIL_ATTEMPTS_FAILED = "cchc_email_attempts_failed_total"
EMAILS_WAITING = "cchc_emails_waiting"
OUTBOX_OLDEST_AGE = "cchc_outbox_oldest_age_seconds"
OVERDUE_OCCURRENCES = "cchc_overdue_occurrences"
ALARM_LATENESS = "cchc_alarm_lateness_seconds"
IMPORT_FAILURES = "cchc_import_failures_total"

# An alarm is due at 08:00 of a working day: seconds late, up to a day (a worker that was down).
LATENESS_BUCKETS = (1.0, 5.0, 15.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 14400.0, 86400.0)


class MetricsUnavailable(CchcError, OSError):
    """The metrics endpoint cannot be opened (its port is taken, or the address is wrong)."""

    category = ErrorCategory.UNAVAILABLE
    lead = ""


@dataclass(frozen=True)
class Metrics:
    """Our instruments, made by one meter (the runtime's: they share Temporal's endpoint)."""

    events_recorded: MetricCounter  # attribute kind: assign, reminder, escalation, submit_evidence ...
    emails_sent: MetricCounter
    emails_failed: MetricCounter  # refused for good (5xx, recipient refused): `cchc mail list`
    email_attempts_failed: MetricCounter  # failed for now, to be tried again
    emails_waiting: MetricGauge  # pending or being sent
    outbox_oldest_age: MetricGaugeFloat  # the oldest notification or email not sent yet
    overdue_occurrences: MetricGauge  # attribute commune
    alarm_lateness: MetricHistogramFloat  # attribute kind: reminder or escalation
    import_failures: MetricCounter  # attribute what: plan, people

    @classmethod
    def of(cls, meter: MetricMeter) -> Metrics:
        return cls(
            events_recorded=meter.create_counter(EVENTS_RECORDED, "Sự kiện đã ghi vào cơ sở dữ liệu (events recorded)"),
            emails_sent=meter.create_counter(EMAILS_SENT, "Thư đã gửi (emails sent)"),
            emails_failed=meter.create_counter(EMAILS_FAILED, "Thư bị từ chối hẳn (emails failed for good)"),
            email_attempts_failed=meter.create_counter(
                EMAIL_ATTEMPTS_FAILED, "Lần gửi thư lỗi, sẽ gửi lại (failed attempts, retried)"
            ),
            emails_waiting=meter.create_gauge(EMAILS_WAITING, "Thư đang chờ gửi (emails waiting)"),
            outbox_oldest_age=meter.create_gauge_float(
                OUTBOX_OLDEST_AGE, "Tuổi của thư chờ lâu nhất (oldest unsent, seconds)", "s"
            ),
            overdue_occurrences=meter.create_gauge(
                OVERDUE_OCCURRENCES, "Lượt nhiệm vụ quá hạn chưa hoàn thành, theo xã (overdue occurrences)"
            ),
            alarm_lateness=meter.create_histogram_float(
                ALARM_LATENESS, "Nhắc việc, cảnh báo ghi muộn so với giờ hẹn (alarm lateness, seconds)", "s"
            ),
            import_failures=meter.create_counter(IMPORT_FAILURES, "Lần nhập tệp bị từ chối (import failures)"),
        )

    @classmethod
    def none(cls) -> Metrics:
        """Instruments that record nothing (tests, one-shot commands)."""
        return cls.of(MetricMeter.noop)


def process_metrics() -> Metrics:
    """Our instruments on this process's Temporal runtime (the default one)."""
    return Metrics.of(Runtime.default().metric_meter)


def install_runtime(settings: Settings) -> Runtime:
    """The process's Temporal runtime, made the default before any client exists: its metrics at
    `settings.metrics_address` (none when empty), the SDK core's logs through ours."""
    logging = LoggingConfig(
        filter=LoggingConfig.default.filter, forwarding=LogForwardingConfig(logger=TEMPORAL_CORE_LOGGER)
    )
    metrics = None
    if settings.metrics_address:
        metrics = PrometheusConfig(
            bind_address=settings.metrics_address,
            histogram_bucket_overrides={ALARM_LATENESS: LATENESS_BUCKETS},
        )
    try:
        runtime = Runtime(telemetry=TelemetryConfig(logging=logging, metrics=metrics))
    except ValueError as exc:  # the SDK's words: "Failed starting Prometheus exporter: Address already in use"
        raise MetricsUnavailable(
            f"Không mở được trang số liệu (metrics) tại {settings.metrics_address}: {exc}. "
            "Cổng đang bận? Đổi bằng CCHC_METRICS_ADDRESS (để trống thì không mở)."
        ) from exc
    Runtime.set_default(runtime, error_if_already_set=False)
    return runtime
