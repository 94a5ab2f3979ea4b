"""Server-side staff sessions (see models.StaffSession for why they are not cookie-only).

The Flask session cookie holds only a random token (via Flask-Login's user id slot); the row
found by its hash says when the session began and was last used. Limits: 30 minutes idle and
12 hours in all once signed in; 10 minutes to finish the second sign-in step.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, or_, select

from app import clock
from app.extensions import db
from app.staff.staff_models import StaffSession, StaffUser

IDLE_LIMIT = timedelta(minutes=30)
ABSOLUTE_LIMIT = timedelta(hours=12)
PENDING_LIMIT = timedelta(minutes=10)
# Writing last_seen_at on every request is pointless; a minute's slack in a 30-minute limit is not.
TOUCH_INTERVAL = timedelta(seconds=60)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def purge_stale(now: datetime) -> int:
    """Delete every session past a limit: otherwise rows for browsers that never came back, or
    never finished signing in, would be kept for ever."""
    result = db.session.execute(
        delete(StaffSession).where(
            or_(
                StaffSession.created_at < now - ABSOLUTE_LIMIT,
                StaffSession.last_seen_at < now - IDLE_LIMIT,
                and_(StaffSession.two_factor_passed.is_(False), StaffSession.created_at < now - PENDING_LIMIT),
            )
        )
    )
    return result.rowcount or 0


def start(user: StaffUser, two_factor_passed: bool) -> StaffSession:
    token = secrets.token_urlsafe(32)
    now = clock.now()
    purge_stale(now)  # sign-ins are rare enough, and the expiry columns cheap enough, to do it here
    row = StaffSession(
        token_hash=_hash(token), user_id=user.id, created_at=now, last_seen_at=now, two_factor_passed=two_factor_passed
    )
    db.session.add(row)
    db.session.flush()
    row.token = token
    row.user = user
    return row


def expiry_reason(row: StaffSession, now) -> str | None:
    if not row.two_factor_passed:
        return "pending" if now - row.created_at > PENDING_LIMIT else None
    if now - row.created_at > ABSOLUTE_LIMIT:
        return "absolute"
    if now - row.last_seen_at > IDLE_LIMIT:
        return "idle"
    return None


def load(token: str) -> tuple[StaffSession | None, str | None]:
    """(session, None) if the token is live; (None, reason) if it expired; (None, None) if unknown."""
    if not token:
        return None, None
    row = db.session.scalar(select(StaffSession).where(StaffSession.token_hash == _hash(token)))
    if row is None:
        return None, None
    now = clock.now()
    reason = expiry_reason(row, now)
    if reason or not row.user.active:
        db.session.delete(row)
        db.session.commit()
        return None, reason or "disabled"
    if now - row.last_seen_at >= TOUCH_INTERVAL:
        row.last_seen_at = now
        db.session.commit()
    row.token = token
    return row, None


def end(row: StaffSession) -> None:
    db.session.execute(delete(StaffSession).where(StaffSession.id == row.id))


def end_all_for(user_id: int, keep_id: int | None = None) -> None:
    statement = delete(StaffSession).where(StaffSession.user_id == user_id)
    if keep_id is not None:
        statement = statement.where(StaffSession.id != keep_id)
    db.session.execute(statement)
