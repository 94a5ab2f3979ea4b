"""All the results for one survey, question by question, as plain data. No Flask here.

Used by the results page, the XLSX summary sheet and the published summary, so the three
always agree. Contact details (personal questions) and the council-name question are never
aggregated; free text is only counted here (staff read it on the free-text page).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from app.staff.reporting import distributions, rankings, response_counts, scoping
from app.staff.reporting.scoping import DbSession
from app.staff.reporting.tally import tally
from app.surveys.questions.answer_format import NOT_ANSWERED_ID, NOT_ANSWERED_VALUE
from app.surveys.questions.definitions import Question, SurveyDefinition


@dataclass(frozen=True)
class Section:
    question: Question
    kind: str  # ranked | single | multiple | rating | text
    ranking: rankings.Ranking | None = None
    issues: dict[str, rankings.OptionIssues] | None = (
        None  # option id → OptionIssues, for a ranked question with issues
    )
    issues_question_id: str | None = None
    distribution: distributions.Distribution | None = None
    rated: tuple[distributions.RatedItem, ...] | None = None
    answered: int | None = None  # text questions: how many answered
    not_answered: int = 0  # paper forms that left the whole question blank (in no percentage)
    rows_not_answered: dict[str, int] | None = None  # rating grids: item id → paper forms that left that row blank


@dataclass(frozen=True)
class SurveyResults:
    survey: SurveyDefinition
    scope: scoping.Scope
    count: response_counts.SurveyCount
    sections: tuple[Section, ...]


def text_question_ids(survey: SurveyDefinition) -> list[str]:
    return [q.id for q in survey.questions if q.type in ("text", "longtext") and not _contact(q)]


def other_question_ids(survey: SurveyDefinition) -> list[str]:
    return [q.id for q in survey.questions if q.other]


def _contact(question: Question) -> bool:
    """Contact details: personal short text (names, emails) is never shown in results."""
    return question.personal and question.type == "text"


def build(session: DbSession, survey: SurveyDefinition, filters: scoping.Filters | None = None) -> SurveyResults:
    scope = scoping.Scope(survey.slug, survey.round, filters or scoping.Filters())
    issues_for = {q.issues_for: q for q in survey.questions if q.issues_for}
    shown = [
        q
        for q in survey.questions
        if not (_contact(q) or q.type == "date" or q.issues_for or (q.type == "parish" and survey.audience == "parish"))
    ]
    # The council that answered (parish surveys) is the chase list's business, not a result.
    choice_ids = [q.id for q in shown if q.type in ("ranked", "single", "yesno", "parish", "rating")]
    text_ids = [q.id for q in shown if q.type in ("text", "longtext")] + [q.id for q in issues_for.values()]
    counts = tally(session, scope, choice_ids + [NOT_ANSWERED_ID], text_ids)
    blank = {part: values.get(NOT_ANSWERED_VALUE, 0) for part, values in counts.parts(NOT_ANSWERED_ID).items()}
    sections = []
    for q in shown:
        issues_q = issues_for.get(q.id)
        issues = None
        if issues_q is not None and counts.written(issues_q.id):
            issues = rankings.issues_by_option(session, scope, issues_q.id)
        if q.type == "ranked":
            sections.append(
                Section(
                    q,
                    "ranked",
                    ranking=rankings.ranking_from(counts, q.id, q.options, q.count),
                    issues=issues,
                    issues_question_id=issues_q.id if issues_q else None,
                )
            )
        elif q.type in ("single", "yesno", "parish"):
            sections.append(Section(q, "single", distribution=distributions.distribution_from(counts, q.id, q.choices)))
        elif q.type == "multiple":
            sections.append(
                Section(
                    q,
                    "multiple",
                    distribution=distributions.multiple(session, scope, q.id, q.options),
                    issues=issues,
                    issues_question_id=issues_q.id if issues_q else None,
                )
            )
        elif q.type == "rating":
            sections.append(
                Section(q, "rating", rated=tuple(distributions.rating_from(counts, q.id, q.items, q.scale)))
            )
        elif q.type in ("text", "longtext"):
            sections.append(Section(q, "text", answered=counts.written(q.id)))
    sections = [_with_blanks(section, blank) for section in sections]
    return SurveyResults(survey, scope, response_counts.survey_count(session, scope), tuple(sections))


def _with_blanks(section: Section, blank: dict[str, int]) -> Section:
    qid: str = getattr(section.question, "id", "")
    found = {part.split("/", 1)[1]: n for part, n in blank.items() if part.startswith(qid + "/")}
    order = [item.id for item in getattr(section.question, "items", ())]
    ranked = sorted(found, key=lambda i: (order.index(i) if i in order else len(order), i))
    rows = {item_id: found[item_id] for item_id in ranked}
    return replace(section, not_answered=blank.get(qid, 0), rows_not_answered=rows or None)
