"""Rendering a notification or a digest into a subject, a plain-text body and an HTML body.

Templates live in `notifications/templates`:
- `<language>/<template>.txt`: what one kind of message says (macros `subject`, `happened`,
  `details`, `next_step`; a digest's own set), written once as plain text;
- `<language>/_common.txt`: the greeting, the labels and the footer of that language;
- `_notice.txt|html`, `_digest.txt|html`: the layouts that put them together (the HTML ones
  on the page `_page.html`).

Plain text is never escaped. HTML templates are autoescaped, and what a plain-text macro
returns is a plain string, so the HTML layout escapes it, task titles and comments included.
A template missing in the requested language is taken in Vietnamese.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, Template, select_autoescape

from domain.assessment_round import RoundRole
from domain.formatting import dmy, dmy_hm
from domain.language import Language
from domain.lifecycle import TaskState
from domain.models import CommuneKind
from domain.notifications import ROUND_KINDS
from domain.vocabulary import label

DEFAULT_LANGUAGE = Language.VI
SUBJECT_TITLE_WIDTH = 80  # a longer task title is shortened in subjects


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render(template: str, language: str, context: Mapping[str, Any]) -> Rendered:
    """Render `template` (a notification kind, `digest_daily` or `digest_weekly`) in `language`."""
    env = environment()
    content = env.select_template([f"{language}/{template}.txt", f"{DEFAULT_LANGUAGE}/{template}.txt"])
    assert content.name is not None, "a template selected by name has its name"
    used_language = content.name.partition("/")[0]
    word = label(context["commune_kind"] or CommuneKind.XA, used_language)  # "phường": "UBND phường Bến Nghé"
    office = context.get("office") or label(RoundRole.OFFICE, used_language)  # digests name no office
    variables = {**context, "language": used_language, "commune_word": word, "office": office}
    module = content.make_module(variables)
    subject = one_line(str(module.subject()))  # type: ignore[attr-defined]  # a macro the template defines
    layout_variables = {
        **variables,
        "content": module,
        "common": env.get_template(f"{used_language}/_common.txt").make_module(variables),
        "subject": subject,
    }
    layout = "_digest" if template.startswith("digest_") else "_round" if template in ROUND_KINDS else "_notice"
    return Rendered(
        subject=subject,
        text=_render_layout(env.get_template(f"{layout}.txt"), layout_variables),
        html=_render_layout(env.get_template(f"{layout}.html"), layout_variables),
    )


@cache
def environment() -> Environment:
    """The one jinja2 environment, built on first use."""
    env = Environment(
        loader=PackageLoader("notifications", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(dmy=dmy, dmy_hm=dmy_hm, state_label=state_label, shorten=shorten, text=plain_text)
    return env


def _render_layout(layout: Template, variables: Mapping[str, Any]) -> str:
    return layout.render(variables).strip() + "\n"


def state_label(state: str, language: str = DEFAULT_LANGUAGE) -> str:
    return label(TaskState(state), language)


def plain_text(value: str) -> str:
    """A text macro's output as plain text, so the HTML layout escapes it.

    A macro of a .txt template called from an autoescaped template comes back marked safe
    although nothing in it was escaped (a person's name, a title): unmark it.
    """
    return str.__str__(value)


def one_line(text: str) -> str:
    """All runs of whitespace, line breaks included, as one space."""
    return " ".join(text.split())


def shorten(text: str, width: int = SUBJECT_TITLE_WIDTH) -> str:
    """`text` on one line, cut at a word boundary to at most `width` characters, with "…"."""
    text = one_line(text)
    if len(text) <= width:
        return text
    head = text[: width - 1]
    if text[width - 1] != " ":  # the last word is cut: leave it out
        head = head.rpartition(" ")[0] or head
    return head.rstrip(" ,;:.-–—") + "…"
