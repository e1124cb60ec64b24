"""Server-rendered pages: jinja2 templates, dd/mm/yyyy, Vietnamese unless `?lang=en` chose English.

`?lang=en` (or `?lang=vi`) on any page sets a cookie that keeps the choice.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import Request
from fastapi.templating import Jinja2Templates
from starlette.responses import Response

from domain.formatting import dmy, dmy_hm, rate
from domain.roles import Role
from domain.scoring import number
from domain.vocabulary import label
from web import i18n
from web.auth import csrf_token, take_flashes
from web.task_views import evidence_url, page_url

LANG_COOKIE = "lang"
YEAR_SECONDS = 365 * 24 * 3600


def _day(value: object) -> str:
    return dmy(value) if isinstance(value, date) else ""


def _instant(value: object) -> str:
    """An aware datetime, or its ISO text (timeline entries), as 24/01/2024 08:00."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return dmy_hm(value) if isinstance(value, datetime) else ""


def _points(value: Decimal | None) -> str:
    """Points as people write them (1,82), or "—" when there are none."""
    return "—" if value is None else number(value)


def _rate(value: float | None) -> str:
    return "—" if value is None else rate(value)


TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.trim_blocks = TEMPLATES.env.lstrip_blocks = True
TEMPLATES.env.filters.update(
    dmy=_day, dmy_hm=_instant, segment=lambda text: quote(str(text), safe=""), points=_points, rate=_rate
)
# `label`: a member's words in Vietnamese, for the pages written only in Vietnamese (the PAR round's).
TEMPLATES.env.globals.update(task_path=page_url, evidence_path=evidence_url, label=label)


def language(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    return chosen if chosen in i18n.LANGUAGES else i18n.DEFAULT


def render(request: Request, name: str, context: dict[str, Any], *, status_code: int = 200) -> Response:
    """The page `name`, with what every page needs: the user, the translations, the CSRF token."""
    lang = language(request)
    user = context.get("user")
    common = {
        "lang": lang,
        "t": i18n.translator(lang, technical=user is not None and user.role is Role.ADMIN),
        "labels": i18n.Labels(lang),
        "csrf_token": csrf_token(request),
        "flashes": take_flashes(request),
        "language_link": lambda other: _with_language(request, other),
        "user": None,
    }
    response = TEMPLATES.TemplateResponse(request, name, {**common, **context}, status_code=status_code)
    if request.query_params.get("lang") in i18n.LANGUAGES:
        response.set_cookie(LANG_COOKIE, lang, max_age=YEAR_SECONDS, httponly=True, samesite="lax")
    return response


def assessed_year(today: date) -> int:
    """The year a PAR round is about: rounds open in December and run into the next spring."""
    return today.year if today.month == 12 else today.year - 1


def _with_language(request: Request, lang: str) -> str:
    """This page's path and query, in `lang`."""
    query = {**request.query_params, "lang": lang}
    return f"{request.url.path}?{urlencode(query)}"
