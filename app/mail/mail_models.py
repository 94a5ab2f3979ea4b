"""The outbox: one row per message, queued, then sent or failed. It is also the record of every send.

A row says who asked for the message, when, which template, which council (or, for
invitations to a councillor, which address), and the outcome. It never holds the invitation
token: the link is made at the moment of sending, so only the message itself carries it.
A resident's address for a "save and come back later" link is never stored here either.
"""

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.extensions import db

__all__ = ["MailMessage"]

STATUSES = ("queued", "sending", "sent", "failed", "skipped")


# mypy cannot see Flask-SQLAlchemy's `db.Model`.
class MailMessage(db.Model):  # type: ignore[name-defined]
    __tablename__ = "mail_message"
    __table_args__ = (
        Index("ix_mail_message_survey_round", "survey_slug", "round"),
        Index("ix_mail_message_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    template: Mapped[str] = mapped_column(String(20))  # "invitation", "reminder" or "resume"
    survey_slug: Mapped[str] = mapped_column(String(100))
    round: Mapped[str] = mapped_column(String(20))
    respondent_name: Mapped[str | None] = mapped_column(String(200))
    respondent_type: Mapped[str | None] = mapped_column(String(20))
    ward: Mapped[str | None] = mapped_column(String(200))
    # The address a council or councillor is written to; None for a resident's message.
    recipient: Mapped[str | None] = mapped_column(String(254))
    # The invitation the message is about: the one it replaces while queued, the one it
    # carries once sent.
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    outcome: Mapped[str | None] = mapped_column(String(300))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    insisted: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    actor: Mapped[str] = mapped_column(String(254), default="command line")
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
