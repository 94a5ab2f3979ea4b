"""What every `flask` command that uses the database has in common.

A newcomer who runs a printed command before the database exists, or with DATABASE_URL
pointing at a server that is down, gets one sentence saying what to do, not a traceback.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

from app.content.problems import ContentError

_MISSING_TABLE = ("no such table", "does not exist", "undefinedtable")


def explain_database_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (OperationalError, ProgrammingError) as error:
            text = str(error.orig if error.orig is not None else error).lower()
            if any(marker in text for marker in _MISSING_TABLE):
                raise click.ClickException(
                    "The database has not been set up yet: run `.venv/bin/flask db upgrade` "
                    "(`make run` does this for you), then try again."
                ) from None
            if isinstance(error, OperationalError):
                raise click.ClickException(
                    f"Could not use the database ({text.splitlines()[0]}): check DATABASE_URL "
                    "and that the database server is running."
                ) from None
            raise

    return run


class DatabaseCommandGroup(AppGroup):
    """An AppGroup whose commands explain database set-up problems in one sentence."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], click.Command]:
        register = super().command(*args, **kwargs)

        def decorator(function: Callable[..., Any]) -> click.Command:
            return register(explain_database_errors(function))

        return decorator


class ContentRefused(ContentError, click.ClickException):
    """Content problems found at start-up. Under `flask`, Click prints the list and exits 1
    (so `flask content check` reports them without a traceback); elsewhere it stops the app."""

    exit_code = 1
