"""The `cchc` command."""

from __future__ import annotations

import typer

from cli import plans

app = typer.Typer(
    name="cchc",
    help="Theo dõi kế hoạch cải cách hành chính (CCHC) cấp xã — CCHC plan tracker.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(plans.app, name="plan")


@app.callback()
def root() -> None:
    """Theo dõi kế hoạch cải cách hành chính (CCHC) cấp xã — CCHC plan tracker."""


def main() -> None:
    app(prog_name="cchc")
