"""How long unfinished answers are kept, in one place, so every page can say the true date.

A resident's draft lives 30 days from the last change. A council's draft (kept against its
invitation) lives until the end of the round's last day, because councils agree their
answers at monthly meetings. No Flask here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_ZONE = ZoneInfo("Europe/London")
RESIDENT_DRAFT_LIFETIME = timedelta(days=30)


def _naive_utc(moment: datetime) -> datetime:
    """The database stores naive UTC times."""
    return moment.astimezone(UTC).replace(tzinfo=None)


def end_of_local_day(day: date) -> datetime:
    """Midnight at the end of `day` in the UK, as naive UTC (summer time included)."""
    return _naive_utc(datetime.combine(day + timedelta(days=1), time.min, tzinfo=LOCAL_ZONE))


def draft_expiry(now: datetime, council: bool, closes: date | None) -> datetime:
    """When a draft saved at `now` (naive UTC) is deleted."""
    if council and closes is not None:
        return max(end_of_local_day(closes), now + timedelta(days=1))
    return now + RESIDENT_DRAFT_LIFETIME


def local_date(moment: datetime) -> date:
    """The UK calendar date of a naive UTC time."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).date()


def last_day_kept(expires_at: datetime) -> date:
    """The last whole UK day a draft is still there: a draft deleted at midnight is kept to the day before."""
    local = expires_at.replace(tzinfo=UTC).astimezone(LOCAL_ZONE)
    if local.time() == time.min:
        return local.date() - timedelta(days=1)
    return local.date()
