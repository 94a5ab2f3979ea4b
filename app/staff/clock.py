"""The staff area's idea of "now" (naive UTC).

Session timeouts and one-time codes read the time through this module so tests can move the
clock forward (monkeypatch `app.staff.clock.now`) instead of sleeping.
"""

from app.timeutil import utcnow


def now():
    return utcnow()
