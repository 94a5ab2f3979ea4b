"""Which responses a staff figure counts: a survey, a round and optional filters.

Every reporting function takes a SQLAlchemy session and a `Scope`, and counts in the database
(GROUP BY over `Answer` joined to current responses), so a page costs a handful of queries
whatever the number of responses. No Flask here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.orm import Session, scoped_session

from app.surveys.survey_models import Answer, Response

# A plain session, or Flask-SQLAlchemy's request-scoped one.
DbSession = Session | scoped_session[Any]

RESPONDENT_TYPES = ("parish", "councillor", "resident")
CHANNELS = ("online", "paper", "sample")
TYPE_NOUNS = {
    "parish": ("parish council", "parish councils"),
    "councillor": ("district councillor", "district councillors"),
    "resident": ("resident", "residents"),
}


def respondent_types_for(audience: str) -> tuple[str, ...]:
    """The respondent types a survey can have: a filter offering any other could only show 0.

    A residents' survey has one type, so it gets no respondent type filter at all.
    """
    return ("parish", "councillor") if audience == "parish" else ()


@dataclass(frozen=True)
class Filters:
    respondent_type: str | None = None
    area: str | None = None
    channel: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.respondent_type or self.area or self.channel)


@dataclass(frozen=True)
class Scope:
    survey_slug: str
    round: str
    filters: Filters = field(default_factory=Filters)

    def conditions(self) -> list[ColumnElement[bool]]:
        conds: list[ColumnElement[bool]] = [
            Response.survey_slug == self.survey_slug,
            Response.round == self.round,
            Response.is_current.is_(True),
        ]
        f = self.filters
        if f.respondent_type:
            conds.append(Response.respondent_type == f.respondent_type)
        if f.area:
            conds.append(Response.area == f.area)
        if f.channel:
            conds.append(Response.channel == f.channel)
        return conds


def percent(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def answers_query(scope: Scope, *columns: Any) -> Select[Any]:
    return (
        select(*columns)
        .select_from(Answer)
        .join(Response, Answer.response_id == Response.id)
        .where(*scope.conditions())
    )
