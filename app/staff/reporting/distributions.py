"""Single-choice, tick-all-that-apply and rating questions: counts and percentages per option."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import distinct, func

from app.staff.reporting.scoping import DbSession, Scope, answers_query, percent
from app.staff.reporting.tally import Tally, tally
from app.surveys.questions.answer_format import WHOLE
from app.surveys.questions.definitions import Option
from app.surveys.survey_models import Answer


@dataclass(frozen=True)
class Share:
    option_id: str
    label: str
    count: int
    percent: float | None


@dataclass(frozen=True)
class Distribution:
    question_id: str
    part: str
    answered: int  # respondents who answered (the denominator)
    shares: tuple[Share, ...]

    def share(self, option_id: str) -> Share | None:
        return next((s for s in self.shares if s.option_id == option_id), None)


def _distribution(
    question_id: str, part: str, counts: dict[str, int], options: Sequence[Option], answered: int
) -> Distribution:
    labels = {o.id: o.label for o in options}
    ids = list(labels) + sorted(set(counts) - set(labels))
    return Distribution(
        question_id,
        part,
        answered,
        tuple(Share(i, labels.get(i, i), counts.get(i, 0), percent(counts.get(i, 0), answered)) for i in ids),
    )


def distribution_from(counts: Tally, question_id: str, options: Sequence[Option], part: str = "") -> Distribution:
    values = counts.values(question_id, part)
    return _distribution(question_id, part, values, options, sum(values.values()))


def distribution(
    session: DbSession, scope: Scope, question_id: str, options: Sequence[Option], part: str = ""
) -> Distribution:
    """Counts and percentages for a single-choice (or yes/no) question."""
    return distribution_from(tally(session, scope, [question_id]), question_id, options, part)


def multiple(session: DbSession, scope: Scope, question_id: str, options: Sequence[Option]) -> Distribution:
    """Tick-all-that-apply: percentages are of respondents who ticked anything, so they can add up to more than 100."""
    counts: dict[str, int] = dict(
        session.execute(
            answers_query(scope, Answer.value, func.count(distinct(Answer.response_id)))
            .where(Answer.question_id == question_id, Answer.part == WHOLE)
            .group_by(Answer.value)
        ).all()
    )
    answered = (
        session.scalar(
            answers_query(scope, func.count(distinct(Answer.response_id))).where(
                Answer.question_id == question_id, Answer.part == WHOLE
            )
        )
        or 0
    )
    return _distribution(question_id, "", counts, options, answered)


@dataclass(frozen=True)
class RatedItem(Distribution):
    label: str = ""


def rating_from(counts: Tally, question_id: str, items: Sequence[Option], scale: Sequence[Option]) -> list[RatedItem]:
    """One distribution per rated item (not a problem / a bit / a big problem / don't know)."""
    per_item = counts.parts(question_id)
    labels = {i.id: i.label for i in items}
    result = []
    for item_id in [i.id for i in items] + sorted(set(per_item) - set(labels)):
        values = per_item.get(item_id, {})
        d = _distribution(question_id, item_id, values, scale, sum(values.values()))
        result.append(RatedItem(d.question_id, d.part, d.answered, d.shares, labels.get(item_id, item_id)))
    return result


def rating(
    session: DbSession, scope: Scope, question_id: str, items: Sequence[Option], scale: Sequence[Option]
) -> list[RatedItem]:
    return rating_from(tally(session, scope, [question_id]), question_id, items, scale)
