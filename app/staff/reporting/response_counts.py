"""How many responses a round has: by respondent type, by channel, by week, and by area."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.staff.reporting.scoping import RESPONDENT_TYPES, TYPE_NOUNS, DbSession, Scope
from app.surveys.survey_models import Response


@dataclass(frozen=True)
class TypeCount:
    respondent_type: str
    count: int

    @property
    def noun(self) -> str:
        singular, plural = TYPE_NOUNS.get(self.respondent_type, (self.respondent_type, self.respondent_type))
        return singular if self.count == 1 else plural


@dataclass(frozen=True)
class SurveyCount:
    survey_slug: str
    total: int
    by_type: tuple[TypeCount, ...]
    paper: int

    @property
    def sentence(self) -> str:
        """'13 responses: 12 parish councils, 1 district councillor'."""
        head = f"{self.total} response{'s' if self.total != 1 else ''}"
        if not self.by_type:
            return head
        return head + ": " + ", ".join(f"{t.count} {t.noun}" for t in self.by_type)


def survey_count(session: DbSession, scope: Scope) -> SurveyCount:
    rows = session.execute(
        select(Response.respondent_type, Response.channel, func.count())
        .where(*scope.conditions())
        .group_by(Response.respondent_type, Response.channel)
    ).all()
    by_type: dict[str, int] = defaultdict(int)
    paper = 0
    for rtype, channel, n in rows:
        by_type[rtype] += n
        if channel == "paper":
            paper += n
    order = {t: i for i, t in enumerate(RESPONDENT_TYPES)}
    types = tuple(TypeCount(t, n) for t, n in sorted(by_type.items(), key=lambda kv: (order.get(kv[0], 99), kv[0])))
    return SurveyCount(scope.survey_slug, sum(by_type.values()), types, paper)


def count_responses(session: DbSession, scope: Scope) -> int:
    return session.scalar(select(func.count()).select_from(Response).where(*scope.conditions())) or 0


@dataclass(frozen=True)
class WeekCount:
    week_starting: date
    count: int


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def responses_by_week(session: DbSession, scopes: list[Scope]) -> list[WeekCount]:
    """Responses per week (weeks start on Monday), every week from the first to the last.

    The database counts per day (portable SQL); folding at most a few hundred days into weeks
    is done here.
    """
    if not scopes:
        return []
    day = func.date(Response.submitted_at)
    per_day: dict[date, int] = defaultdict(int)
    for scope in scopes:
        for value, n in session.execute(select(day, func.count()).where(*scope.conditions()).group_by(day)).all():
            if value is not None:
                per_day[_as_date(value)] += n
    if not per_day:
        return []
    weeks: dict[date, int] = defaultdict(int)
    for d, n in per_day.items():
        weeks[d - timedelta(days=d.weekday())] += n
    first, last = min(weeks), max(weeks)
    result, week = [], first
    while week <= last:
        result.append(WeekCount(week, weeks.get(week, 0)))
        week += timedelta(days=7)
    return result


def areas(session: DbSession, survey_slug: str, round_: str) -> list[str]:
    """The areas respondents gave, for the filter list."""
    rows = session.scalars(
        select(Response.area)
        .where(
            Response.survey_slug == survey_slug,
            Response.round == round_,
            Response.is_current.is_(True),
            Response.area.is_not(None),
        )
        .distinct()
    ).all()
    return sorted((a for a in rows if a), key=str.casefold)
