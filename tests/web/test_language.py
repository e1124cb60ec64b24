"""Vietnamese first, English on request: every string of the pages comes from the table."""

from __future__ import annotations

import re
from pathlib import Path

from domain.roles import Action
from web.i18n import TEXTS

TEMPLATES = Path(__file__).parents[2] / "web" / "templates"
KEY = re.compile(r"""\bt\(\s*["']([a-z_]+)["']\s*[,)]""")
# Keys made from a value: the urgency colours, and the message after each action.
BUILT_KEYS = {f"urgency_{colour}" for colour in ("red", "amber", "green", "done")} | {
    f"done_{action.value}" for action in Action
}


def test_every_text_the_templates_use_is_in_the_table_in_both_languages():
    used = {key for template in TEMPLATES.glob("*.html") for key in KEY.findall(template.read_text(encoding="utf-8"))}
    assert used and used | BUILT_KEYS <= set(TEXTS)
    assert all(vi and en for vi, en in TEXTS.values())


def test_pages_are_vietnamese_by_default_and_english_after_choosing_it(bare_app):
    assert "Đăng nhập" in bare_app.get("/login").text
    english = bare_app.get("/login", params={"lang": "en"})
    assert "Sign in" in english.text and "lang=en" in english.headers["set-cookie"]
    assert "Sign in" in bare_app.get("/login").text  # the cookie keeps the choice
    assert "Đăng nhập" in bare_app.get("/login", params={"lang": "vi"}).text


def test_the_english_dashboard_names_states_and_units_in_english(world):
    chairman = world.browser("chu-tich")
    page = chairman.get("/", params={"lang": "en"}).text
    assert "Overdue" in page and "assigned" in page and "Quá hạn" not in page
    chairman.get("/", params={"lang": "vi"})
