"""Commands: `flask mail send-queued`, `flask mail dev-server` and `flask invites send`."""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import click
from flask.cli import AppGroup, with_appcontext

from app.mail import outbox, planning
from app.mail.mail_settings import is_address
from app.surveys import library, scheduling

mail_cli = AppGroup("mail", help="Email: the outbox and a local server for development.")


@mail_cli.command("send-queued")
def send_queued_command() -> None:
    """Send every message waiting in the outbox (run it from cron every minute or two)."""
    if not outbox.can_send():
        raise click.ClickException("Email is not set up (SMTP_HOST): messages stay in the outbox.")
    result = outbox.process()
    click.echo(result.sentence())
    if result.failed:
        raise SystemExit(1)


@mail_cli.command("dev-server")
@click.option("--port", default=8025, show_default=True, help="Port on 127.0.0.1.")
def dev_server_command(port: int) -> None:
    """A local SMTP server that saves what it receives in the development mail folder."""
    from app.mail.devserver import start  # aiosmtpd is a development dependency

    folder = Path(outbox.settings().folder)
    controller, _handler = start(port, folder)
    click.echo(f"Local mail server on 127.0.0.1:{port}; messages are saved in {folder}")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()


@click.command("send")
@with_appcontext
@click.argument("survey_slug")
@click.option(
    "--all-parishes", is_flag=True, help="Every active parish with an email address in content/parishes.yaml."
)
@click.option("--parish", "parishes", multiple=True, metavar="NAME", help="This parish (repeatable).")
@click.option("--councillor", metavar="NAME", help="A district councillor (with --ward and --email).")
@click.option("--ward", metavar="WARD", help="The councillor's ward.")
@click.option("--email", metavar="ADDRESS", help="The councillor's email address.")
@click.option("--replace", is_flag=True, help="Also send to parishes already emailed (their old link stops working).")
def send_command(
    survey_slug: str,
    all_parishes: bool,
    parishes: tuple[str, ...],
    councillor: str | None,
    ward: str | None,
    email: str | None,
    replace: bool,
) -> None:
    """Email invitation links, each made as it is sent. Re-sending replaces the old link."""
    survey = library.survey(survey_slug)
    if survey is None:
        raise click.ClickException(f"There is no survey '{survey_slug}'. Check the slug in content/surveys/.")
    if survey.audience != "parish":
        raise click.ClickException(f"'{survey_slug}' is a resident survey: residents answer without invitations.")
    if scheduling.status(survey) == "closed":
        raise click.ClickException(f"'{survey_slug}' has closed: links to it would not work.")
    if councillor and not (ward and email):
        raise click.ClickException("Give --councillor NAME with --ward WARD and --email ADDRESS.")
    if not (all_parishes or parishes or councillor):
        raise click.ClickException(
            "Say who to invite: --all-parishes, --parish NAME or --councillor NAME --ward WARD --email ADDRESS."
        )
    chosen = []
    if all_parishes:
        chosen = library.parishes()
    unknown = []
    for name in parishes:
        parish = library.find_parish(name)
        if parish is None:
            unknown.append(name)
        elif parish not in chosen:
            chosen.append(parish)
    if unknown:
        raise click.ClickException(
            "Not in content/parishes.yaml (or retired): " + ", ".join(unknown) + ". Nothing was sent."
        )
    plan = planning.plan_invitations(survey, chosen, replace=replace or bool(parishes and not all_parishes))
    recipients = list(plan.send)
    if councillor and ward and email:
        if not is_address(email):
            raise click.ClickException(f"'{email}' is not an email address.")
        recipients.append(planning.councillor_recipient(survey, councillor, ward, email))
    for name in plan.no_address:
        click.echo(f"No email address for {name} in content/parishes.yaml: not sent.")
    for name in plan.already:
        click.echo(f"{name} was emailed an invitation already: not sent (use --replace to send a new link).")
    ids = planning.queue(survey, "invitation", recipients, None, "command line")
    result = outbox.process(ids)
    click.echo(f"Invitations for {survey.slug}: {result.sentence()}")
    if result.failed:
        raise SystemExit(1)
