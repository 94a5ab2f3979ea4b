"""Deleting personal data once it is no longer needed (UK GDPR storage limitation).

Personal data in a response: answers to questions marked `personal: true` (contact details)
and any answer flagged personal (free text the survey or staff marked). Those Answer rows are
deleted and blanked in the response's stored copy; everything else stays, anonymous, for
comparing years. Expired drafts are deleted too. Each run is written to the audit log.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm.attributes import flag_modified

from app.extensions import db
from app.staff.auth import audit
from app import clock
from app.surveys.models import Answer, Draft, Response

BATCH = 500


@dataclass
class PurgeReport:
    responses: int = 0
    answers: int = 0
    drafts: int = 0


def add_months(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(survey, closes: date | None) -> date | None:
    """The first day personal data from this survey may no longer be kept."""
    if closes is None:
        return None
    return add_months(closes, survey.retention_months) + timedelta(days=1)


def personal_question_ids(survey) -> set[str]:
    return {q.id for q in survey.questions if q.personal}


def _blank(answers: dict, question_id: str, part: str) -> None:
    """Remove one answer part from a response's stored copy (format: surveys/validation.py)."""
    if part == "other":
        answers.pop(f"{question_id}:other", None)
    elif part.startswith("issues:"):
        value = answers.get(question_id)
        if isinstance(value, dict):
            value.pop(part[len("issues:"):], None)
    elif part == "":
        answers.pop(question_id, None)
    else:
        value = answers.get(question_id)
        if isinstance(value, dict):
            value.pop(part, None)
        elif value is not None:
            answers.pop(question_id, None)


def _purge(conditions: list, surveys_by_slug: dict, dry_run: bool) -> PurgeReport:
    report = PurgeReport()
    now = clock.now()
    pending = [Response.personal_data_purged_at.is_(None), *conditions]
    slugs = db.session.scalars(select(Response.survey_slug).where(*pending).distinct()).all()
    for slug in slugs:
        survey = surveys_by_slug.get(slug)
        personal_ids = personal_question_ids(survey) if survey else set()
        personal = or_(Answer.personal.is_(True), Answer.question_id.in_(personal_ids)) if personal_ids else Answer.personal.is_(True)
        last_id = 0
        while True:
            responses = db.session.scalars(
                select(Response).where(*pending, Response.survey_slug == slug, Response.id > last_id)
                .order_by(Response.id).limit(BATCH)
            ).all()
            if not responses:
                break
            last_id = responses[-1].id
            ids = [r.id for r in responses]
            parts: dict[int, list[tuple[str, str]]] = {}
            for response_id, question_id, part in db.session.execute(
                select(Answer.response_id, Answer.question_id, Answer.part).where(Answer.response_id.in_(ids), personal)
            ).all():
                parts.setdefault(response_id, []).append((question_id, part))
            report.responses += len(responses)
            report.answers += sum(len(p) for p in parts.values())
            if dry_run:
                continue
            for response in responses:
                answers = dict(response.answers or {})
                for question_id in personal_ids:
                    answers.pop(question_id, None)
                    answers.pop(f"{question_id}:other", None)
                for question_id, part in parts.get(response.id, ()):
                    _blank(answers, question_id, part)
                response.answers = answers
                flag_modified(response, "answers")
                response.personal_data_purged_at = now
            db.session.execute(delete(Answer).where(Answer.response_id.in_(ids), personal))
            db.session.flush()
    expired = Draft.expires_at < now
    report.drafts = db.session.scalar(select(func.count()).select_from(Draft).where(expired)) or 0
    if not dry_run:
        db.session.execute(delete(Draft).where(expired))
    return report


def purge_older_than(age: timedelta, surveys, dry_run: bool = False, user=None, actor: str | None = None) -> PurgeReport:
    """Personal data from every response submitted more than `age` ago (the CLI's --older-than)."""
    cutoff = clock.now() - age
    report = _purge([Response.submitted_at < cutoff], {s.slug: s for s in surveys}, dry_run)
    if dry_run:
        db.session.rollback()
    else:
        audit.record("personal data purged", f"responses older than {age.days} days: {report.responses} responses, "
                     f"{report.answers} answers, {report.drafts} expired drafts", user=user, actor=actor, commit=False)
        db.session.commit()
    return report


def purge_survey(survey, today: date, closes: date | None, user=None) -> PurgeReport:
    """Personal data from one survey whose retention period has ended (the admin page)."""
    due = due_date(survey, closes)
    if due is None or today < due:
        raise ValueError(f"Personal data from {survey.slug} must be kept until {due}")
    report = _purge([Response.survey_slug == survey.slug, Response.round == survey.round], {survey.slug: survey}, False)
    audit.record("personal data purged", f"survey {survey.slug}, round {survey.round}: {report.responses} responses, "
                 f"{report.answers} answers, {report.drafts} expired drafts", user=user, commit=False)
    db.session.commit()
    return report


def not_yet_purged(survey) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Response)
        .where(Response.survey_slug == survey.slug, Response.round == survey.round, Response.personal_data_purged_at.is_(None))
    ) or 0
