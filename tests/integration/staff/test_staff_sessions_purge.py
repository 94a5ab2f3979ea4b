"""Staff-session rows past their limits are deleted, not kept for ever."""

from datetime import timedelta

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.staff.staff_models import StaffSession
from tests.fixtures.staff import sign_in


def add_session(user_id: int, name: str, created_ago: timedelta, seen_ago: timedelta, passed: bool = True) -> None:
    now = clock.now()
    db.session.add(
        StaffSession(
            token_hash=name.ljust(64, "0"),
            user_id=user_id,
            created_at=now - created_ago,
            last_seen_at=now - seen_ago,
            two_factor_passed=passed,
        )
    )


def test_signing_in_clears_out_expired_sessions_of_everyone(app, client, analyst, admin):
    with app.app_context():
        add_session(admin.id, "idle", timedelta(hours=2), timedelta(hours=1))
        add_session(admin.id, "too-old", timedelta(hours=13), timedelta(minutes=1))
        add_session(admin.id, "unfinished", timedelta(minutes=20), timedelta(minutes=20), passed=False)
        add_session(admin.id, "live", timedelta(hours=1), timedelta(minutes=5))
        db.session.commit()
    sign_in(app, client, analyst)
    with app.app_context():
        kept = set(db.session.scalars(select(StaffSession.token_hash)))
    assert "live".ljust(64, "0") in kept
    assert not {n.ljust(64, "0") for n in ("idle", "too-old", "unfinished")} & kept
    assert len(kept) == 2  # the admin's live session and the analyst's new one
