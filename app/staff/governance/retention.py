"""Deleting personal data once it is no longer needed (UK GDPR storage limitation).

Personal data in a response: answers to questions marked `personal: true` (contact details)
and any answer flagged personal (free text the survey or staff marked). This module decides
what is due and records each run in the audit log; the surveys repository deletes those
answers, blanks them in the response's stored copy and deletes expired drafts. Everything
else stays, anonymous, for comparing years.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from app import clock
from app.extensions import db
from app.mail.outbox import forget_addresses
from app.staff.auth import audit
from app.surveys import repository
from app.surveys.questions.definitions import SurveyDefinition
from app.surveys.repository import PurgeCounts as PurgeReport


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


def purge_older_than(
    age: timedelta, surveys, dry_run: bool = False, user=None, actor: str | None = None
) -> PurgeReport:
    """Personal data from every response submitted more than `age` ago (the CLI's --older-than)."""
    cutoff = clock.now() - age
    personal = {s.slug: personal_question_ids(s) for s in surveys}
    report = repository.purge_personal_data(personal, clock.now(), dry_run=dry_run, submitted_before=cutoff)
    if not dry_run:
        forget_addresses(before=cutoff)
    if dry_run:
        db.session.rollback()
    else:
        audit.record(
            "personal data purged",
            f"responses older than {age.days} days: {report.responses} responses, "
            f"{report.answers} answers, {report.drafts} expired drafts",
            user=user,
            actor=actor,
            commit=False,
        )
        db.session.commit()
    return report


def purge_survey(survey, today: date, closes: date | None, user=None) -> PurgeReport:
    """Personal data from one survey whose retention period has ended (the admin page)."""
    due = due_date(survey, closes)
    if due is None or today < due:
        raise ValueError(f"Personal data from {survey.slug} must be kept until {due}")
    report = repository.purge_personal_data(
        {survey.slug: personal_question_ids(survey)},
        clock.now(),
        dry_run=False,
        survey_round=(survey.slug, survey.round),
    )
    forget_addresses(survey.slug, survey.round)
    audit.record(
        "personal data purged",
        f"survey {survey.slug}, round {survey.round}: {report.responses} responses, "
        f"{report.answers} answers, {report.drafts} expired drafts",
        user=user,
        commit=False,
    )
    db.session.commit()
    return report


def not_yet_purged(survey: SurveyDefinition) -> int:
    return repository.not_yet_purged(survey.slug, survey.round)
