"""The outbox: queue messages, send them within a time budget, retry, and record every outcome.

A message is claimed (queued → sending) before it is sent, so two runs of
`flask mail send-queued` never send the same row. The invitation link is made only at the
moment of sending and recorded (as a hash, by the surveys feature) only once the server has
accepted the message: a refused or timed-out message changes no invitation, so every link
that worked before still works, and staff can retry.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, func, select, update

from app.clock import utcnow
from app.extensions import db
from app.mail import TEMPLATES, templates
from app.mail.mail_models import MailMessage
from app.mail.mail_settings import MailSettings, settings_from
from app.mail.transport import MailError, Transport, build_message, transport_for
from app.site import SETTINGS
from app.surveys import invitations, library, scheduling
from app.surveys.questions.definitions import SurveyDefinition
from app.surveys.survey_models import Invitation, Response

log = logging.getLogger("app.mail")

# A web request hands messages to the server for at most this long; the rest wait for
# `flask mail send-queued` (cron) or the staff page's "Send waiting messages now".
WEB_BUDGET_SECONDS = 4.0
# A row left "sending" this long ago was cut off mid-send (a killed worker): its outcome is unknown.
STALE_AFTER = timedelta(minutes=10)


@dataclass
class Outcome:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    waiting: int = 0

    def sentence(self) -> str:
        parts = [f"{self.sent} sent"]
        if self.failed:
            parts.append(f"{self.failed} failed")
        if self.skipped:
            parts.append(f"{self.skipped} no longer needed")
        if self.waiting:
            parts.append(f"{self.waiting} waiting to be sent")
        return ", ".join(parts) + "."


def settings() -> MailSettings:
    return settings_from(current_app.config, instance_dir=current_app.instance_path)


def transport() -> Transport | None:
    return transport_for(settings(), current_app.config.get("PRODUCTION", False))


def can_send() -> bool:
    return transport() is not None


def closes_text(survey: SurveyDefinition) -> str:
    closes: date | None = scheduling.closes_on(survey)
    return closes.strftime("%A %-d %B %Y").replace("  ", " ") if closes else "the closing date on the survey"


def _content(name: str) -> Any:
    return current_app.extensions["content"].get(name)


def _template(name: str) -> templates.EmailTemplate:
    found = _content(TEMPLATES).get(name)
    if found is None:
        raise ValueError(f"the email template {name} has problems: run flask content check")
    return found


def values_for(
    survey: SurveyDefinition, link: str, council: str | None = None, ward: str | None = None
) -> dict[str, str]:
    site = _content(SETTINGS)
    base = str(current_app.config["SITE_URL"]).rstrip("/")
    return {
        "partnership": str(site.get("name") or current_app.config.get("SITE_NAME", "")),
        "contact_email": str(site.get("contact_email") or ""),
        "survey": survey.title,
        "closes": closes_text(survey),
        "link": link,
        "print_link": f"{base}/consultations/{survey.slug}/print",
        "site_url": base + "/",
        "council": council or "",
        "ward": ward or "",
    }


def enqueue(
    survey: SurveyDefinition,
    template: str,
    respondent_name: str,
    respondent_type: str,
    recipient: str,
    ward: str | None = None,
    invitation_id: int | None = None,
    created_by_id: int | None = None,
    actor: str = "command line",
    insisted: bool = False,
) -> MailMessage:
    """Add one message to the outbox (the caller commits)."""
    message = MailMessage(
        template=template,
        survey_slug=survey.slug,
        round=survey.round,
        respondent_name=respondent_name,
        respondent_type=respondent_type,
        ward=ward,
        recipient=recipient,
        invitation_id=invitation_id,
        status="queued",
        created_by_id=created_by_id,
        actor=actor[:254],
        insisted=insisted,
        created_at=utcnow(),
    )
    db.session.add(message)
    return message


def _claim(message_id: int) -> bool:
    claimed = cast(
        CursorResult,
        db.session.execute(
            update(MailMessage)
            .where(MailMessage.id == message_id, MailMessage.status == "queued")
            .values(status="sending", claimed_at=utcnow(), attempts=MailMessage.attempts + 1)
        ),
    ).rowcount
    db.session.commit()
    return claimed == 1


def _finish(message_id: int, status: str, outcome: str, invitation_id: int | None = None) -> None:
    message = db.session.get(MailMessage, message_id)
    if message is None:
        return
    message.status = status
    message.outcome = outcome[:300]
    if status == "sent":
        message.sent_at = utcnow()
    if invitation_id is not None:
        message.invitation_id = invitation_id
    db.session.commit()


def answered_names(survey_slug: str, round_: str) -> set[str]:
    """Councils (casefolded names) with a current answer, online or on paper."""
    name = func.coalesce(Invitation.respondent_name, Response.respondent_name)
    rows = db.session.scalars(
        select(name)
        .select_from(Response)
        .outerjoin(Invitation, Response.invitation_id == Invitation.id)
        .where(Response.survey_slug == survey_slug, Response.round == round_, Response.is_current.is_(True))
        .distinct()
    )
    return {n.casefold() for n in rows if n}


def _reason_not_to_send(message: MailMessage, invitation: Invitation | None) -> str | None:
    if message.template != "reminder":
        return None
    if invitation is None or invitation.is_revoked:
        return "Not sent: the council's link was revoked after the reminder was queued."
    if (message.respondent_name or "").casefold() in answered_names(message.survey_slug, message.round):
        return "Not sent: the council answered after the reminder was queued."
    return None


def send_one(message_id: int, timeout: float) -> str:
    """Send one queued message; returns its new status ("sent", "failed", "skipped" or "" if not claimed)."""
    if not _claim(message_id):
        return ""
    message = db.session.get(MailMessage, message_id)
    assert message is not None
    chosen = transport()
    if chosen is None:
        _release(message_id)
        return ""
    survey = library.survey(message.survey_slug)
    invitation = db.session.get(Invitation, message.invitation_id) if message.invitation_id else None
    if survey is None or survey.round != message.round:
        _finish(message_id, "failed", "Not sent: the survey is no longer in content/surveys/.")
        return "failed"
    reason = _reason_not_to_send(message, invitation)
    if reason:
        _finish(message_id, "skipped", reason)
        return "skipped"
    token = invitations.new_token()
    link = invitations.link_for(token, current_app.config["SITE_URL"])
    try:
        rendered = templates.render(
            _template(message.template), values_for(survey, link, _addressee(message), message.ward)
        )
        email = build_message(settings(), message.recipient or "", rendered)
    except (ValueError, OSError) as error:
        _finish(message_id, "failed", f"Not sent: {error}")
        return "failed"
    # No transaction is open while the server is talked to, so a slow server never holds a database lock.
    db.session.commit()
    try:
        chosen.send(email, timeout)
    except MailError as error:
        log.warning("mail failed id=%s template=%s: %s", message_id, message.template, error)
        _finish(message_id, "failed", str(error))
        return "failed"
    created_by = message.created_by_id
    if message.template == "reminder" and invitation is not None:
        invitations.replace_token(invitation, token)
        new_id = invitation.id
    elif (current := _active_invitation(message)) is not None:
        new_id = invitations.reissue(current, created_by_id=created_by, token=token)[0].id
    else:
        new_id = invitations.issue(
            survey,
            message.respondent_name or "",
            message.respondent_type or "parish",
            ward=message.ward,
            created_by_id=created_by,
            token=token,
        )[0].id
    _finish(message_id, "sent", "Accepted by the mail server.", invitation_id=new_id)
    log.info("mail sent id=%s template=%s", message_id, message.template)
    return "sent"


def _active_invitation(message: MailMessage) -> Invitation | None:
    """The respondent's working link now (not when queued: another send may have replaced it)."""
    return db.session.scalar(
        select(Invitation)
        .where(
            Invitation.survey_slug == message.survey_slug,
            Invitation.round == message.round,
            Invitation.respondent_type == message.respondent_type,
            func.lower(Invitation.respondent_name) == (message.respondent_name or "").lower(),
            Invitation.revoked_at.is_(None),
        )
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        .limit(1)
    )


def _addressee(message: MailMessage) -> str:
    """ "Foxton Parish Council" for a parish; a councillor's name as staff typed it."""
    name = message.respondent_name or ""
    if message.respondent_type == "parish":
        parish = library.find_parish(name)
        if parish is not None:
            return parish.display_name
    return name


def _release(message_id: int) -> None:
    db.session.execute(
        update(MailMessage)
        .where(MailMessage.id == message_id)
        .values(status="queued", attempts=MailMessage.attempts - 1)
    )
    db.session.commit()


def process(ids: list[int] | None = None, budget: float | None = None) -> Outcome:
    """Send queued messages (these ids, or all), oldest first, stopping when the budget runs out."""
    outcome = Outcome()
    query = select(MailMessage.id).where(MailMessage.status == "queued").order_by(MailMessage.id)
    if ids is not None:
        query = query.where(MailMessage.id.in_(ids)) if ids else query.where(MailMessage.id.is_(None))
    pending = list(db.session.scalars(query))
    db.session.commit()
    if transport() is None:
        outcome.waiting = len(pending)
        return outcome
    limit = settings().timeout
    deadline = time.monotonic() + budget if budget is not None else None
    for index, message_id in enumerate(pending):
        timeout = limit
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining < 0.5:
                outcome.waiting = len(pending) - index
                break
            timeout = min(limit, remaining)
        status = send_one(message_id, timeout)
        if status == "sent":
            outcome.sent += 1
        elif status == "failed":
            outcome.failed += 1
        elif status == "skipped":
            outcome.skipped += 1
    return outcome


def retry(message: MailMessage) -> bool:
    """Put a failed (or cut-off) message back in the queue; False if it cannot be retried."""
    if not is_failed(message):
        return False
    message.status = "queued"
    message.outcome = None
    db.session.commit()
    return True


def is_failed(message: MailMessage) -> bool:
    if message.status == "failed":
        return True
    return (
        message.status == "sending" and message.claimed_at is not None and utcnow() - message.claimed_at > STALE_AFTER
    )


def for_survey(survey_slug: str, round_: str, limit: int = 500) -> list[MailMessage]:
    return list(
        db.session.scalars(
            select(MailMessage)
            .where(MailMessage.survey_slug == survey_slug, MailMessage.round == round_)
            .order_by(MailMessage.created_at.desc(), MailMessage.id.desc())
            .limit(limit)
        )
    )


def waiting_count(survey_slug: str | None = None) -> int:
    query = select(func.count()).select_from(MailMessage).where(MailMessage.status == "queued")
    if survey_slug is not None:
        query = query.where(MailMessage.survey_slug == survey_slug)
    return db.session.scalar(query) or 0


def last_sent_at(survey_slug: str, round_: str, template: str) -> dict[str, datetime]:
    """When each council was last sent (or queued) this kind of message, by casefolded name."""
    when = func.coalesce(MailMessage.sent_at, MailMessage.created_at)
    rows = db.session.execute(
        select(MailMessage.respondent_name, func.max(when))
        .where(
            MailMessage.survey_slug == survey_slug,
            MailMessage.round == round_,
            MailMessage.template == template,
            MailMessage.status.in_(("queued", "sending", "sent")),
        )
        .group_by(MailMessage.respondent_name)
    )
    return {name.casefold(): at for name, at in rows if name}


def send_resume_link(address: str, link: str, survey: SurveyDefinition) -> bool:
    """Email a resident the link to finish a survey later, now, within the web budget.

    The address is used for this message only: the record says a resident was sent a link
    and the outcome, never the address or the link.
    """
    record = MailMessage(
        template="resume",
        survey_slug=survey.slug,
        round=survey.round,
        recipient=None,
        status="sending",
        attempts=1,
        actor="resident",
        claimed_at=utcnow(),
        created_at=utcnow(),
    )
    db.session.add(record)
    db.session.commit()
    record_id = record.id
    chosen = transport()
    if chosen is None:
        _finish(record_id, "failed", "Not sent: email is not set up on this server.")
        return False
    try:
        rendered = templates.render(_template("resume"), values_for(survey, link))
        chosen.send(build_message(settings(), address, rendered), min(settings().timeout, WEB_BUDGET_SECONDS))
    except (MailError, ValueError) as error:
        _finish(record_id, "failed", str(error))
        return False
    _finish(record_id, "sent", "Accepted by the mail server.")
    return True


def forget_addresses(survey_slug: str | None = None, round_: str | None = None, before: datetime | None = None) -> int:
    """Blank the addresses in the record of sends (kept as long as contact details in answers)."""
    query = update(MailMessage).where(
        MailMessage.recipient.is_not(None), MailMessage.status.in_(("sent", "failed", "skipped"))
    )
    if survey_slug is not None:
        query = query.where(MailMessage.survey_slug == survey_slug, MailMessage.round == round_)
    if before is not None:
        query = query.where(MailMessage.created_at < before)
    return cast(CursorResult, db.session.execute(query.values(recipient=None))).rowcount or 0
