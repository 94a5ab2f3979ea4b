"""How answers are stored: the one place that writes the format and reads it back. No Flask here.

A response keeps its answers twice: a JSON copy exactly as the respondent left them
(`Response.answers`) and one `Answer` row per answer part, which the staff results count.

Stored copy, by question id: a string (single choice, yes/no, text, date, parish), a list
(tick-all-that-apply; ranked in order of preference), or a dict (rating grid: item id → scale
id; issues: option id → text). Text typed into "Something else" is kept under "<qid>:other".

`Answer.part` says which part of a question a row holds:

- `""` (WHOLE): the whole answer, or one ticked option of a tick-all-that-apply question;
- `"1"`, `"2"`, …: a place in a ranked question;
- an item id: one row of a rating grid;
- `"other"` (OTHER): the "Something else" text;
- `"issues:<option id>"`: the issues written beneath one chosen option.

A paper form keyed in by staff may leave questions blank. The stored copy lists them under
`"_not_answered"` (question ids, or `"<qid>/<item or option id>"` for one grid row or one
priority's issues), and each becomes an `Answer` row with question id `"_not-answered"`,
the entry as its part and "not answered on the form" as its value: results count them
apart, and no question's percentages change.
"""

from __future__ import annotations

from typing import Any

from app.surveys.questions.definitions import Question, SurveyDefinition

WHOLE = ""
NOT_ANSWERED_KEY = "_not_answered"  # in the stored copy: what a paper form left blank
NOT_ANSWERED_ID = "_not-answered"  # Answer.question_id of those rows; Answer.part names the question
NOT_ANSWERED_VALUE = "not answered on the form"
OTHER = "other"
ISSUES_PREFIX = "issues:"
AnswerRow = tuple[str, str, str, bool]  # question id, part, value, personal


def other_key(question_id: str) -> str:
    """Where the stored copy keeps "Something else" text for a question."""
    return f"{question_id}:{OTHER}"


def rank_part(place: int) -> str:
    return str(place)


def rank_place(part: str) -> int | None:
    """The place a ranked part holds (1 for first), or None for any other part."""
    return int(part) if part.isdigit() else None


def issues_part(option_id: str) -> str:
    return ISSUES_PREFIX + option_id


def issues_option(part: str) -> str | None:
    """The option an issues part is about, or None for any other part."""
    return part[len(ISSUES_PREFIX) :] if part.startswith(ISSUES_PREFIX) else None


def is_written(part: str) -> bool:
    """Parts that hold what someone typed, not an option they chose."""
    return part == OTHER or part.startswith(ISSUES_PREFIX)


def answer_rows(survey: SurveyDefinition, answers: dict[str, Any]) -> list[AnswerRow]:
    """The `Answer` rows for a stored copy of the answers."""
    rows: list[AnswerRow] = [
        (NOT_ANSWERED_ID, str(where), NOT_ANSWERED_VALUE, False) for where in answers.get(NOT_ANSWERED_KEY) or []
    ]
    for q in survey.questions:
        value = answers.get(q.id)
        personal = q.personal
        if value is not None:
            if q.issues_for and isinstance(value, dict):
                rows += [(q.id, issues_part(option_id), text, personal) for option_id, text in value.items()]
            elif q.type == "multiple":
                rows += [(q.id, WHOLE, v, personal) for v in value]
            elif q.type == "ranked":
                rows += [(q.id, rank_part(n), v, personal) for n, v in enumerate(value, start=1) if v]
            elif q.type == "rating" and isinstance(value, dict):
                rows += [(q.id, item_id, scale_id, personal) for item_id, scale_id in value.items()]
            else:
                rows.append((q.id, WHOLE, str(value), personal))
        other = answers.get(other_key(q.id))
        if other:
            # Free text someone typed: treat as personal on a resident survey, where it could
            # identify them; a council's "other" is the council's view.
            written_personal = personal or (survey.audience == "resident" and q.type != "parish")
            rows.append((q.id, OTHER, other, written_personal))
    return rows


def blank_question(answers: dict[str, Any], question_id: str) -> None:
    """Remove a whole question, with its "Something else" text, from a stored copy."""
    answers.pop(question_id, None)
    answers.pop(other_key(question_id), None)


def blank_part(answers: dict[str, Any], question_id: str, part: str) -> None:
    """Remove the answer part one `Answer` row holds from a stored copy."""
    option = issues_option(part)
    if part == OTHER:
        answers.pop(other_key(question_id), None)
    elif option is not None:
        value = answers.get(question_id)
        if isinstance(value, dict):
            value.pop(option, None)
    elif part == WHOLE:
        answers.pop(question_id, None)
    else:
        value = answers.get(question_id)
        if isinstance(value, dict):
            value.pop(part, None)
        elif value is not None:
            answers.pop(question_id, None)


def describe(survey: SurveyDefinition | None, question_id: str, part: str, value: str) -> tuple[str, str, str]:
    """(question, part, answer) in words for one `Answer` row; ids where the survey file has none."""
    question: Question | None = survey.question(question_id) if survey else None
    label = question.label if question else question_id
    option = issues_option(part)
    if option is not None:
        target = survey.question(question.issues_for) if survey and question and question.issues_for else None
        part_label = target.option_label(option) if target else option
    elif part == OTHER:
        part_label = "Other (details)"
    elif question and question.type == "ranked":
        part_label = f"Choice {part}"
    elif question and question.type == "rating":
        part_label = question.option_label(part)
    else:
        part_label = part
    shown = value
    if question and question.type == "rating":
        shown = next((o.label for o in question.scale if o.id == value), value)
    elif question and not is_written(part):
        if question.type == "yesno":
            shown = {"yes": "Yes", "no": "No"}.get(value, value)
        elif question.type in ("single", "multiple", "ranked"):
            shown = question.option_label(value)
    return label, part_label, shown
