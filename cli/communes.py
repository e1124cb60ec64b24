"""`cchc commune merge`: communes merged in a reform (the 2025 arrangement of commune-level
units): the new commune carries its predecessors' history, PAR rounds included."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import typer
from sqlalchemy import select

from cli.errors import EXIT_BAD_INPUT, at_the_edge
from cli.plans import database
from config import get_settings
from domain.calendar import TZ
from domain.communes import CommuneProfile, commune_code
from domain.models import CommuneKind
from domain.units import same_commune
from persistence.communes import update_commune
from persistence.tables import CommunePredecessorRow
from persistence.users import normal_name

app = typer.Typer(help="Xã, phường, đặc khu: loại, mã, cơ quan thẩm định; sáp nhập (communes).", no_args_is_help=True)


@app.command("merge")
@at_the_edge
def merge_command(
    commune: Annotated[str, typer.Argument(help="Xã mới, sau sắp xếp (the new commune).")],
    predecessors: Annotated[list[str], typer.Option("--from", help="Xã cũ được sáp nhập (ghi nhiều lần).")],
    merged_on: Annotated[datetime, typer.Option("--on", formats=["%d/%m/%Y"], help="Ngày có hiệu lực dd/mm/yyyy.")],
    decision: Annotated[str, typer.Option("--decision", help="Nghị quyết sắp xếp, ví dụ 1656/NQ-UBTVQH15.")],
) -> None:
    """Ghi các xã cũ đã sáp nhập vào một xã mới (record a merger)."""
    new = normal_name(commune) or ""
    olds = [normal_name(name) or "" for name in predecessors]
    with database(get_settings().effective_database_url) as session_factory, session_factory.begin() as session:
        merged = session.execute(select(CommunePredecessorRow.predecessor, CommunePredecessorRow.commune)).all()
        problems = [
            f"xã {old} đã được sáp nhập vào {into}" for old in olds for done, into in merged if same_commune(done, old)
        ] + [f"xã {old} không thể sáp nhập vào chính nó" for old in olds if same_commune(old, new)]
        if problems:
            typer.echo("Lỗi: " + "; ".join(problems) + ". Không ghi gì.", err=True)
            raise typer.Exit(EXIT_BAD_INPUT)
        session.add_all(
            CommunePredecessorRow(commune=new, predecessor=old, merged_on=merged_on.date(), decision=decision.strip())
            for old in olds
        )
    typer.echo(f"Đã ghi: {', '.join(olds)} sáp nhập vào {new} từ ngày {merged_on:%d/%m/%Y} ({decision.strip()}).")


@app.command("set")
@at_the_edge
def set_command(
    commune: Annotated[str, typer.Argument(help="Tên xã, phường, đặc khu như trong kế hoạch.")],
    kind: Annotated[
        CommuneKind | None, typer.Option("--kind", help="Loại: xa (xã), phuong (phường), dac_khu (đặc khu).")
    ] = None,
    code: Annotated[str | None, typer.Option("--code", help="Mã đơn vị hành chính, 5 chữ số.")] = None,
    district: Annotated[
        str | None, typer.Option("--district", help="Huyện trước 01/7/2025, ví dụ “huyện Vĩnh Linh”.")
    ] = None,
    province: Annotated[str | None, typer.Option("--province", help="Tỉnh, ví dụ “tỉnh Quảng Trị”.")] = None,
) -> None:
    """Ghi loại, mã đơn vị hành chính, huyện (trước 01/7/2025) và tỉnh của một xã (commune profile)."""
    given = CommuneProfile(
        name=commune.strip(),
        kind=kind,
        code=commune_code(code) if code is not None else None,
        district=_written(district),
        province=_written(province),
    )
    with database(get_settings().effective_database_url) as session_factory, session_factory.begin() as session:
        profile = update_commune(session, given)
    typer.echo(profile_line(profile, datetime.now(TZ).date()))


def profile_line(profile: CommuneProfile, today: date) -> str:
    """ "Phường Bến Nghé: mã 26740; Quận 1; thành phố Hồ Chí Minh; cơ quan thẩm định: Sở Nội vụ …"."""
    known = [f"mã {profile.code}" if profile.code else "chưa có mã đơn vị hành chính"]
    known += [place for place in (profile.district, profile.province) if place]
    return f"{profile.title}: {'; '.join(known)}; cơ quan thẩm định: {profile.supervising_authority(today)}."


def _written(text: str | None) -> str | None:
    """An option's text in single spaces; None when not given or blank."""
    if text is None:
        return None
    return " ".join(text.split()) or None
