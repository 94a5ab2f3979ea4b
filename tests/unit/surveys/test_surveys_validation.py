"""Checking submitted answers, one question type at a time (no app, no database)."""

from datetime import date
from pathlib import Path

import pytest

from app.surveys.parishes import load_parishes
from app.surveys.questions.answer_format import answer_rows
from app.surveys.questions.definitions import get_survey
from app.surveys.questions.validation import form_values, page_is_complete, parish_options, summary_rows, validate_page

CONTENT = Path(__file__).resolve().parents[3] / "content"
RESIDENTS = get_survey(CONTENT, "residents-2026-27")
PARISH = get_survey(CONTENT, "parish-councils-2026-27")
RESIDENT_PLACES = parish_options(load_parishes(CONTENT), "resident")
COUNCILS = parish_options(load_parishes(CONTENT), "parish")
TODAY = date(2026, 11, 21)
ALL_ITEMS = [i.id for i in RESIDENTS.question("problems").items]


def check(survey, page_id, form, answers=None, parishes=RESIDENT_PLACES):
    form = {k: v if isinstance(v, list) else [v] for k, v in form.items()}
    return validate_page(survey, survey.page(page_id), form, answers or {}, parishes, TODAY)


def errors(result):
    return [(e.field, e.message) for e in result.errors]


# single choice ---------------------------------------------------------------------------


def test_single_choice_required_message_is_an_instruction_linked_to_the_first_radio():
    result = check(RESIDENTS, "feeling-safe", {"safe-day": "very-safe"})
    assert errors(result) == [("safe-after-dark", "Select how safe you feel in your local area after dark")]
    assert result.values == {"safe-day": "very-safe"}


def test_single_choice_unknown_option_is_an_error_not_a_crash():
    result = check(RESIDENTS, "feeling-safe", {"safe-day": "extremely-safe", "safe-after-dark": "<script>"})
    assert errors(result) == [
        ("safe-day", "Select one of the options in the list"),
        ("safe-after-dark", "Select one of the options in the list"),
    ]


def test_optional_single_choice_may_be_left_blank():
    result = check(RESIDENTS, "about-you", {})
    assert result.ok and result.values == {}
    result = check(RESIDENTS, "about-you", {"age-band": "35-44"})
    assert result.values == {"age-band": "35-44"}


# parish choice ---------------------------------------------------------------------------


def test_parish_choice_accepts_only_listed_parishes_or_other_with_a_name():
    assert check(RESIDENTS, "about-you", {"area": "Fleckney"}).values == {"area": "Fleckney"}
    assert errors(check(RESIDENTS, "about-you", {"area": "Gotham City"})) == [
        ("area", "Select one of the options in the list")
    ]
    assert errors(check(RESIDENTS, "about-you", {"area": "other"})) == [("area-other", "Enter the name of your area")]
    result = check(RESIDENTS, "about-you", {"area": "other", "area-other": "  Bittesby "})
    assert result.values == {"area": "other", "area:other": "Bittesby"}


def test_council_question_is_required_and_names_councils_in_full():
    result = check(PARISH, "your-council", {}, parishes=COUNCILS)
    assert errors(result) == [("council", "Select the council that is responding")]
    assert any(o.label == "Lutterworth Town Council" for o in COUNCILS)


def test_an_area_typed_without_choosing_not_in_the_list_is_kept():
    result = check(RESIDENTS, "about-you", {"area": "", "area-other": "  Bittesby  "})
    assert result.ok and result.values == {"area": "other", "area:other": "Bittesby"}


def test_a_typed_area_that_is_in_the_list_is_taken_as_that_choice():
    result = check(RESIDENTS, "about-you", {"area": "", "area-other": "foxton"})
    assert result.ok and result.values == {"area": "Foxton"}
    result = check(RESIDENTS, "about-you", {"area": "Foxton", "area-other": "Foxton"})
    assert result.ok and result.values == {"area": "Foxton"}


def test_an_area_chosen_from_the_list_wins_over_text_typed_in_passing():
    result = check(RESIDENTS, "about-you", {"area": "Foxton", "area-other": "Bittesby"})
    assert result.ok and result.values == {"area": "Foxton"}


# rating grid -----------------------------------------------------------------------------


def test_rating_grid_is_one_question_with_one_message_offering_dont_know():
    form = {f"problems-{item}": "a-bit" for item in ALL_ITEMS if item != "speeding"}
    result = check(RESIDENTS, "local-problems", form)
    assert errors(result) == [
        ("problems-speeding", "Select an answer on every row, or select “Don't know”: 1 row has no answer")
    ]
    result = check(RESIDENTS, "local-problems", {})
    assert errors(result) == [
        ("problems-litter", "Select an answer on every row, or select “Don't know”: 10 rows have no answer")
    ]
    assert result.errors[0].target == "problems"


def test_rating_unknown_scale_value_is_an_error():
    form = {f"problems-{item}": "dont-know" for item in ALL_ITEMS}
    form["problems-litter"] = "enormous"
    assert errors(check(RESIDENTS, "local-problems", form)) == [
        ("problems-litter", "Select an answer on every row, or select “Don't know”: 1 row has no answer")
    ]
    form["problems-litter"] = "big"
    result = check(RESIDENTS, "local-problems", form)
    assert result.ok and result.values["problems"]["litter"] == "big" and len(result.values["problems"]) == 10


# ranked top three ------------------------------------------------------------------------


def test_ranked_needs_three_different_choices():
    result = check(
        RESIDENTS, "concerns", {"top-concerns-1": "litter", "top-concerns-2": "litter", "top-concerns-3": "drugs"}
    )
    assert errors(result) == [
        (
            "top-concerns-2",
            "You already chose rubbish or litter as your first concern: select a different concern for second place",
        )
    ]
    assert "top-concerns" not in result.values


def test_ranked_parish_priorities_use_the_word_priority():
    form = {"priorities-1": "road-safety", "priorities-2": "road-safety", "priorities-3": ""}
    assert errors(check(PARISH, "priorities", form, parishes=COUNCILS)) == [
        (
            "priorities-2",
            "You already chose road safety as your first priority: select a different priority for second place",
        ),
        ("priorities-3", "Select your third priority"),
    ]


def test_ranked_all_empty_uses_the_question_message_then_each_place():
    assert errors(check(RESIDENTS, "concerns", {})) == [
        ("top-concerns-1", "Select the three things that concern you most"),
        ("top-concerns-2", "Select your second concern"),
        ("top-concerns-3", "Select your third concern"),
    ]


def test_ranked_unknown_option_and_other_text():
    result = check(
        RESIDENTS, "concerns", {"top-concerns-1": "aliens", "top-concerns-2": "drugs", "top-concerns-3": "other"}
    )
    assert errors(result) == [
        ("top-concerns-1", "Select your first concern from the list"),
        ("top-concerns-other", "Describe what concerns you"),
    ]
    result = check(
        RESIDENTS,
        "concerns",
        {
            "top-concerns-1": "speeding",
            "top-concerns-2": "drugs",
            "top-concerns-3": "other",
            "top-concerns-other": "Loose dogs",
        },
    )
    assert result.ok
    assert result.values == {"top-concerns": ["speeding", "drugs", "other"], "top-concerns:other": "Loose dogs"}


# long text -------------------------------------------------------------------------------

TOP3 = {"top-concerns-1": "speeding", "top-concerns-2": "drugs", "top-concerns-3": "burglary"}


def test_long_text_is_optional_and_kept_as_typed():
    result = check(RESIDENTS, "concerns", {**TOP3, "feel-safer": "  More patrols\r\nin the evening  "})
    assert result.values["feel-safer"] == "More patrols\nin the evening"


def test_long_text_over_the_limit_says_the_limit():
    result = check(RESIDENTS, "concerns", {**TOP3, "feel-safer": "x" * 1001})
    assert errors(result) == [("feel-safer", "Enter your answer in 1000 characters or less")]
    # Line breaks sent as CRLF count once, as the page's character count shows.
    assert check(RESIDENTS, "concerns", {**TOP3, "feel-safer": "x\r\n" * 333 + "x"}).ok


def test_a_hundred_thousand_characters_is_an_error_not_a_crash():
    result = check(RESIDENTS, "concerns", {**TOP3, "feel-safer": "y" * 100_000, "top-concerns-other": "z" * 100_000})
    assert errors(result) == [("feel-safer", "Enter your answer in 1000 characters or less")]


# short text, email, date, issues ----------------------------------------------------------


def contact(**extra):
    return {"contact-name": "Pat Clerk", "contact-email": "clerk@example.org", **extra}


def test_short_text_required_and_email_format():
    result = check(PARISH, "meeting-and-contact", {})
    assert errors(result) == [
        ("contact-name", "Enter the name of someone we can contact about these answers"),
        ("contact-email", "Enter an email address we can use to contact you about these answers"),
    ]
    result = check(PARISH, "meeting-and-contact", contact(**{"contact-email": "clerk at example"}))
    assert errors(result) == [("contact-email", "Enter an email address in the correct format, like name@example.com")]
    result = check(PARISH, "meeting-and-contact", contact(**{"contact-name": "A  B\nC" + " " * 3}))
    assert result.values["contact-name"] == "A B C"


def test_short_text_over_its_limit():
    result = check(PARISH, "meeting-and-contact", contact(**{"contact-name": "n" * 101}))
    assert errors(result) == [("contact-name", "Enter your answer in 100 characters or less")]


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("12", "", "2026", "The date must include a month"),
        ("", "", "2026", "The date must include a day and a month"),
        ("31", "2", "2026", "The date must be a real date, like 12 11 2026"),
        ("1", "1", "26", "The date must be a real date, like 12 11 2026"),
        ("x", "1", "2026", "The date must be a real date, like 12 11 2026"),
        ("1", "12", "2026", "The date must be today or in the past"),
    ],
)
def test_date_problems(day, month, year, message):
    form = contact(**{"meeting-date-day": day, "meeting-date-month": month, "meeting-date-year": year})
    result = check(PARISH, "meeting-and-contact", form)
    assert [(e.message, e.target) for e in result.errors] == [(message, "meeting-date")]
    assert result.errors[0].field.startswith("meeting-date-")


def test_date_is_optional_and_stored_as_iso():
    assert check(PARISH, "meeting-and-contact", contact()).values.get("meeting-date") is None
    form = contact(**{"meeting-date-day": "3", "meeting-date-month": "11", "meeting-date-year": "2026"})
    assert check(PARISH, "meeting-and-contact", form).values["meeting-date"] == "2026-11-03"


def test_issues_are_asked_for_each_chosen_priority_only():
    answers = {"priorities": ["road-safety", "other", "acquisitive-crime"], "priorities:other": "Flooding"}
    result = check(
        PARISH,
        "local-issues",
        {"issues-road-safety": "Speeding on Main Street", "issues-domestic-abuse": "x"},
        answers,
        COUNCILS,
    )
    assert errors(result) == [
        ("issues-other", "Enter the local issues behind flooding"),
        ("issues-acquisitive-crime", "Enter the local issues behind acquisitive crime"),
    ]
    form = {"issues-road-safety": "Speeding", "issues-other": "River", "issues-acquisitive-crime": "Sheds"}
    assert check(PARISH, "local-issues", form, answers, COUNCILS).values == {
        "issues": {"road-safety": "Speeding", "other": "River", "acquisitive-crime": "Sheds"}
    }


# stored rows and round trips -------------------------------------------------------------

FULL_RESIDENT = {
    "safe-day": "very-safe",
    "safe-after-dark": "a-bit-unsafe",
    "problems": dict.fromkeys(ALL_ITEMS, "not-a-problem"),
    "top-concerns": ["speeding", "other", "drugs"],
    "top-concerns:other": "Loose dogs",
    "feel-safer": "Street lights",
    "area": "Foxton",
    "age-band": "65-74",
}


def test_answer_rows_follow_the_contract():
    rows = answer_rows(RESIDENTS, FULL_RESIDENT)
    assert ("safe-day", "", "very-safe", False) in rows
    assert ("problems", "litter", "not-a-problem", False) in rows
    assert [r for r in rows if r[0] == "top-concerns"] == [
        ("top-concerns", "1", "speeding", False),
        ("top-concerns", "2", "other", False),
        ("top-concerns", "3", "drugs", False),
        ("top-concerns", "other", "Loose dogs", True),
    ]
    assert ("feel-safer", "", "Street lights", True) in rows
    parish_rows = answer_rows(
        PARISH,
        {
            "council": "Foxton",
            "priorities": ["road-safety", "other", "drugs-alcohol"],
            "priorities:other": "Flooding",
            "issues": {"road-safety": "Speeding"},
            "contact-name": "Pat",
            "contact-email": "p@example.org",
        },
    )
    assert ("issues", "issues:road-safety", "Speeding", False) in parish_rows
    assert ("priorities", "other", "Flooding", False) in parish_rows
    assert ("contact-email", "", "p@example.org", True) in parish_rows


def test_every_page_round_trips_through_the_form():
    for page in RESIDENTS.pages:
        assert page_is_complete(RESIDENTS, page, FULL_RESIDENT, RESIDENT_PLACES)
        result = validate_page(RESIDENTS, page, form_values(page, FULL_RESIDENT), FULL_RESIDENT, RESIDENT_PLACES, TODAY)
        assert result.ok
        assert all(FULL_RESIDENT[k] == v for k, v in result.values.items())


def test_summary_rows_show_labels_not_ids():
    rows = summary_rows(RESIDENTS, RESIDENTS.page("concerns"), FULL_RESIDENT, RESIDENT_PLACES)
    assert rows[0]["lines"] == ["1. Speeding traffic", "2. Something else: Loose dogs", "3. Drug use or dealing"]
    rows = summary_rows(RESIDENTS, RESIDENTS.page("feeling-safe"), FULL_RESIDENT)
    assert [r["lines"] for r in rows] == [["Very safe"], ["A bit unsafe"]]


def test_validation_module_does_not_import_flask():
    import app.surveys.questions.validation as module

    source = Path(module.__file__).read_text()
    assert "import flask" not in source and "from flask" not in source
