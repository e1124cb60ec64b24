import email
import email.policy
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notifications.message import build_message, message_id_for, raw_bytes
from notifications.render import Rendered, render
from tests.notifications.test_render import context

SENDER = "Hệ thống CCHC Vĩnh Khê <cchc@vinhkhe.example.vn>"
SUBJECT = "[CCHC] Nhắc việc: Rà soát, đánh giá thủ tục hành chính — hạn 29/02/2024"
LONG_SUBJECT = (
    "[CCHC] Cảnh báo quá hạn lần 2: Tổ chức rà soát, đánh giá, đề xuất phương án đơn giản hóa "
    "thủ tục hành chính thuộc thẩm quyền giải quyết của UBND xã…"
)
# Words that put the email package's folding to the test: diacritics, specials, long runs.
WORDS = st.sampled_from(
    [
        "Nguyễn",
        "Thị",
        "Hoàng",
        "Đặng",
        "rà",
        "soát",
        "thủ",
        "tục",
        "hành",
        "chính",
        "UBND",
        "xã",
        "—",
        "-",
        ",",
        "<Trưởng>",
        '"VP"',
        "@",
        "(Tư",
        "pháp)",
        "29/02/2024",
        "[CCHC]",
        "Quá",
        "hạn:",
        "báo",
        "cáo",
        "lần",
    ]
)
PHRASES = st.lists(WORDS, min_size=1, max_size=40).map(" ".join)
TEXT = "Kính gửi đồng chí Nguyễn Thị Lan,\n\nNhiệm vụ I.3 còn 3 ngày làm việc.\n"
HTML = '<!DOCTYPE html>\n<html lang="vi"><body><p>Nhiệm vụ I.3 còn 3 ngày làm việc.</p></body></html>\n'
AT = datetime(2024, 2, 26, 1, 0, tzinfo=UTC)
ATTACK = "\r\nBcc: attacker@example.com"


def build(subject=SUBJECT, to=(("Nguyễn Thị Lan", "lan@vinhkhe.example.vn"),), **changes):
    arguments = {
        "sender": SENDER,
        "to": list(to),
        "message_id": message_id_for("cchc-task/1/I.3/2024-02/5/reminder/officers:Tư pháp", "vinhkhe.example.vn"),
        "date": AT,
        **changes,
    }
    return raw_bytes(build_message(Rendered(subject, TEXT, HTML), **arguments))


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def header_lines(raw: bytes) -> list[bytes]:
    """The top-level header fields, each unfolded onto one line."""
    head = raw.split(b"\r\n\r\n", 1)[0]
    return head.replace(b"\r\n ", b" ").replace(b"\r\n\t", b" ").split(b"\r\n")


def test_the_subject_decodes_to_the_exact_vietnamese_text():
    assert parse(build())["Subject"] == SUBJECT


def test_a_long_subject_keeps_every_space_between_its_words():
    assert parse(build(subject=LONG_SUBJECT))["Subject"] == LONG_SUBJECT


@given(PHRASES)
def test_any_subject_decodes_to_itself(subject):
    assert parse(build(subject=subject))["Subject"] == subject


@given(PHRASES)
def test_any_display_name_decodes_to_itself_next_to_its_address(name):
    first, second = parse(build(to=[(name, "a@vinhkhe.example.vn"), ("Lan", "lan@vinhkhe.example.vn")]))["To"].addresses

    assert (first.display_name, first.addr_spec) == (name, "a@vinhkhe.example.vn")
    assert (second.display_name, second.addr_spec) == ("Lan", "lan@vinhkhe.example.vn")


def test_a_rendered_notification_arrives_with_its_subject_and_both_parts():
    rendered = render("reminder", "vi", context("reminder", person_name="Nguyễn Thị Lan"))
    to = [("Nguyễn Thị Lan", "lan@vinhkhe.example.vn")]
    built = build_message(rendered, sender=SENDER, to=to, message_id="<1@vinhkhe.example.vn>", date=AT)

    message = parse(raw_bytes(built))

    assert message["Subject"] == rendered.subject
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == rendered.text
    assert message.get_body(("html",)).get_content().replace("\r\n", "\n") == rendered.html


def test_headers_are_ascii_with_the_subject_rfc2047_encoded():
    raw = build()
    head = raw.split(b"\r\n\r\n", 1)[0]

    assert head.isascii()
    assert b"Subject: =?utf-8?" in head


def test_every_raw_line_is_within_the_smtp_limit_and_ends_in_crlf():
    raw = build(subject=LONG_SUBJECT)

    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


def test_display_names_with_diacritics_and_specials_stay_display_names():
    to = [
        ('Nguyễn Văn "Ba" <Trưởng phòng>, Tư pháp @ xã', "ba@vinhkhe.example.vn"),
        ("Trần Thị Hoa", "hoa@vinhkhe.example.vn"),
    ]

    addresses = parse(build(to=to))["To"].addresses

    assert [(a.display_name, a.addr_spec) for a in addresses] == to


def test_a_long_display_name_survives_with_its_address():
    name = "Nguyễn Thị Hoàng Phương Thảo - Phó Chủ tịch phụ trách Văn hóa - Xã hội UBND xã Vĩnh Khê"

    (address,) = parse(build(to=[(name, "thao@vinhkhe.example.vn")]))["To"].addresses

    assert (address.display_name, address.addr_spec) == (name, "thao@vinhkhe.example.vn")


def test_the_sender_keeps_its_name_and_address():
    (sender,) = parse(build())["From"].addresses

    assert (sender.display_name, sender.addr_spec) == ("Hệ thống CCHC Vĩnh Khê", "cchc@vinhkhe.example.vn")


def test_a_line_break_in_the_subject_adds_no_header_and_keeps_the_subject_on_one_line():
    raw = build(subject=SUBJECT + ATTACK)
    lines = header_lines(raw)

    assert parse(raw)["Bcc"] is None
    assert not any(line.lower().startswith(b"bcc") for line in lines)
    assert sum(line.startswith(b"Subject:") for line in lines) == 1
    assert parse(raw)["Subject"] == SUBJECT + " Bcc: attacker@example.com"


def test_a_line_break_in_a_display_name_adds_no_header():
    raw = build(to=[("Nguyễn Thị Lan" + ATTACK, "lan@vinhkhe.example.vn")])

    assert parse(raw)["Bcc"] is None
    assert not any(line.lower().startswith(b"bcc") for line in header_lines(raw))
    (address,) = parse(raw)["To"].addresses
    assert address.display_name == "Nguyễn Thị Lan Bcc: attacker@example.com"
    assert address.addr_spec == "lan@vinhkhe.example.vn"


def test_a_line_break_in_an_extra_header_value_adds_no_header():
    raw = build(headers={"X-CCHC-Task": "cchc-task/1" + ATTACK})

    assert parse(raw)["Bcc"] is None
    assert parse(raw)["X-CCHC-Task"] == "cchc-task/1 Bcc: attacker@example.com"


def test_a_line_break_in_the_sender_name_becomes_a_space():
    (sender,) = parse(build(sender="CCHC\r\nVĩnh Khê <cchc@vinhkhe.example.vn>"))["From"].addresses

    assert (sender.display_name, sender.addr_spec) == ("CCHC Vĩnh Khê", "cchc@vinhkhe.example.vn")


def test_other_control_characters_become_spaces():
    assert parse(build(subject="Nhắc\x00việc\x1b[31m\u2028hạn\u202e"))["Subject"] == "Nhắc việc [31m hạn"


@pytest.mark.parametrize(
    "address",
    [
        "lan@vinhkhe.example.vn, attacker@example.com",
        "lan@vinhkhe.example.vn" + ATTACK,
        "lan",
        "<lan@vinhkhe.example.vn>",
        "lân@vinhkhe.example.vn",
        "",
    ],
)
def test_an_address_that_is_not_one_valid_addr_spec_is_refused_by_name(address):
    with pytest.raises(ValueError, match="not a single valid email address") as refused:
        build(to=[("Lan", address)])

    assert repr(address) in str(refused.value)


@pytest.mark.parametrize(
    "sender", ["a@example.vn, b@example.vn", "CCHC", "CCHC <>", "CCHC" + ATTACK + " <cchc@vinhkhe.example.vn>"]
)
def test_a_sender_setting_that_is_not_one_mailbox_is_refused(sender):
    with pytest.raises(ValueError, match="not a single valid sender"):
        build(sender=sender)


def test_an_extra_header_name_must_be_a_plain_field_name():
    with pytest.raises(ValueError, match="not a header name"):
        build(headers={"X-Task\r\nBcc": "x"})


def test_a_message_date_without_an_offset_is_refused():
    with pytest.raises(ValueError, match="UTC offset"):
        build(date=datetime(2024, 2, 26, 8, 0))


def test_the_bodies_are_utf8_text_then_html_alternatives():
    message = parse(build())
    plain, html = message.iter_parts()

    assert message.get_content_type() == "multipart/alternative"
    assert (plain.get_content_type(), plain.get_content_charset()) == ("text/plain", "utf-8")
    assert (html.get_content_type(), html.get_content_charset()) == ("text/html", "utf-8")
    assert plain.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n") == TEXT
    assert html.get_payload(decode=True).decode("utf-8").replace("\r\n", "\n") == HTML


def test_the_bodies_travel_as_seven_bit_text():
    for part in parse(build()).iter_parts():
        assert part["Content-Transfer-Encoding"] in ("base64", "quoted-printable")


def test_the_message_is_dated_in_viet_nam_time_and_marked_auto_generated():
    message = parse(build(headers={"X-CCHC-Task": "cchc-task/1/I.3/2024-02"}))

    assert message["Date"] == "Mon, 26 Feb 2024 08:00:00 +0700"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["X-CCHC-Task"] == "cchc-task/1/I.3/2024-02"


def test_the_message_id_is_stable_for_a_key_and_differs_between_keys():
    first = message_id_for("cchc-task/1/I.3/2024-02/5/reminder/officers:Tư pháp", "vinhkhe.example.vn")

    assert first == message_id_for("cchc-task/1/I.3/2024-02/5/reminder/officers:Tư pháp", "vinhkhe.example.vn")
    assert first != message_id_for("cchc-task/1/I.3/2024-02/6/reminder/officers:Tư pháp", "vinhkhe.example.vn")
    assert first.startswith("<") and first.endswith("@vinhkhe.example.vn>")
    assert parse(build())["Message-ID"] == first


def test_a_message_id_domain_must_be_a_plain_domain():
    with pytest.raises(ValueError, match="not a domain"):
        message_id_for("key", "example.vn>\r\nBcc: x")
