"""The app's one clock for instants: naive UTC, as stored on every database.

Session timeouts, one-time codes, audit times and retention read the time through `now()`, so
tests can move the clock forward (monkeypatch `app.clock.now`) instead of sleeping. Survey
dates are local dates and come from `app.surveys.scheduling.today()`.
"""

from datetime import UTC, datetime


def utcnow() -> datetime:
    """For column defaults: never patched, so rows get the real time of writing."""
    return datetime.now(UTC).replace(tzinfo=None)


def now() -> datetime:
    return utcnow()
