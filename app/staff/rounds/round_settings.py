"""Staff overrides of a survey's closing date (RoundSetting), as staff pages see them.

The survey journey belongs to the surveys feature, which reads the same table through its
own repository (see the report to the lead): staff depends on surveys, never the reverse.
"""

from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.surveys.models import RoundSetting


def setting_for(slug: str) -> RoundSetting | None:
    return db.session.scalar(select(RoundSetting).where(RoundSetting.survey_slug == slug))


def overrides() -> dict[str, date]:
    return {s.survey_slug: s.closes_override for s in db.session.scalars(select(RoundSetting))
            if s.closes_override is not None}


def effective_closes(survey, override: date | None = None) -> date | None:
    if override is None:
        setting = setting_for(survey.slug)
        override = setting.closes_override if setting else None
    return override or survey.closes


def effective_status(survey, today: date, override: date | None = None) -> str:
    if survey.is_historic:
        return "closed"
    closes = effective_closes(survey, override)
    if survey.opens and today < survey.opens:
        return "upcoming"
    return "closed" if closes and today > closes else "open"
