"""`flask content check`: every problem in content/, with file and line.

The app factory reads and checks all of content/ before any command runs, and refuses to
start with the list of problems (which this command then prints, exiting 1). When the app
loads, the content is fine: the command says so, with what was read and the pages due for review.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.content.catalogue import Content
from app.site import SITE
from app.surveys import library, scheduling

content_cli = AppGroup("content", help="Check the Markdown, data and survey files in content/.")


@content_cli.command("check")
def check_command() -> None:
    """Report every problem in content/ with its file and line; exit 1 if there are any."""
    content: Content = current_app.extensions["content"].get(SITE)
    due = content.reviews_due(scheduling.today())
    if due:
        click.echo("Due for review (a reminder, not a problem):")
        for page in due:
            click.echo(f"  {page.source}: review by {page.review_by.isoformat()}")
    summary = (f"{_count(len(content.pages), 'page')}, {_count(len(content.figures), 'data file')}, "
               f"{_count(len(library.surveys()), 'survey')}")
    click.echo(f"Content is fine: {summary}.")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
