"""The chase list: which parish councils have answered, and where each invitation link stands."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from app.staff.reporting.scoping import DbSession
from app.surveys.parishes import Parish
from app.surveys.survey_models import Invitation, Response


@dataclass(frozen=True)
class ChaseRow:
    parish: str
    display_name: str
    answered: bool
    answered_at: datetime | None
    invitation_status: str  # "no link sent" | "not used" | "opened" | "answered" | "revoked"


@dataclass(frozen=True)
class UnlistedAnswer:
    name: str  # as the council wrote it under "Not in the list"
    answered_at: datetime


def unlisted_answers(
    session: DbSession, survey_slug: str, round_: str, parishes: Iterable[Parish]
) -> list[UnlistedAnswer]:
    """Councils that answered under a name the parish list does not have, newest first.

    The parish list may be incomplete, so "not in the list" is a normal way to answer: staff
    see these councils beside the chase list and can add them to `parishes.yaml`.
    """
    known = set()
    for parish in parishes:
        known |= {parish.name.casefold(), parish.display_name.casefold(), *(f.casefold() for f in parish.formerly)}
    name_col = func.coalesce(Invitation.respondent_name, Response.respondent_name)
    rows = session.execute(
        select(name_col, func.max(Response.submitted_at))
        .select_from(Response)
        .outerjoin(Invitation, Response.invitation_id == Invitation.id)
        .where(
            Response.survey_slug == survey_slug,
            Response.round == round_,
            Response.is_current.is_(True),
            Response.respondent_type == "parish",
        )
        .group_by(name_col)
    ).all()
    found = [UnlistedAnswer(name, at) for name, at in rows if name and name.strip().casefold() not in known]
    return sorted(found, key=lambda answer: answer.answered_at, reverse=True)


def chase_list(
    session: DbSession,
    survey_slug: str,
    round_: str,
    parishes: Iterable[Parish],
    status_of: Callable[[Invitation], str],
) -> list[ChaseRow]:
    """Every active parish, whether it has answered and where its invitation link stands.

    `parishes` are objects with .name and .display_name; `status_of(invitation)` is the
    surveys feature's invitation status function. Answers are matched on the council's name
    (the respondent name of the response or of the invitation it came through).
    """
    answered: dict[str, datetime] = {}
    name_col = func.coalesce(Invitation.respondent_name, Response.respondent_name)
    for name, at in session.execute(
        select(name_col, func.max(Response.submitted_at))
        .select_from(Response)
        .outerjoin(Invitation, Response.invitation_id == Invitation.id)
        .where(
            Response.survey_slug == survey_slug,
            Response.round == round_,
            Response.is_current.is_(True),
            Response.respondent_type == "parish",
        )
        .group_by(name_col)
    ).all():
        if name:
            answered[name.casefold()] = at
    latest: dict[str, Invitation] = {}
    for invitation in session.scalars(
        select(Invitation)
        .where(
            Invitation.survey_slug == survey_slug, Invitation.round == round_, Invitation.respondent_type == "parish"
        )
        .order_by(Invitation.created_at, Invitation.id)
    ):
        latest[invitation.respondent_name.casefold()] = invitation  # the newest wins
    rows = []
    for parish in parishes:
        keys = {parish.name.casefold(), parish.display_name.casefold()}
        answered_at = next((answered[k] for k in keys if k in answered), None)
        newest = next((latest[k] for k in keys if k in latest), None)
        status = status_of(newest) if newest is not None else "no link sent"
        rows.append(ChaseRow(parish.name, parish.display_name, answered_at is not None, answered_at, status))
    return rows
