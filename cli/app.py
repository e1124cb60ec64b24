"""The `cchc` command."""

from __future__ import annotations

import typer

from cli import demo, mail, people, plans, scheduler, tasks, up, worker

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
app.command("up")(up.up_command)
app.command("worker")(worker.worker_command)
app.command("scheduler")(scheduler.scheduler_command)
app.command("demo")(demo.demo_command)


@app.callback()
def root() -> None:
    """Theo dõi kế hoạch cải cách hành chính (CCHC) cấp xã — CCHC plan tracker."""


def main() -> None:
    app(prog_name="cchc")
