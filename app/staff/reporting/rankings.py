"""Ranked questions ("your top three priorities") and the issues given beneath each option.

Ranking rule: an option scores 3 points for each first place, 2 for second and 1 for third
(with `count` places, place n scores count + 1 - n). Options are ordered by points, then by
number of first places; options equal on both share a rank (1, 2, 2, 4) and are listed
alphabetically. Shares are percentages of the respondents who answered that ranked question
(gave a first place). Counting goes through tally.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from app.staff.reporting.scoping import DbSession, Scope, answers_query, percent
from app.staff.reporting.tally import Tally, tally
from app.surveys.questions.answer_format import ISSUES_PREFIX, issues_option, rank_part, rank_place
from app.surveys.questions.definitions import Option
from app.surveys.survey_models import Answer


def rank_label(rank: int | None, tied: bool) -> str:
    """ "3=" for a shared third place, "–" for an option nobody chose."""
    if rank is None:
        return "–"
    return f"{rank}=" if tied else str(rank)


@dataclass(frozen=True)
class RankedOption:
    option_id: str
    label: str
    rank: int | None  # None when nobody chose it
    tied: bool
    first: int
    top: int  # anywhere in the top `count`
    points: int
    by_position: tuple[int, ...]
    first_percent: float | None
    top_percent: float | None

    @property
    def rank_label(self) -> str:
        return rank_label(self.rank, self.tied)


@dataclass(frozen=True)
class Ranking:
    question_id: str
    count: int
    respondents: int
    options: tuple[RankedOption, ...]


def rank_options(
    counts: dict[str, list[int]], labels: dict[str, str], respondents: int, count: int, question_id: str = ""
) -> Ranking:
    """Turn per-position counts into a ranking (the arithmetic, separate from the query)."""
    scored = []
    for option_id in list(labels) + sorted(set(counts) - set(labels)):
        positions = (counts.get(option_id) or [0] * count)[:count]
        positions = positions + [0] * (count - len(positions))
        points = sum(n * (count - i) for i, n in enumerate(positions))
        scored.append((option_id, positions, points))
    scored.sort(key=lambda s: (-s[2], -s[1][0], labels.get(s[0], s[0]).casefold(), s[0]))
    keys = [(points, positions[0]) for _, positions, points in scored]
    options = []
    for option_id, positions, points in scored:
        top = sum(positions)
        key = (points, positions[0])
        if top:
            rank = 1 + sum(1 for k in keys if k > key)
            tied = keys.count(key) > 1
        else:
            rank, tied = None, False
        options.append(
            RankedOption(
                option_id=option_id,
                label=labels.get(option_id, option_id),
                rank=rank,
                tied=tied,
                first=positions[0],
                top=top,
                points=points,
                by_position=tuple(positions),
                first_percent=percent(positions[0], respondents),
                top_percent=percent(top, respondents),
            )
        )
    return Ranking(question_id, count, respondents, tuple(options))


def ranking_from(counts: Tally, question_id: str, options: Iterable[Option], count: int = 3) -> Ranking:
    """The ranking from tallied answers. Respondents who answered = those who gave a first place."""
    per_option: dict[str, list[int]] = defaultdict(lambda: [0] * count)
    for part, values in counts.parts(question_id).items():
        place = rank_place(part)
        if place is not None and 1 <= place <= count:
            for value, n in values.items():
                per_option[value][place - 1] += n
    respondents = sum(counts.values(question_id, rank_part(1)).values())
    return rank_options(dict(per_option), {o.id: o.label for o in options}, respondents, count, question_id)


def ranked(session: DbSession, scope: Scope, question_id: str, options: Iterable[Option], count: int = 3) -> Ranking:
    """Per option: first places, top-`count` places, points, shares, ties. `options` are
    objects with .id and .label (the question's options, in their order)."""
    return ranking_from(tally(session, scope, [question_id]), question_id, options, count)


@dataclass(frozen=True)
class IssueText:
    text: str
    count: int


@dataclass(frozen=True)
class OptionIssues:
    option_id: str
    total: int
    texts: tuple[IssueText, ...]  # the most often given first, at most `limit`


def issues_by_option(
    session: DbSession, scope: Scope, issues_question_id: str, limit: int = 10
) -> dict[str, OptionIssues]:
    """The specific issues given beneath each chosen option (parts "issues:<option>").

    Identical texts are counted together; only the `limit` most frequent per option come back
    (a window function keeps that in the database), with the total for a "see all" link.
    """
    part_col = Answer.part
    totals: dict[str, int] = dict(
        session.execute(
            answers_query(scope, part_col, func.count())
            .where(Answer.question_id == issues_question_id, part_col.like(ISSUES_PREFIX + "%"))
            .group_by(part_col)
        ).all()
    )
    if not totals:
        return {}
    grouped = (
        answers_query(scope, part_col.label("part"), Answer.value.label("value"), func.count().label("n"))
        .where(Answer.question_id == issues_question_id, part_col.like(ISSUES_PREFIX + "%"))
        .group_by(part_col, Answer.value)
        .subquery()
    )
    numbered = select(
        grouped.c.part,
        grouped.c.value,
        grouped.c.n,
        func.row_number().over(partition_by=grouped.c.part, order_by=(grouped.c.n.desc(), grouped.c.value)).label("rn"),
    ).subquery()
    rows = session.execute(
        select(numbered.c.part, numbered.c.value, numbered.c.n)
        .where(numbered.c.rn <= limit)
        .order_by(numbered.c.part, numbered.c.rn)
    ).all()
    texts: dict[str, list[IssueText]] = defaultdict(list)
    for part, value, n in rows:
        texts[part].append(IssueText(value, n))
    return {
        option: OptionIssues(option, total, tuple(texts.get(part, ())))
        for part, total in totals.items()
        if (option := issues_option(part)) is not None
    }
