"""Survey responses, answers, drafts, invitations and the definition versions they answered.

Every response keeps the exact definition it answered (`SurveyVersion`), so changing next
year's questions never makes an old response unreadable. Answers are stored twice on purpose:
`Response.answers` is the complete copy as submitted; `Answer` rows are one per question part
so staff results are aggregated by the database (GROUP BY), not in Python.
"""

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.extensions import db

__all__ = ["SurveyVersion", "Invitation", "Draft", "Response", "Answer", "RoundSetting", "PublishedSummary"]


class SurveyVersion(db.Model):
    """One exact version of a survey definition, identified by the hash of its content."""

    __tablename__ = "survey_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_slug: Mapped[str] = mapped_column(String(100), index=True)
    round: Mapped[str] = mapped_column(String(20))
    definition_hash: Mapped[str] = mapped_column(String(64), unique=True)
    definition: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Invitation(db.Model):
    """A personal link for one parish council (or district councillor) for one round.

    Only the SHA-256 of the token is stored: the link itself is shown once, when issued.
    """

    __tablename__ = "invitation"
    __table_args__ = (Index("ix_invitation_survey_round", "survey_slug", "round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_slug: Mapped[str] = mapped_column(String(100))
    round: Mapped[str] = mapped_column(String(20))
    respondent_name: Mapped[str] = mapped_column(String(200))
    respondent_type: Mapped[str] = mapped_column(String(20))  # "parish" or "councillor"
    ward: Mapped[str | None] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    first_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Draft(db.Model):
    """Answers in progress, kept server-side so a refresh or an error loses nothing.

    `key` is a random value held in the respondent's session, or `invitation:<id>` for a
    council answering through its link. Drafts past `expires_at` are deleted.
    `resume_token_hash` is the SHA-256 of the one "come back later" link a resident asked
    for; asking again replaces it, so only the newest link works.
    """

    __tablename__ = "draft"
    __table_args__ = (UniqueConstraint("key", "survey_slug"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(100))
    survey_slug: Mapped[str] = mapped_column(String(100))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow, index=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    # The stored size of `answers`, so the total kept for everyone can be bounded (draft_rules).
    size_bytes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)


class Response(db.Model):
    """One submitted response. Written in one transaction with its `Answer` rows."""

    __tablename__ = "response"
    __table_args__ = (Index("ix_response_survey_round_current", "survey_slug", "round", "is_current"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    # Idempotency key from a hidden form field: a double-click or retry makes one row.
    submission_key: Mapped[str] = mapped_column(String(64), unique=True)
    survey_slug: Mapped[str] = mapped_column(String(100))
    round: Mapped[str] = mapped_column(String(20))
    version_id: Mapped[int] = mapped_column(ForeignKey("survey_version.id"))
    audience: Mapped[str] = mapped_column(String(20))  # "parish" or "resident"
    respondent_type: Mapped[str] = mapped_column(String(20))  # "parish", "councillor", "resident"
    respondent_name: Mapped[str | None] = mapped_column(String(200))  # the council, never a resident
    area: Mapped[str | None] = mapped_column(String(200), index=True)  # parish or area, if given
    channel: Mapped[str] = mapped_column(String(10), default="online")  # "online" or "paper"
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id", ondelete="SET NULL"), index=True)
    # A council may amend its answer: the latest submission counts, earlier ones stay as history.
    is_current: Mapped[bool] = mapped_column(Boolean, default=True)
    supersedes_id: Mapped[int | None] = mapped_column(ForeignKey("response.id", ondelete="SET NULL"))
    # A keyed hash (never the address itself) used only to flag likely duplicates for review.
    duplicate_fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    possible_duplicate: Mapped[bool] = mapped_column(Boolean, default=False)
    answers: Mapped[dict] = mapped_column(JSON)
    submitted_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    personal_data_purged_at: Mapped[datetime | None] = mapped_column(DateTime)

    version: Mapped[SurveyVersion] = relationship()
    invitation: Mapped[Invitation | None] = relationship()
    answer_rows: Mapped[list["Answer"]] = relationship(
        back_populates="response", cascade="all, delete-orphan", passive_deletes=True
    )


class Answer(db.Model):
    """One part of one answer, for aggregation.

    `part` says which part: "" for a single value, "1"/"2"/"3" for ranked positions, the item
    id for a rating grid, "other" for "Other (please specify)" text, "issues:<option>" for the
    specific issues behind a ranked priority. `personal` marks contact details and free text
    that retention and the anonymised export must drop.
    """

    __tablename__ = "answer"
    # Results are counted from this index alone (see app/staff/reporting/tally.py): with response_id last
    # it covers the GROUP BY (question_id, part, value) in index order and the scope check.
    __table_args__ = (Index("ix_answer_question_cover", "question_id", "part", "value", "response_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[str] = mapped_column(String(100))
    part: Mapped[str] = mapped_column(String(120), default="")
    value: Mapped[str] = mapped_column(Text)
    personal: Mapped[bool] = mapped_column(Boolean, default=False)

    response: Mapped[Response] = relationship(back_populates="answer_rows")


class RoundSetting(db.Model):
    """Staff overrides of a survey's dates: closed early or extended.

    The survey definition's `closes` comes from content; when a row here has
    `closes_override`, that date is the last day the survey accepts responses.
    """

    __tablename__ = "round_setting"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_slug: Mapped[str] = mapped_column(String(100), unique=True)
    closes_override: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))


class PublishedSummary(db.Model):
    """A "You said, we did" page: staff commentary plus figures frozen when it was published.

    The figures are a snapshot (JSON) so later responses or a retention purge never change
    what the public has already read.
    """

    __tablename__ = "published_summary"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    survey_slug: Mapped[str] = mapped_column(String(100), unique=True)
    round: Mapped[str] = mapped_column(String(20))
    commentary: Mapped[str] = mapped_column(Text, default="")
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    published_at: Mapped[datetime | None] = mapped_column(DateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
