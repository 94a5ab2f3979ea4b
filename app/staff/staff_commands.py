"""`flask staff …` and `flask responses purge …`.

There is no default account: the first admin is made with `flask staff create EMAIL --admin`.
"""

import re
import sys
from datetime import timedelta

import click
from flask import current_app

from app.cli_support import DatabaseCommandGroup
from app.extensions import db
from app.staff.auth import accounts, audit
from app.staff.governance import retention
from app.surveys import library

staff_cli = DatabaseCommandGroup("staff", help="Staff accounts.")
responses_cli = DatabaseCommandGroup("responses", help="Survey responses: data retention.")


def _read_password() -> str:
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    # Scripted use: the first line of standard input, so the password never appears in
    # the process list or the shell history.
    return sys.stdin.readline().rstrip("\r\n")


@staff_cli.command("create")
@click.argument("email")
@click.option("--admin", is_flag=True, help="Make an admin (otherwise an analyst).")
def create_command(email, admin):
    """Create a staff account; the password is asked for (or read from standard input)."""
    password = _read_password()
    try:
        user = accounts.create(email, password, "admin" if admin else "analyst", current_app.config["STAFF_ARGON2"])
    except accounts.AccountError as error:
        raise click.ClickException(str(error)) from None
    audit.record("staff created", f"{user.email} as {user.role} (command line)", actor="command line", commit=False)
    db.session.commit()
    click.echo(f"Created {user.role} {user.email}. They set up two-factor sign-in the first time they sign in.")


def _existing_account(email: str):
    user = accounts.find(email)
    if user is None:
        raise click.ClickException(f"No staff account for {accounts.normalise_email(email)}")
    return user


@staff_cli.command("disable")
@click.argument("email")
def disable_command(email):
    """Disable a staff account and sign it out everywhere."""
    user = _existing_account(email)
    accounts.disable(user)
    audit.record("staff disabled", f"{user.email} (command line)", actor="command line", commit=False)
    db.session.commit()
    click.echo(f"Disabled {user.email}.")


@staff_cli.command("reset-2fa")
@click.argument("email")
def reset_two_factor_command(email):
    """Remove an account's authenticator app (for example after a lost phone)."""
    user = _existing_account(email)
    accounts.reset_two_factor(user)
    audit.record("two-factor reset", f"{user.email} (command line)", actor="command line", commit=False)
    db.session.commit()
    click.echo(f"Two-factor sign-in reset for {user.email}: they set it up again at their next sign-in.")


def parse_age(text: str) -> timedelta:
    """'365d', '12m' or '1y'. A month is 365/12 days, so 12m and 1y mean the same age."""
    match = re.fullmatch(r"\s*(\d{1,4})\s*([dmy])\s*", text or "")
    if not match:
        raise click.BadParameter("Use a number followed by d, m or y, for example 12m or 365d.")
    number, unit = int(match.group(1)), match.group(2)
    days = {"d": 1, "m": 365 / 12, "y": 365}[unit] * number
    return timedelta(days=round(days))


@responses_cli.command("purge")
@click.option("--older-than", "older_than", required=True, help="Age of responses, e.g. 12m or 365d.")
@click.option("--dry-run", is_flag=True, help="Only say what would be removed.")
def purge_command(older_than, dry_run):
    """Delete personal data from responses older than the given age, and expired drafts."""
    age = parse_age(older_than)
    surveys = library.surveys()
    report = retention.purge_older_than(age, surveys, dry_run=dry_run, actor="command line")
    verb = "Would remove" if dry_run else "Removed"
    click.echo(
        f"{verb} personal data from {report.responses} responses ({report.answers} answers) "
        f"and {report.drafts} expired drafts."
    )
