"""Whole journeys by keyboard only, with JavaScript on and off, against gunicorn.

A resident answers the residents' survey (making and fixing a mistake, changing an answer from
"Check your answers") and gets a reference; a parish clerk answers through the council's link
and later amends; a member of staff signs in with a password and an authenticator code, opens
the results and downloads a CSV. What the browser did is then checked in the database.
"""

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from tests.browser import audit, data, keyboard
from tests.browser.crawl import Crawler

REFERENCE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b")
JS = pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])


@pytest.fixture
def visitor(chromium, live_server, app, screenshot_dir, request):
    javascript = request.node.callspec.params["javascript"]
    crawler = Crawler(
        chromium, live_server, app, screenshot_dir, f"journey-{'js' if javascript else 'nojs'}", javascript
    )
    yield crawler
    crawler.close()


def heading(page) -> str:
    return page.inner_text("main h1").strip()


def on_check_answers(page) -> bool:
    return "check your answers" in heading(page).lower()


def answer_until_check_answers(page, limit: int = 15) -> None:
    for _ in range(limit):
        if on_check_answers(page):
            return
        keyboard.fill_form(page)
        assert not page.query_selector(".govuk-error-summary"), (
            f"answers refused on {page.url}: {page.inner_text('main')[:400]}"
        )
    raise AssertionError(f"never reached Check your answers (last page {page.url})")


def change_first_choice(page) -> dict:
    """On a question page, change one answer with the arrow keys: the first chosen radio moves
    down one option; failing that the last chosen drop-down (a ranked question's last place, so
    the places stay different) moves down one. Returns the control, with `shown`: the new
    answer as Check your answers words it."""
    keyboard.focus_main(page)
    last_select = None
    for _ in range(250):
        page.keyboard.press("Tab")
        info = keyboard.active(page)
        if info["type"] == "radio" and info["checked"]:
            page.keyboard.press("ArrowDown")
            changed = keyboard.active(page)
            assert changed["checked"], "ArrowDown did not choose the next option"
            return {**changed, "shown": changed["label"]}
        if info["tag"] == "select" and info["selectedIndex"] > 0:
            last_select = info["id"]
        if info["primary"] or info["tag"] == "body":
            break
    assert last_select, f"no answered question to change on {page.url}"
    keyboard.focus_main(page)
    keyboard.tab_to(page, lambda i: i["id"] == last_select, "the last answered drop-down")
    page.keyboard.press("ArrowDown")
    changed = keyboard.active(page)
    return {**changed, "shown": changed["optionText"]}


def send_from_check_answers(page) -> str:
    keyboard.focus_main(page)
    keyboard.tab_to(page, lambda i: i["primary"], "the button that sends the answers")
    keyboard.submit(page)
    text = page.inner_text("main")
    match = REFERENCE.search(text)
    assert match, f"no reference number on the confirmation page {page.url}: {text[:400]}"
    return match.group(0)


def start_survey(page) -> None:
    keyboard.focus_main(page)
    keyboard.tab_to(
        page, lambda i: i["tag"] in ("a", "button") and re.search(r"\bstart\b", i["text"], re.I), "the Start button"
    )
    keyboard.submit(page)


@JS
def test_resident_answers_with_keyboard_fixes_a_mistake_changes_an_answer_and_gets_a_reference(
    app, visitor, javascript
):
    survey = data.survey(app, "resident")
    page = visitor.page
    visitor.goto(f"/consultations/{survey.slug}")
    start_survey(page)

    # A mistake: continue without answering.
    keyboard.fill_form(page, leave_empty=True)
    assert page.query_selector(".govuk-error-summary"), "continuing without answers did not show the error summary"
    assert page.title().startswith("Error: ")
    if javascript:
        assert audit.error_summary_has_focus(page), "the error summary did not take focus"
    assert page.query_selector(".govuk-error-message"), "no error message beside the question"
    keyboard.fill_form(page)
    assert not page.query_selector(".govuk-error-summary"), f"the corrected page was refused: {page.url}"

    answer_until_check_answers(page)
    keyboard.activate_link(page, r"^change\b", "the first Change link")
    changed = change_first_choice(page)
    keyboard.focus_main(page)
    keyboard.tab_to(page, lambda i: i["primary"], "the Continue button")
    keyboard.submit(page)
    answer_until_check_answers(page)
    assert changed["shown"] in page.inner_text("main"), (
        f"Check your answers does not show the new answer {changed['shown']!r}"
    )

    reference = send_from_check_answers(page)
    from app.surveys.survey_models import Response

    with app.app_context():
        stored = db.session.scalars(select(Response).where(Response.survey_slug == survey.slug)).all()
        assert [r.reference for r in stored] == [reference], "one response, under the reference shown"
        assert changed["value"] in repr(stored[0].answers), "the changed answer was not the one stored"
        assert stored[0].respondent_type == "resident" and stored[0].channel == "online"
        db.session.remove()


@JS
def test_parish_clerk_answers_through_the_link_then_comes_back_and_amends(app, live_server, visitor, javascript):
    survey = data.survey(app, "parish")
    token = data.invitation(app, survey.slug, name="Lubenham Parish Council")
    page = visitor.page
    visitor.goto(f"/invite/{token}")
    assert token not in page.url, (
        "the invitation token stayed in the address bar (it would leak in Referer and history)"
    )
    if not page.query_selector(keyboard.PRIMARY_BUTTON):
        start_survey(page)
    answer_until_check_answers(page)
    first_reference = send_from_check_answers(page)

    # Later, the clerk opens the same link again and changes the council's answer.
    visitor.goto(f"/invite/{token}")
    assert token not in page.url
    keyboard.activate_link(page, r"\b(change|amend|update|edit)\b", "the link to change the council's answers")
    assert page.evaluate("""() => [...document.querySelectorAll('main select')].some(s => s.selectedIndex > 0)
                                  || !!document.querySelector('main input:checked, main textarea:not(:empty)')"""), (
        f"the council's earlier answers are not filled in on {page.url}"
    )
    answer_until_check_answers(page)
    keyboard.activate_link(page, r"^change\b", "the first Change link")
    changed = change_first_choice(page)
    keyboard.focus_main(page)
    keyboard.tab_to(page, lambda i: i["primary"], "the Continue button")
    keyboard.submit(page)
    answer_until_check_answers(page)
    second_reference = send_from_check_answers(page)
    assert second_reference != first_reference

    from app.surveys.survey_models import Response

    with app.app_context():
        stored = {
            r.reference: r for r in db.session.scalars(select(Response).where(Response.survey_slug == survey.slug))
        }
        assert set(stored) == {first_reference, second_reference}
        first, second = stored[first_reference], stored[second_reference]
        assert not first.is_current and second.is_current, "only the amended answer may count"
        assert second.supersedes_id == first.id and second.invitation_id == first.invitation_id
        assert second.respondent_name == "Lubenham Parish Council"
        assert changed["value"] in repr(second.answers)
        db.session.remove()


@JS
def test_staff_member_signs_in_with_two_factor_opens_results_and_downloads_a_csv(app, visitor, javascript):
    data.seed_responses(app)
    user = data.staff_user(app, role="analyst")
    page = visitor.page
    data.sign_in(visitor, user, record=False)
    survey = data.survey(app, "resident")

    keyboard.activate_link(page, r"^Results\b.*" + re.escape(survey.title), "the results of the residents' survey")
    assert survey.title in page.inner_text("main h1"), f"not the results page: {page.url}"
    assert "Traceback" not in page.content()

    keyboard.activate_link(page, r"\bexport\b", "the export link on the results page")
    keyboard.focus_main(page)
    keyboard.tab_to(page, lambda i: i["type"] == "radio" and i["name"] == "format", "the file format choice")
    for _ in range(5):
        if keyboard.active(page)["value"] == "csv":
            break
        page.keyboard.press("ArrowDown")
    assert keyboard.active(page)["value"] == "csv", "could not choose CSV with the arrow keys"
    keyboard.tab_to(
        page, lambda i: i["tag"] == "button" and re.search(r"download", i["text"], re.I), "the Download button"
    )
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    body = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert download.value.suggested_filename.endswith(".csv")
    assert len(rows) >= 2, f"the CSV has no data rows: {body[:300]}"
