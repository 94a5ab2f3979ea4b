"""Aggregating a round's answers for staff, in the database. No Flask here.

Every function takes a SQLAlchemy session and a `Scope` (survey, round, filters) and returns
plain dataclasses. Counting is done with GROUP BY over `Answer` joined to current responses,
so a page costs a handful of queries whatever the number of responses, and no response is
ever loaded into Python to be counted.

Ranking rule (ranked questions, e.g. "top three priorities"): an option scores 3 points for
each first place, 2 for second and 1 for third (with `count` places, place n scores
count + 1 - n). Options are ordered by points, then by number of first places; options equal
on both share a rank (1, 2, 2, 4) and are listed alphabetically. Shares are percentages of
the respondents who answered that ranked question (gave a first place).

Counting goes through tally.py, which picks the fastest exact way for each database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, distinct, func, literal, or_, select
from sqlalchemy.orm import Session

from app.staff.models import AnswerTheme
from app.staff.tally import Tally, tally
from app.surveys.models import Answer, Invitation, Response

RESPONDENT_TYPES = ("parish", "councillor", "resident")
CHANNELS = ("online", "paper", "sample")
TYPE_NOUNS = {
    "parish": ("parish council", "parish councils"),
    "councillor": ("district councillor", "district councillors"),
    "resident": ("resident", "residents"),
}


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

    def conditions(self) -> list:
        conds = [Response.survey_slug == self.survey_slug, Response.round == self.round, Response.is_current.is_(True)]
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


def answers_query(scope: Scope, *columns):
    return select(*columns).select_from(Answer).join(Response, Answer.response_id == Response.id).where(*scope.conditions())


# --- counts --------------------------------------------------------------------------------

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


def survey_count(session: Session, scope: Scope) -> SurveyCount:
    rows = session.execute(
        select(Response.respondent_type, Response.channel, func.count())
        .where(*scope.conditions()).group_by(Response.respondent_type, Response.channel)
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


def count_responses(session: Session, scope: Scope) -> int:
    return session.scalar(select(func.count()).select_from(Response).where(*scope.conditions())) or 0


@dataclass(frozen=True)
class WeekCount:
    week_starting: date
    count: int


def _as_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def responses_by_week(session: Session, scopes: list[Scope]) -> list[WeekCount]:
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


def areas(session: Session, survey_slug: str, round_: str) -> list[str]:
    """The areas respondents gave, for the filter list."""
    rows = session.scalars(
        select(Response.area).where(Response.survey_slug == survey_slug, Response.round == round_,
                                    Response.is_current.is_(True), Response.area.is_not(None)).distinct()
    ).all()
    return sorted((a for a in rows if a), key=str.casefold)


# --- ranked questions ----------------------------------------------------------------------

def rank_label(rank: int | None, tied: bool) -> str:
    """"3=" for a shared third place, "–" for an option nobody chose."""
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


def rank_options(counts: dict[str, list[int]], labels: dict[str, str], respondents: int, count: int,
                 question_id: str = "") -> Ranking:
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
        options.append(RankedOption(
            option_id=option_id, label=labels.get(option_id, option_id), rank=rank, tied=tied,
            first=positions[0], top=top, points=points, by_position=tuple(positions),
            first_percent=percent(positions[0], respondents), top_percent=percent(top, respondents),
        ))
    return Ranking(question_id, count, respondents, tuple(options))


def ranking_from(counts: Tally, question_id: str, options, count: int = 3) -> Ranking:
    """The ranking from tallied answers. Respondents who answered = those who gave a first place."""
    per_option: dict[str, list[int]] = defaultdict(lambda: [0] * count)
    for part, values in counts.parts(question_id).items():
        if part.isdigit() and 1 <= int(part) <= count:
            for value, n in values.items():
                per_option[value][int(part) - 1] += n
    respondents = sum(counts.values(question_id, "1").values())
    return rank_options(dict(per_option), {o.id: o.label for o in options}, respondents, count, question_id)


def ranked(session: Session, scope: Scope, question_id: str, options, count: int = 3) -> Ranking:
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


def issues_by_option(session: Session, scope: Scope, issues_question_id: str, limit: int = 10) -> dict[str, OptionIssues]:
    """The specific issues given beneath each chosen option (parts "issues:<option>").

    Identical texts are counted together; only the `limit` most frequent per option come back
    (a window function keeps that in the database), with the total for a "see all" link.
    """
    part_col = Answer.part
    totals = dict(session.execute(
        answers_query(scope, part_col, func.count())
        .where(Answer.question_id == issues_question_id, part_col.like("issues:%"))
        .group_by(part_col)
    ).all())
    if not totals:
        return {}
    grouped = (
        answers_query(scope, part_col.label("part"), Answer.value.label("value"), func.count().label("n"))
        .where(Answer.question_id == issues_question_id, part_col.like("issues:%"))
        .group_by(part_col, Answer.value)
        .subquery()
    )
    numbered = select(
        grouped.c.part, grouped.c.value, grouped.c.n,
        func.row_number().over(partition_by=grouped.c.part, order_by=(grouped.c.n.desc(), grouped.c.value)).label("rn"),
    ).subquery()
    rows = session.execute(
        select(numbered.c.part, numbered.c.value, numbered.c.n).where(numbered.c.rn <= limit)
        .order_by(numbered.c.part, numbered.c.rn)
    ).all()
    texts: dict[str, list[IssueText]] = defaultdict(list)
    for part, value, n in rows:
        texts[part].append(IssueText(value, n))
    return {
        part.split(":", 1)[1]: OptionIssues(part.split(":", 1)[1], total, tuple(texts.get(part, ())))
        for part, total in totals.items()
    }


# --- single, multiple and rating questions -------------------------------------------------

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


def _distribution(question_id: str, part: str, counts: dict[str, int], options, answered: int) -> Distribution:
    labels = {o.id: o.label for o in options}
    ids = list(labels) + sorted(set(counts) - set(labels))
    return Distribution(question_id, part, answered, tuple(
        Share(i, labels.get(i, i), counts.get(i, 0), percent(counts.get(i, 0), answered)) for i in ids
    ))


def distribution_from(counts: Tally, question_id: str, options, part: str = "") -> Distribution:
    values = counts.values(question_id, part)
    return _distribution(question_id, part, values, options, sum(values.values()))


def distribution(session: Session, scope: Scope, question_id: str, options, part: str = "") -> Distribution:
    """Counts and percentages for a single-choice (or yes/no) question."""
    return distribution_from(tally(session, scope, [question_id]), question_id, options, part)


def multiple(session: Session, scope: Scope, question_id: str, options) -> Distribution:
    """Tick-all-that-apply: percentages are of respondents who ticked anything, so they can add up to more than 100."""
    counts = dict(session.execute(
        answers_query(scope, Answer.value, func.count(distinct(Answer.response_id)))
        .where(Answer.question_id == question_id, Answer.part == "").group_by(Answer.value)
    ).all())
    answered = session.scalar(
        answers_query(scope, func.count(distinct(Answer.response_id))).where(Answer.question_id == question_id, Answer.part == "")
    ) or 0
    return _distribution(question_id, "", counts, options, answered)


@dataclass(frozen=True)
class RatedItem(Distribution):
    label: str = ""


def rating_from(counts: Tally, question_id: str, items, scale) -> list[RatedItem]:
    """One distribution per rated item (not a problem / a bit / a big problem / don't know)."""
    per_item = counts.parts(question_id)
    labels = {i.id: i.label for i in items}
    result = []
    for item_id in [i.id for i in items] + sorted(set(per_item) - set(labels)):
        values = per_item.get(item_id, {})
        d = _distribution(question_id, item_id, values, scale, sum(values.values()))
        result.append(RatedItem(d.question_id, d.part, d.answered, d.shares, labels.get(item_id, item_id)))
    return result


def rating(session: Session, scope: Scope, question_id: str, items, scale) -> list[RatedItem]:
    return rating_from(tally(session, scope, [question_id]), question_id, items, scale)


# --- free text -----------------------------------------------------------------------------

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


def free_text_condition(text_question_ids, other_question_ids):
    """Which Answer rows are free text: whole text questions, and the "other" and
    "issues:" parts of choice questions."""
    conds = []
    if text_question_ids:
        conds.append(Answer.question_id.in_(list(text_question_ids)))
    if other_question_ids:
        conds.append(and_(Answer.question_id.in_(list(other_question_ids)), Answer.part == "other"))
    return or_(*conds) if conds else literal(False)


def free_text(session: Session, scope: Scope, text_question_ids, other_question_ids, *, question_id: str | None = None,
              search: str | None = None, theme: str | None = None, page: int = 1, per_page: int = 50) -> FreeTextPage:
    conds = [free_text_condition(text_question_ids, other_question_ids)]
    if question_id:
        conds.append(Answer.question_id == question_id)
    if search:
        conds.append(func.lower(Answer.value).like(_like_pattern(search), escape="\\"))
    if theme:
        conds.append(Answer.id.in_(select(AnswerTheme.answer_id).where(AnswerTheme.theme == theme)))
    total = session.scalar(answers_query(scope, func.count()).where(*conds)) or 0
    rows = session.execute(
        answers_query(scope, Answer.id, Answer.question_id, Answer.part, Answer.value, Answer.personal, Response.reference,
                 Response.respondent_type, Response.area, Response.channel, Response.submitted_at)
        .where(*conds).order_by(Response.submitted_at.desc(), Answer.id).limit(per_page).offset((page - 1) * per_page)
    ).all()
    ids = [r[0] for r in rows]
    themes: dict[int, list[str]] = defaultdict(list)
    if ids:
        for answer_id, name in session.execute(
            select(AnswerTheme.answer_id, AnswerTheme.theme).where(AnswerTheme.answer_id.in_(ids)).order_by(AnswerTheme.theme)
        ).all():
            themes[answer_id].append(name)
    items = tuple(FreeText(r[0], r[1], r[2], r[3], bool(r[4]), r[5], r[6], r[7], r[8], r[9], tuple(themes.get(r[0], ())))
                  for r in rows)
    return FreeTextPage(items, total, page, per_page)


@dataclass(frozen=True)
class ThemeCount:
    theme: str
    count: int


def theme_counts(session: Session, scope: Scope) -> list[ThemeCount]:
    rows = session.execute(
        answers_query(scope, AnswerTheme.theme, func.count(distinct(AnswerTheme.answer_id)))
        .join(AnswerTheme, AnswerTheme.answer_id == Answer.id)
        .group_by(AnswerTheme.theme).order_by(func.count(distinct(AnswerTheme.answer_id)).desc(), AnswerTheme.theme)
    ).all()
    return [ThemeCount(t, n) for t, n in rows]


# --- chase list ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ChaseRow:
    parish: str
    display_name: str
    answered: bool
    answered_at: datetime | None
    invitation_status: str  # "no link sent" | "not used" | "opened" | "answered" | "revoked"


def chase_list(session: Session, survey_slug: str, round_: str, parishes, status_of) -> list[ChaseRow]:
    """Every active parish, whether it has answered and where its invitation link stands.

    `parishes` are objects with .name and .display_name; `status_of(invitation)` is the
    surveys feature's invitation status function. Answers are matched on the council's name
    (the respondent name of the response or of the invitation it came through).
    """
    answered: dict[str, datetime] = {}
    name_col = func.coalesce(Invitation.respondent_name, Response.respondent_name)
    for name, at in session.execute(
        select(name_col, func.max(Response.submitted_at))
        .select_from(Response).outerjoin(Invitation, Response.invitation_id == Invitation.id)
        .where(Response.survey_slug == survey_slug, Response.round == round_, Response.is_current.is_(True),
               Response.respondent_type == "parish")
        .group_by(name_col)
    ).all():
        if name:
            answered[name.casefold()] = at
    latest: dict[str, Invitation] = {}
    for invitation in session.scalars(
        select(Invitation).where(Invitation.survey_slug == survey_slug, Invitation.round == round_,
                                 Invitation.respondent_type == "parish")
        .order_by(Invitation.created_at, Invitation.id)
    ):
        latest[invitation.respondent_name.casefold()] = invitation  # the newest wins
    rows = []
    for parish in parishes:
        keys = {parish.name.casefold(), parish.display_name.casefold()}
        at = next((answered[k] for k in keys if k in answered), None)
        invitation = next((latest[k] for k in keys if k in latest), None)
        status = status_of(invitation) if invitation is not None else "no link sent"
        rows.append(ChaseRow(parish.name, parish.display_name, at is not None, at, status))
    return rows

