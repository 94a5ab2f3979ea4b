"""Free text for staff to read: written answers, searchable and tagged with themes."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, distinct, func, literal, or_, select

from app.staff.reporting.scoping import DbSession, Scope, answers_query
from app.staff.staff_models import AnswerTheme
from app.surveys.questions.answer_format import OTHER
from app.surveys.survey_models import Answer, Response


@dataclass(frozen=True)
class FreeText:
    answer_id: int
    question_id: str
    part: str
    text: str
    personal: bool
    reference: str
    respondent_type: str
    area: str | None
    channel: str
    submitted_at: datetime
    themes: tuple[str, ...]


@dataclass(frozen=True)
class FreeTextPage:
    items: tuple[FreeText, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped.lower()}%"


def free_text_condition(text_question_ids: Collection[str], other_question_ids: Collection[str]) -> ColumnElement[bool]:
    """Which Answer rows are free text: whole text questions, and the "other" and
    "issues:" parts of choice questions."""
    conds: list[ColumnElement[bool]] = []
    if text_question_ids:
        conds.append(Answer.question_id.in_(list(text_question_ids)))
    if other_question_ids:
        conds.append(and_(Answer.question_id.in_(list(other_question_ids)), Answer.part == OTHER))
    return or_(*conds) if conds else literal(False)


def free_text(
    session: DbSession,
    scope: Scope,
    text_question_ids: Collection[str],
    other_question_ids: Collection[str],
    *,
    question_id: str | None = None,
    search: str | None = None,
    theme: str | None = None,
    page: int = 1,
    per_page: int = 50,
) -> FreeTextPage:
    conds = [free_text_condition(text_question_ids, other_question_ids)]
    if question_id:
        conds.append(Answer.question_id == question_id)
    if search:
        conds.append(func.lower(Answer.value).like(_like_pattern(search), escape="\\"))
    if theme:
        conds.append(Answer.id.in_(select(AnswerTheme.answer_id).where(AnswerTheme.theme == theme)))
    total = session.scalar(answers_query(scope, func.count()).where(*conds)) or 0
    rows = session.execute(
        answers_query(
            scope,
            Answer.id,
            Answer.question_id,
            Answer.part,
            Answer.value,
            Answer.personal,
            Response.reference,
            Response.respondent_type,
            Response.area,
            Response.channel,
            Response.submitted_at,
        )
        .where(*conds)
        .order_by(Response.submitted_at.desc(), Answer.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    ids = [r[0] for r in rows]
    themes: dict[int, list[str]] = defaultdict(list)
    if ids:
        for answer_id, name in session.execute(
            select(AnswerTheme.answer_id, AnswerTheme.theme)
            .where(AnswerTheme.answer_id.in_(ids))
            .order_by(AnswerTheme.theme)
        ).all():
            themes[answer_id].append(name)
    items = tuple(
        FreeText(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7], r[8], r[9], tuple(themes.get(r[0], ())))
        for r in rows
    )
    return FreeTextPage(items, total, page, per_page)


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    count: int


def theme_counts(session: DbSession, scope: Scope) -> list[ThemeCount]:
    rows = session.execute(
        answers_query(scope, AnswerTheme.theme, func.count(distinct(AnswerTheme.answer_id)))
        .join(AnswerTheme, AnswerTheme.answer_id == Answer.id)
        .group_by(AnswerTheme.theme)
        .order_by(func.count(distinct(AnswerTheme.answer_id)).desc(), AnswerTheme.theme)
    ).all()
    return [ThemeCount(t, n) for t, n in rows]
