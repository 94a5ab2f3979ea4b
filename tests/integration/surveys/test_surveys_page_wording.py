"""The survey pages say what is true for this respondent: the grid's one message, typed areas,
the page count, a district councillor addressed as themselves, the 429 page's time and the
confirmation's printable details."""

import html as html_text
import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.extensions import db
from app.surveys.survey_models import Response
from tests.fixtures.surveys import PARISH_PAGES, PARISH_SLUG, PROBLEM_ITEMS, RESIDENT_PAGES, RESIDENT_SLUG, errors_in


def text_of(html: str) -> str:
    return html_text.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_problems_grid_offers_dont_know_and_gives_one_message_for_missing_rows(respondent):
    respondent.answer(RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/local-problems")
    assert html.count('value="dont-know"') == len(PROBLEM_ITEMS)
    answered = {f"problems-{item}": "a-bit" for item in PROBLEM_ITEMS[:2]}
    response = respondent.answer(RESIDENT_SLUG, "local-problems", answered)
    assert response.status_code == 400
    message = "Select an answer on every row, or select “Don't know”: 8 rows have no answer"
    assert [(field, html_text.unescape(text)) for field, text in errors_in(response)] == [("problems-drugs", message)]
    html = response.get_data(as_text=True)
    assert text_of(html).count(message) == 2  # the summary and once above the grid
    assert html.count("govuk-error-message") == 1
    assert html.count("Not answered yet") == 8
    # The link in the summary lands on the first radio of the first missing row.
    assert 'id="problems-drugs"' in html


def test_a_typed_area_is_kept_when_not_in_the_list_was_not_chosen(app, respondent):
    pages = {**RESIDENT_PAGES, "about-you": {"area": "", "area-other": "Bittesby", "age-band": "45-54"}}
    respondent.complete(RESIDENT_SLUG, pages)
    with app.app_context():
        response = db.session.scalar(select(Response))
        assert response.answers["area"] == "other" and response.answers["area:other"] == "Bittesby"
        assert response.area == "Bittesby"


def test_the_start_page_counts_the_pages_this_respondent_will_see(respondent, invite):
    html = text_of(respondent.page_html(f"/consultations/{RESIDENT_SLUG}"))
    assert "There are 4 short pages of questions" in html and "four short pages" not in html
    respondent.get(f"/invite/{invite('Foxton')}")
    html = text_of(respondent.page_html(f"/consultations/{PARISH_SLUG}"))
    assert "You will answer 3 short pages of questions" in html and "four" not in html


def test_a_district_councillor_is_not_addressed_as_a_council(respondent, invite):
    respondent.get(f"/invite/{invite('Councillor Sam Jones', respondent_type='councillor', ward='Lutterworth East')}")
    pages = {}
    for page_id in PARISH_PAGES:
        pages[page_id] = text_of(respondent.page_html(f"/consultations/{PARISH_SLUG}/{page_id}"))
        respondent.answer(PARISH_SLUG, page_id, PARISH_PAGES[page_id])
    assert "What are your top three community safety priorities" in pages["priorities"]
    assert "Your priorities" in pages["priorities"]
    assert "When did you agree these answers?" in pages["meeting-and-contact"]
    check = text_of(respondent.page_html(f"/consultations/{PARISH_SLUG}/check-answers"))
    for text in [*pages.values(), check]:
        assert "your council" not in text.lower()
    blank = {"priorities-1": "", "priorities-2": "", "priorities-3": ""}
    response = respondent.answer(PARISH_SLUG, "priorities", blank)
    assert "Select your top three priorities" in text_of(response.get_data(as_text=True))


def test_a_council_is_still_addressed_as_a_council(respondent, invite):
    respondent.get(f"/invite/{invite('Foxton')}")
    html = text_of(respondent.page_html(f"/consultations/{PARISH_SLUG}/priorities"))
    assert "What are your council's top three community safety priorities" in html


def test_the_rate_limit_page_says_when_to_try_again(app, monkeypatch, new_respondent):
    monkeypatch.setitem(app.config, "SURVEY_SUBMIT_LIMIT", "1 per hour")
    new_respondent().complete(RESIDENT_SLUG, RESIDENT_PAGES)
    last = new_respondent()
    last.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    response = last.submit(RESIDENT_SLUG)
    assert response.status_code == 429
    text = text_of(response.get_data(as_text=True))
    assert "a few minutes" not in text
    match = re.search(r"You can try again after (\d{1,2}):(\d\d)(am|pm)", text)
    assert match, text
    hour = int(match.group(1)) % 12 + (12 if match.group(3) == "pm" else 0)
    reset = int(response.headers["X-RateLimit-Reset"])
    local = datetime.fromtimestamp(reset, UTC).astimezone(ZoneInfo("Europe/London"))
    assert (hour, int(match.group(2))) == (local.hour, local.minute)
    assert timedelta(0) < local - datetime.now(ZoneInfo("Europe/London")) <= timedelta(hours=1, seconds=5)


def test_the_confirmation_can_be_printed_with_the_survey_date_and_contact_details(app, respondent):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    assert respondent.submit(RESIDENT_SLUG).status_code == 303
    # The answers (and so the printable copy) are shown once, straight after sending.
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/confirmation")
    reference = re.search(r'class="app-reference">([^<]+)<', html).group(1)
    assert "data-app-print" in html and "Print your answers" in html
    text = text_of(html)
    with app.app_context():
        sent = db.session.scalar(select(Response)).submitted_at
    local = sent.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/London"))
    assert f"Sent on {local.day} {local:%B %Y} at " in text
    assert "Survey Community safety survey for residents 2026/27" in text
    assert f"Reference number {reference}" in text
    assert "communitysafety@harborough.gov.uk" in text and "Market Harborough" in text
