"""Who an invitation or reminder action would write to, shown on the confirm step before anything is queued."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.mail import outbox
from app.surveys.parishes import Parish
from app.surveys.questions.definitions import SurveyDefinition
from app.surveys.survey_models import Invitation

REMINDER_GAP = timedelta(days=3)


@dataclass(frozen=True)
class Recipient:
    name: str
    respondent_type: str
    ward: str | None
    email: str
    invitation_id: int | None = None  # the link this message replaces (invitation) or renews (reminder)


@dataclass
class Plan:
    send: list[Recipient] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # invited already (invitations) / reminded lately (reminders)
    answered: list[str] = field(default_factory=list)
    revoked: list[str] = field(default_factory=list)
    not_invited: list[str] = field(default_factory=list)


def latest_invitations(survey: SurveyDefinition, respondent_type: str = "parish") -> dict[str, Invitation]:
    """The newest invitation per respondent (casefolded name)."""
    latest: dict[str, Invitation] = {}
    for invitation in db.session.scalars(
        select(Invitation)
        .where(
            Invitation.survey_slug == survey.slug,
            Invitation.round == survey.round,
            Invitation.respondent_type == respondent_type,
        )
        .order_by(Invitation.created_at, Invitation.id)
    ):
        latest[invitation.respondent_name.casefold()] = invitation
    return latest


def plan_invitations(survey: SurveyDefinition, parishes: Iterable[Parish], replace: bool = False) -> Plan:
    """Invitations for these parishes. A parish already emailed an invitation this round is left
    out unless `replace`; sending replaces any link it had (the old one stops working)."""
    plan = Plan()
    latest = latest_invitations(survey)
    emailed = outbox.last_sent_at(survey.slug, survey.round, "invitation")
    for parish in parishes:
        key = parish.name.casefold()
        if not parish.email:
            plan.no_address.append(parish.display_name)
            continue
        if key in emailed and not replace:
            plan.already.append(parish.display_name)
            continue
        current = latest.get(key)
        active = current.id if current is not None and not current.is_revoked else None
        plan.send.append(Recipient(parish.name, "parish", parish.ward, parish.email, active))
    return plan


def councillor_recipient(survey: SurveyDefinition, name: str, ward: str, email: str) -> Recipient:
    current = latest_invitations(survey, "councillor").get(name.strip().casefold())
    active = current.id if current is not None and not current.is_revoked and (current.ward or "") == ward else None
    return Recipient(name.strip(), "councillor", ward.strip(), email.strip(), active)


def plan_reminders(
    survey: SurveyDefinition, parishes: Iterable[Parish], insist: bool = False, now: datetime | None = None
) -> Plan:
    """Reminders to the councils on the chase list that have not answered and hold a working link."""
    plan = Plan()
    now = now or utcnow()
    latest = latest_invitations(survey)
    answered = outbox.answered_names(survey.slug, survey.round)
    reminded = outbox.last_sent_at(survey.slug, survey.round, "reminder")
    for parish in parishes:
        key = parish.name.casefold()
        invitation = latest.get(key)
        if key in answered or parish.display_name.casefold() in answered:
            plan.answered.append(parish.display_name)
        elif invitation is None:
            plan.not_invited.append(parish.display_name)
        elif invitation.is_revoked:
            plan.revoked.append(parish.display_name)
        elif not parish.email:
            plan.no_address.append(parish.display_name)
        elif key in reminded and now - reminded[key] < REMINDER_GAP and not insist:
            plan.already.append(parish.display_name)
        else:
            plan.send.append(Recipient(parish.name, "parish", parish.ward, parish.email, invitation.id))
    return plan


def queue(
    survey: SurveyDefinition,
    template: str,
    recipients: Iterable[Recipient],
    created_by_id: int | None,
    actor: str,
    insisted: bool = False,
) -> list[int]:
    messages = [
        outbox.enqueue(
            survey,
            template,
            r.name,
            r.respondent_type,
            r.email,
            ward=r.ward,
            invitation_id=r.invitation_id,
            created_by_id=created_by_id,
            actor=actor,
            insisted=insisted,
        )
        for r in recipients
    ]
    db.session.commit()
    return [m.id for m in messages]
