"""Paper forms keyed in by staff: the survey's side of it (the staff pages call this module).

Checking a keyed-in paper form as the respondent wrote it, and the form fields to show.

The whole survey is one staff page, so the pages are checked in order with the paper rules
of `app.surveys.questions.validation` (blanks are recorded, fewer ranked choices are kept), each page
seeing the answers above it (the issues behind the priorities chosen on the same form).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.surveys import library
from app.surveys.questions.answer_format import NOT_ANSWERED_KEY
from app.surveys.questions.definitions import OTHER_ID, Option, SurveyDefinition
from app.surveys.questions.fields import components, error_maps
from app.surveys.questions.validation import FieldError, other_key, parish_options, validate_page
from app.surveys.repository import Respondent


@dataclass
class PaperForm:
    answers: dict = field(default_factory=dict)
    errors: list[FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def not_answered(self) -> list[str]:
        return list(self.answers.get(NOT_ANSWERED_KEY) or [])


def check_paper_form(survey: SurveyDefinition, form: dict, parishes: tuple[Option, ...], today: date) -> PaperForm:
    result = PaperForm()
    not_answered: list[str] = []
    for page in survey.pages:
        checked = validate_page(survey, page, form, result.answers, parishes, today, paper=True)
        result.answers.update(checked.values)
        result.errors.extend(checked.errors)
        not_answered.extend(checked.not_answered)
    if not_answered:
        result.answers[NOT_ANSWERED_KEY] = not_answered
    return result


def every_option_chosen(survey: SurveyDefinition) -> dict:
    """Answers that make the form show an issues box for every priority: on paper the
    priorities are on the same sheet, so all the boxes are offered and only the chosen kept."""
    answers: dict = {}
    for q in survey.questions:
        if q.issues_for:
            target = survey.question(q.issues_for)
            if target is not None:
                answers[target.id] = [o.id for o in target.choices]
    return answers


def respondent_for(survey: SurveyDefinition, answers: dict, staff_id: int) -> Respondent:
    """Who the paper form is from, as the response records it: a council's name, or a resident's area."""
    place = None
    for q in survey.questions:
        if q.type == "parish" and answers.get(q.id):
            place = answers.get(other_key(q)) if answers[q.id] == OTHER_ID else answers[q.id]
            break
    kind = "parish" if survey.audience == "parish" else "resident"
    name = place if kind == "parish" else None
    return Respondent(kind, name, place, None, "paper", staff_id)


def parish_choices(survey: SurveyDefinition) -> tuple[Option, ...]:
    return parish_options(library.parishes(), survey.audience)


def form_sections(survey: SurveyDefinition, values: dict, errors: list[FieldError]) -> tuple[list[dict], list[dict]]:
    """([{"page", "questions": [{"question", "components"}]}], error summary) for the one-page paper form."""
    beside, summary = error_maps(errors)
    parishes = parish_choices(survey)
    shown = every_option_chosen(survey)
    sections = [
        {
            "page": page,
            "questions": [
                {"question": q, "components": components(q, values, beside, shown, parishes, survey)}
                for q in page.questions
            ],
        }
        for page in survey.pages
    ]
    return sections, summary
