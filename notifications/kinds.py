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
    "round_reminder": "nhắc hạn hồ sơ Chỉ số CCHC",
    "round_escalation": "báo cáo Chủ tịch (quá hạn hồ sơ Chỉ số CCHC)",
    "round_approval_voided": "phê duyệt hồ sơ Chỉ số CCHC bị hủy",
    "round_explanation_requested": "yêu cầu giải trình (Chỉ số CCHC)",
    "round_published": "công bố kết quả Chỉ số CCHC",
    DIGEST_DAILY: "tổng hợp hằng ngày (Chủ tịch)",
    DIGEST_WEEKLY: "tổng hợp hằng tuần (bộ phận)",
}

# The PAR round's notifications (notifications/round_notices.py): their own context and layout.
ROUND_KINDS = frozenset({"round_reminder", "round_escalation", "round_approval_voided", "round_explanation_requested",
                         "round_published"})

STATUS_LABELS: dict[str, str] = {
    "pending": "chờ gửi",
    "sending": "đang gửi",
    "sent": "đã gửi",
    "failed": "lỗi, không gửi được",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)
