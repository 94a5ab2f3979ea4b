"""Times are stored as naive UTC on every database, so comparisons never mix zones."""

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
