"""The kinds of email, as people call them (`cchc mail list`, the demo's report)."""

from __future__ import annotations

DIGEST_DAILY = "digest_daily"
DIGEST_WEEKLY = "digest_weekly"

KIND_LABELS: dict[str, str] = {
    "assignment": "giao nhiệm vụ",
    "reminder": "nhắc hạn",
    "escalation": "báo cáo Chủ tịch (quá hạn)",
    "evidence_submitted": "sản phẩm chờ thẩm định",
    "returned": "trả lại để làm lại",
    "approved": "đã phê duyệt",
    "extended": "gia hạn",
    "waived": "miễn thực hiện",
    "reassigned": "giao lại",
    DIGEST_DAILY: "tổng hợp hằng ngày (Chủ tịch)",
    DIGEST_WEEKLY: "tổng hợp hằng tuần (bộ phận)",
}

STATUS_LABELS: dict[str, str] = {
    "pending": "chờ gửi",
    "sending": "đang gửi",
    "sent": "đã gửi",
    "failed": "lỗi, không gửi được",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)
