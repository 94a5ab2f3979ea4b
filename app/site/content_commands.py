"""`flask content check`: every problem in content/, with file and line.

The app factory reads and checks all of content/ before any command runs, and refuses to
start with the list of problems (which this command then prints, exiting 1). When the app
loads, the content has no problems: the command says so, then lists the warnings (details still
to confirm, pages past their review date), which do not stop the site but mean the content is
not "fine" yet.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.content.catalogue import Content
from app.content.notices import REVIEW_DUE, TO_CONFIRM, content_notices
from app.site import SITE
from app.surveys import library, scheduling

content_cli = AppGroup("content", help="Check the Markdown, data and survey files in content/.")


@content_cli.command("check")
def check_command() -> None:
    """Report every problem in content/ with its file and line; exit 1 if there are any."""
    content: Content = current_app.extensions["content"].get(SITE)
    notices = content_notices(content, scheduling.today())
    if notices:
        click.echo("Warnings (the site still starts, but these need attention):")
        for notice in notices:
            click.echo(f"  {notice}")
    summary = (
        f"{_count(len(content.pages), 'page')}, {_count(len(content.figures), 'data file')}, "
        f"{_count(len(library.surveys()), 'survey')}"
    )
    if notices:
        confirm = sum(1 for notice in notices if notice.kind == TO_CONFIRM)
        due = sum(1 for notice in notices if notice.kind == REVIEW_DUE)
        click.echo(
            f"\nNo problems ({summary}), but {_count(len(notices), 'warning')}: "
            f"{_count(confirm, 'detail')} to confirm and {_count(due, 'page')} due for review."
        )
        return
    click.echo(f"Content is fine: {summary}.")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
