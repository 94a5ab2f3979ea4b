"""The stored answer format: each Answer row, blanked in the stored copy, takes exactly that answer away."""

import copy

from app.surveys.questions.answer_format import answer_rows, blank_part, describe
from tests.unit.surveys.test_surveys_validation import FULL_RESIDENT, PARISH, RESIDENTS

PARISH_ANSWERS = {
    "council": "Foxton",
    "priorities": ["road-safety", "other", "drugs-alcohol"],
    "priorities:other": "Flooding",
    "issues": {"road-safety": "Speeding", "drugs-alcohol": "Dealing"},
    "contact-name": "Pat",
    "contact-email": "p@example.org",
}


def test_blanking_a_row_removes_that_answer_and_nothing_else():
    for survey, answers in ((RESIDENTS, FULL_RESIDENT), (PARISH, PARISH_ANSWERS)):
        rows = answer_rows(survey, answers)
        for question_id, part, value, _ in rows:
            if survey.question(question_id).type in ("multiple", "ranked") and part in ("", "1", "2", "3"):
                continue  # one row of a list: blanking takes the whole question (as retention wants)
            stored = copy.deepcopy(answers)
            blank_part(stored, question_id, part)
            left = answer_rows(survey, stored)
            assert (question_id, part, value) not in [r[:3] for r in left]
            assert len(left) == len(rows) - 1, (question_id, part)


def test_rows_read_back_in_words():
    assert describe(PARISH, "issues", "issues:road-safety", "Speeding") == (
        PARISH.question("issues").label,
        "Road safety",
        "Speeding",
    )
    assert describe(RESIDENTS, "top-concerns", "2", "drugs")[1:] == ("Choice 2", "Drug use or dealing")
    assert describe(RESIDENTS, "top-concerns", "other", "Loose dogs")[1:] == ("Other (details)", "Loose dogs")
    assert describe(None, "gone", "", "x") == ("gone", "", "x")
