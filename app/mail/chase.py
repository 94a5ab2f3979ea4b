"""Where each council's invitation email stands, for the chase list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from sqlalchemy import select

from app.extensions import db
from app.mail.mail_models import MailMessage
from app.mail.outbox import is_failed
from app.mail.planning import latest_invitations
from app.surveys.questions.definitions import SurveyDefinition


class ChaseRowLike(Protocol):
    @property
    def parish(self) -> str: ...

    @property
    def answered(self) -> bool: ...


def labels(survey: SurveyDefinition, rows: Iterable[ChaseRowLike]) -> dict[str, str]:
    """Parish name → "answered", "link opened", "bounced or failed", "waiting to send",
    "sent on 3 November 2026", "link made, not emailed" or "not sent"."""
    latest = latest_invitations(survey)
    newest: dict[str, MailMessage] = {}
    for sent in db.session.scalars(
        select(MailMessage)
        .where(
            MailMessage.survey_slug == survey.slug,
            MailMessage.round == survey.round,
            MailMessage.respondent_type == "parish",
            MailMessage.status != "skipped",
        )
        .order_by(MailMessage.created_at, MailMessage.id)
    ):
        newest[(sent.respondent_name or "").casefold()] = sent
    found = {}
    for row in rows:
        key = row.parish.casefold()
        invitation = latest.get(key)
        message: MailMessage | None = newest.get(key)
        if row.answered:
            label = "answered"
        elif invitation is not None and not invitation.is_revoked and invitation.first_used_at is not None:
            label = "link opened"
        elif message is not None and is_failed(message):
            label = "bounced or failed"
        elif message is not None and message.status in ("queued", "sending"):
            label = "waiting to send"
        elif message is not None and message.status == "sent" and message.sent_at is not None:
            label = f"sent on {message.sent_at.strftime('%-d %B %Y')}"
        elif invitation is not None and not invitation.is_revoked:
            label = "link made, not emailed"
        else:
            label = "not sent"
        found[row.parish] = label
    return found
