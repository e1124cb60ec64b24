"""The `cchc` command."""

from __future__ import annotations

import logging
import os
import sys
from importlib.metadata import version
from typing import Annotated

import typer

from cli import (
    appraise,
    assess,
    audit,
    catalogue,
    communes,
    demo,
    evidence,
    mail,
    people,
    plans,
    report,
    rounds,
    scheduler,
    tasks,
    up,
    users,
    web,
    worker,
)

app = typer.Typer(
    name="cchc",
    help="Theo dõi kế hoạch cải cách hành chính (CCHC) cấp xã — CCHC plan tracker.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(plans.app, name="plan")
app.add_typer(tasks.app, name="task")
app.add_typer(people.app, name="people")
app.add_typer(mail.app, name="mail")
app.add_typer(users.app, name="user")
app.add_typer(audit.app, name="audit")
app.add_typer(rounds.app, name="round")
app.add_typer(evidence.app, name="evidence")
app.add_typer(catalogue.app, name="catalogue")
app.add_typer(assess.app, name="assess")
app.add_typer(appraise.app, name="appraise")
app.add_typer(communes.app, name="commune")
app.add_typer(report.app, name="report")
app.command("up")(up.up_command)
app.command("worker")(worker.worker_command)
app.command("scheduler")(scheduler.scheduler_command)
app.command("web")(web.web_command)
app.command("demo")(demo.demo_command)


def _print_version(asked: bool) -> None:
    if asked:
        typer.echo(f"cchc {version('cchc')}")
        raise typer.Exit()


@app.callback()
def root(
    _version: Annotated[
        bool,
        typer.Option(
            "--version", help="In phiên bản rồi thoát (print the version).", is_eager=True, callback=_print_version
        ),
    ] = False,
) -> None:
    """Theo dõi kế hoạch cải cách hành chính (CCHC) cấp xã — CCHC plan tracker."""


def main() -> None:
    """Run the command, then leave without the interpreter's teardown.

    The Temporal SDK's Rust threads can outlive a short command and touch the interpreter while
    it finalizes: the process then aborts ("PyGILState_Release", SIGABRT) after its work is done
    (temporalio/sdk-python#300). Everything is committed and flushed by then, so `os._exit`.
    """
    try:
        app(prog_name="cchc")
        code = 0
    except SystemExit as exit_:
        code = _exit_code(exit_)
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(code)


def _exit_code(exit_: SystemExit) -> int:
    if exit_.code is None or isinstance(exit_.code, int):
        return exit_.code or 0
    print(exit_.code, file=sys.stderr)
    return 1
