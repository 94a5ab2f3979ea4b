"""When a survey is open: the one `today` and the one `status` that every page uses.

Surveys open and close on local dates, so "today" is the date in Europe/London; outside
production `SURVEY_TODAY` fixes it (tests, demonstrations against a real server). Staff may
close a survey early or extend it: their date (a `RoundSetting` row) replaces the closing date in
the survey file. The consultation pages, the home page, the command line and the staff pages
all ask this module, so they can never disagree about whether a survey is open.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable, Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g, has_app_context

from app.surveys import repository
from app.surveys.questions.definitions import SurveyDefinition

LOCAL_ZONE = ZoneInfo("Europe/London")
OPEN, UPCOMING, CLOSED = "open", "upcoming", "closed"
# How long a process may go on showing a cached public page after staff changed a survey's
# dates in another process; the process that made the change forgets at once.
RECHECK_SECONDS = 30.0


def today_for(config: Mapping[str, Any]) -> date:
    fixed = config.get("SURVEY_TODAY")
    if fixed:
        return fixed if isinstance(fixed, date) else date.fromisoformat(str(fixed))
    return datetime.now(LOCAL_ZONE).date()


def today() -> date:
    """The partnership's local date."""
    return today_for(current_app.config if has_app_context() else {})


def status_on(survey: SurveyDefinition, day: date, closes: date | None) -> str:
    """ "open", "upcoming" or "closed" on `day`, given the last day it accepts answers."""
    if not survey.accepts_responses or survey.opens is None:
        return CLOSED
    if day < survey.opens:
        return UPCOMING
    return CLOSED if closes is None or day > closes else OPEN


def overrides() -> dict[str, date]:
    """Closing dates staff set, by survey slug: read once per request."""
    if "survey_closes_overrides" not in g:
        g.survey_closes_overrides = repository.closes_overrides()
    found: dict[str, date] = g.survey_closes_overrides
    return found


def closes_on(survey: SurveyDefinition) -> date | None:
    """The last day a survey accepts answers: the file's date, unless staff changed it."""
    return overrides().get(survey.slug) or survey.closes


def status(survey: SurveyDefinition) -> str:
    """ "open", "upcoming" or "closed" today, honouring a closing date staff changed."""
    return status_on(survey, today(), closes_on(survey))


def is_overridden(survey: SurveyDefinition) -> bool:
    return survey.slug in overrides()


def set_closes(slug: str, closes: date | None, staff_id: int | None) -> None:
    """Record staff's closing date (None: back to the survey file's date); the caller commits."""
    repository.set_closes_override(slug, closes, staff_id)
    g.pop("survey_closes_overrides", None)
    _editions.forget()


class _Editions:
    """The staff date changes as this process last read them, re-read every RECHECK_SECONDS."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read_at: float | None = None
        self._stamp: tuple[tuple[str, date], ...] = ()

    def stamp(self, app: Flask) -> tuple[tuple[str, date], ...]:
        with self._lock:
            if self._read_at is not None and time.monotonic() - self._read_at < RECHECK_SECONDS:
                return self._stamp
        with app.app_context():
            stamp = tuple(sorted(repository.closes_overrides().items()))
        with self._lock:
            self._stamp, self._read_at = stamp, time.monotonic()
        return stamp

    def forget(self) -> None:
        with self._lock:
            self._read_at = None


_editions = _Editions()


def edition(app: Flask) -> Hashable:
    """What decides which consultations are open, for keying cached public pages: the local
    date and the closing dates staff changed."""
    return today_for(app.config), _editions.stamp(app)


def forget_editions() -> None:
    """Re-read staff's date changes on the next request (after the tables were emptied)."""
    _editions.forget()
