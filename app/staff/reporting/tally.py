"""Counting a scope's answers in one pass per kind, in the database. No Flask here.

A results page needs, for every choice question of a survey, how many answers each
(question, part, value) got from the responses in scope (a survey, a round, current
responses, maybe filtered). That is one GROUP BY over Answer restricted to those responses.

PostgreSQL does this well as a plain join (a hash join and a hash aggregate, in parallel).
SQLite cannot hash-join: joined naively it looks up the response of every answer row, about
a microsecond each, which is seconds at 100,000 responses. So on SQLite:

- dense scope (most responses between the first and last id in scope are in scope, the
  usual case): count the answers in that id range straight from the covering index
  ix_answer_question_cover (question_id, part, value, response_id), already in GROUP BY
  order, then subtract the answers of the few out-of-scope responses in the range;
- sparse scope (a filter picks out a minority): start from the responses in scope and
  fetch their answers by response id.

Both give exact counts; `tests/integration/staff/test_staff_results.py` checks them on both
databases. `answer.question_id || ''` stops SQLite from choosing the question index where
starting from the responses is the cheaper way round.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select

from app.staff.reporting.scoping import DbSession, Scope
from app.surveys.questions.answer_format import OTHER
from app.surveys.survey_models import Answer, Response


@dataclass
class Tally:
    choices: Counter[tuple[str, ...]] = field(default_factory=Counter)  # (question_id, part, value) -> answers
    texts: Counter[tuple[str, ...]] = field(default_factory=Counter)  # (question_id, part) -> written answers

    def values(self, question_id: str, part: str = "") -> dict[str, int]:
        return {v: n for (q, p, v), n in self.choices.items() if q == question_id and p == part}

    def parts(self, question_id: str) -> dict[str, dict[str, int]]:
        found: dict[str, dict[str, int]] = {}
        for (q, p, v), n in self.choices.items():
            if q == question_id:
                found.setdefault(p, {})[v] = n
        return found

    def written(self, question_id: str) -> int:
        return sum(n for (q, _p), n in self.texts.items() if q == question_id)


@dataclass(frozen=True)
class _Span:
    count: int
    low: int | None
    high: int | None
    in_range: int  # all responses with ids from low to high, in scope or not


def _span(session: DbSession, scope: Scope) -> _Span:
    count, low, high = session.execute(
        select(func.count(), func.min(Response.id), func.max(Response.id)).where(*scope.conditions())
    ).one()
    if not count:
        return _Span(0, None, None, 0)
    in_range = session.scalar(select(func.count()).select_from(Response).where(Response.id.between(low, high))) or 0
    return _Span(count, low, high, in_range)


def _grouped(
    session: DbSession,
    scope: Scope,
    span: _Span,
    question_ids: Iterable[str],
    columns: Sequence[Any],
    extra: Sequence[Any] = (),
) -> Counter[tuple[str, ...]]:
    question_ids = list(question_ids)
    if not question_ids or not span.count:
        return Counter()
    counted = func.count()

    def run(statement: Select[Any]) -> Counter[tuple[str, ...]]:
        return Counter({tuple(row[:-1]): row[-1] for row in session.execute(statement.group_by(*columns)).all()})

    if session.get_bind().dialect.name != "sqlite":
        return run(
            select(*columns, counted)
            .select_from(Answer)
            .join(Response, Answer.response_id == Response.id)
            .where(*scope.conditions(), Answer.question_id.in_(question_ids), *extra)
        )
    in_scope = select(Response.id).where(*scope.conditions())
    outside = span.in_range - span.count
    if outside * 2 <= span.count:
        totals = run(
            select(*columns, counted).where(
                Answer.question_id.in_(question_ids), Answer.response_id.between(span.low, span.high), *extra
            )
        )
        if outside:
            others = select(Response.id).where(Response.id.between(span.low, span.high), Response.id.not_in(in_scope))
            totals.subtract(
                run(
                    select(*columns, counted).where(
                        Answer.question_id.concat("").in_(question_ids), Answer.response_id.in_(others), *extra
                    )
                )
            )
            totals = +totals  # drop groups that came to zero
        return totals
    return run(
        select(*columns, counted).where(
            Answer.question_id.concat("").in_(question_ids), Answer.response_id.in_(in_scope), *extra
        )
    )


def tally(
    session: DbSession, scope: Scope, choice_question_ids: Iterable[str] = (), text_question_ids: Iterable[str] = ()
) -> Tally:
    """Counts for choice questions (per part and value; "other" text is left out) and the
    number of written answers to text questions (per part, e.g. "issues:<option>")."""
    span = _span(session, scope)
    choices = _grouped(
        session,
        scope,
        span,
        choice_question_ids,
        (Answer.question_id, Answer.part, Answer.value),
        (Answer.part != OTHER,),
    )
    texts = _grouped(session, scope, span, text_question_ids, (Answer.question_id, Answer.part))
    return Tally(choices, texts)


def parts_present(session: DbSession, scope: Scope) -> list[tuple[str, str]]:
    """Every (question_id, part) answered in scope, for export columns. On SQLite this reads
    the id range from the covering index without subtracting out-of-scope responses: at worst
    an export gains an empty column, it never loses one."""
    span = _span(session, scope)
    if not span.count:
        return []
    columns = (Answer.question_id, Answer.part)
    if session.get_bind().dialect.name != "sqlite":
        statement = (
            select(*columns)
            .select_from(Answer)
            .join(Response, Answer.response_id == Response.id)
            .where(*scope.conditions())
        )
    else:
        statement = select(*columns).where(Answer.response_id.between(span.low, span.high))
    return [(question_id, part) for question_id, part in session.execute(statement.group_by(*columns)).all()]
