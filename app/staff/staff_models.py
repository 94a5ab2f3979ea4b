"""Staff accounts, their server-side sessions, the audit log and what staff add to the data.

Sessions live in a table, not only in Flask's signed cookie: a signed cookie stays valid until
it expires, so logging out could not end it. Here the cookie carries a random session id; the
row holds the times that the idle and absolute limits are checked against, and logout or
expiry deletes the row, so a copied or replayed cookie is refused.
"""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db

__all__ = ["StaffUser", "StaffSession", "AuditEvent", "AnswerTheme"]

ROLES = ("admin", "analyst")


class StaffUser(db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="analyst")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # TOTP: the secret is set when set-up starts and confirmed by the first good code.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime)
    # The time-step of the last code accepted: a code for that step or an earlier one is refused.
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    password_changed_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    # Set per request by the user loader: the session this request belongs to.
    current_session = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def has_two_factor(self) -> bool:
        return self.totp_confirmed_at is not None

    # Flask-Login protocol. get_id returns the session token, not the user id, so that
    # deleting the session row signs the cookie out (Flask-Login's "alternative tokens").
    @property
    def is_authenticated(self) -> bool:
        """Only after both sign-in steps: password alone is not "signed in" anywhere."""
        return self.current_session is not None and self.current_session.two_factor_passed

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.current_session.token if self.current_session is not None else None


class StaffSession(db.Model):
    """One signed-in browser. Only the SHA-256 of its random token is stored."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    # False between the password and the second factor: only the 2FA pages are allowed.
    two_factor_passed: Mapped[bool] = mapped_column(Boolean, default=False)

    user: Mapped[StaffUser] = relationship()
    token = None  # the raw token, known only in the request that made or read it (not stored)


class AuditEvent(db.Model):
    """Who did what, when (UTC). `detail` never holds response content or secrets."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    # Kept as text too, so the log still says who after an account is deleted.
    actor: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    ip: Mapped[str | None] = mapped_column(String(64))


class AnswerTheme(db.Model):
    """A theme a member of staff gave to one free-text answer."""

    __tablename__ = "answer_theme"
    __table_args__ = (UniqueConstraint("answer_id", "theme"), Index("ix_answer_theme_theme", "theme"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    answer_id: Mapped[int] = mapped_column(ForeignKey("answer.id", ondelete="CASCADE"), index=True)
    theme: Mapped[str] = mapped_column(String(80))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
