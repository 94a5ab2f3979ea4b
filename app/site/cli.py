"""`flask content check`: every problem in content/, with file and line, before anything starts."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.content.loader import load_content
from app.content.problems import Problem
from app.surveys import scheduling
from app.surveys.definitions import check as check_surveys

content_cli = AppGroup("content", help="Check the Markdown, data and survey files in content/.")


def content_problems(content_dir: str | Path, content=None) -> list[Problem]:
    """The site's problems and the surveys feature's, in one sorted list."""
    content = content if content is not None else load_content(content_dir)
    return sorted([*content.problems, *check_surveys(content_dir)])


def invoked_as_content_check(argv: list[str] | None = None) -> bool:
    """True while `flask content check` is loading the app.

    The app refuses to start on broken content, but this command exists to list those
    problems, so it must be able to load the app in spite of them.
    """
    args = sys.argv if argv is None else argv
    program = Path(args[0]).parts[-2:] if args else ()
    if "flask" not in program:  # `.venv/bin/flask` or `python -m flask` (…/flask/__main__.py)
        return False
    rest = args[1:]
    return any(rest[i:i + 2] == ["content", "check"] for i in range(len(rest)))


@content_cli.command("check")
def check_command():
    """Report every problem in content/ with its file and line; exit 1 if there are any."""
    directory = current_app.config["CONTENT_DIR"]
    content = load_content(directory)
    problems = content_problems(directory, content)
    for problem in problems:
        click.echo(str(problem))
    due = content.reviews_due(scheduling.today())
    if due:
        click.echo("\nDue for review (a reminder, not a problem):")
        for page in due:
            click.echo(f"  {page.source}: review by {page.review_by.isoformat()}")
    summary = f"{_count(len(content.pages), 'page')}, {_count(len(content.figures), 'data file')}"
    if problems:
        click.echo(f"\n{_count(len(problems), 'problem')} in {directory} ({summary}). "
                   "The site will not start until they are fixed.", err=True)
        raise SystemExit(1)
    click.echo(f"Content is fine: {summary}.")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
