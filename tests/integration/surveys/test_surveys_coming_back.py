"""Coming back later: residents' resume links, councils' drafts kept until the round closes,
printing a council's answers so far, and what Back shows after sending."""

import hashlib
import html as html_text
import re
from datetime import date, datetime, timedelta

from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.surveys.drafts import keeping
from app.surveys.survey_models import Draft, Response
from tests.fixtures.surveys import PARISH_PAGES, PARISH_SLUG, RESIDENT_PAGES, RESIDENT_SLUG

RESUME_LINK = re.compile(r'value="(http[^"]+/resume/([A-Za-z0-9_-]+))"')


def save_for_later(respondent, slug, page_id, data):
    """Press "Save and come back later" on a page; returns the saved page's HTML."""
    response = respondent.answer(slug, page_id, {**data, "action": "later"})
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/consultations/{slug}/saved")
    return respondent.page_html(f"/consultations/{slug}/saved")


def the_draft(app) -> Draft:
    with app.app_context():
        draft = db.session.scalar(select(Draft))
        db.session.expunge_all()
        return draft


def test_every_question_page_offers_save_and_come_back_later_with_the_true_date(app, respondent):
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    assert "Save and come back later" in html
    assert "7 days" not in html
    respondent.answer(RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    draft = the_draft(app)
    kept = keeping.last_day_kept(draft.expires_at)
    assert draft.expires_at - utcnow() > timedelta(days=29, hours=23)
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/local-problems")
    assert f"We keep unfinished answers until {kept.day} {kept:%B %Y}" in html
    start = respondent.page_html(f"/consultations/{RESIDENT_SLUG}")
    assert f"We are keeping the answers you started until {kept.day} {kept:%B %Y}" in start


def test_a_resident_gets_a_link_that_brings_the_answers_back_on_another_device(app, respondent, new_respondent):
    html = save_for_later(respondent, RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    assert "Your answers are saved" in html
    link, token = RESUME_LINK.search(html).groups()
    assert len(token) >= 22  # at least 128 random bits in URL-safe base64
    draft = the_draft(app)
    # Only the hash is stored.
    assert draft.resume_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(draft.answers)
    # Shown once: a refresh offers a new link instead.
    again = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/saved")
    assert token not in again and "Make a new link" in again

    other = new_respondent()
    response = other.get(link.split("127.0.0.1:8000", 1)[-1])
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/consultations/{RESIDENT_SLUG}")
    assert response.headers["Referrer-Policy"] == "no-referrer"
    start = other.page_html(f"/consultations/{RESIDENT_SLUG}")
    assert "Continue your answers" in start
    page = other.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    assert re.search(r'value="very-safe" checked', page)
    other.answer_all(RESIDENT_SLUG, {k: v for k, v in RESIDENT_PAGES.items() if k != "feeling-safe"})
    other.submit(RESIDENT_SLUG)
    with app.app_context():
        assert (
            db.session.scalar(select(Response).where(Response.survey_slug == RESIDENT_SLUG)).answers["safe-day"]
            == "very-safe"
        )
    # The draft went with the response, so the link no longer works.
    response = new_respondent().get(link.split("127.0.0.1:8000", 1)[-1])
    assert response.status_code == 404 and "This link does not work any more" in response.get_data(as_text=True)


def test_a_new_link_replaces_the_old_one(app, respondent, new_respondent):
    first = RESUME_LINK.search(
        save_for_later(respondent, RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    ).group(2)
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/saved")
    response = respondent.client.post(
        f"/consultations/{RESIDENT_SLUG}/saved", data={"csrf_token": respondent.token(html)}
    )
    assert response.status_code == 303
    second = RESUME_LINK.search(respondent.page_html(f"/consultations/{RESIDENT_SLUG}/saved")).group(2)
    assert first != second
    with app.app_context():
        assert db.session.query(Draft).count() == 1
    assert new_respondent().get(f"/consultations/{RESIDENT_SLUG}/resume/{first}").status_code == 404
    assert new_respondent().get(f"/consultations/{RESIDENT_SLUG}/resume/{second}").status_code == 303


def test_saving_for_later_keeps_a_half_answered_page_without_errors(app, respondent):
    html = save_for_later(respondent, RESIDENT_SLUG, "feeling-safe", {"safe-day": "fairly-safe"})
    assert "govuk-error-summary" not in html
    page = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    assert re.search(r'value="fairly-safe" checked', page)


def test_an_expired_or_made_up_link_says_so(app, respondent, new_respondent):
    token = RESUME_LINK.search(
        save_for_later(respondent, RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    ).group(2)
    with app.app_context():
        draft = db.session.scalar(select(Draft))
        draft.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    for path in (
        f"/consultations/{RESIDENT_SLUG}/resume/{token}",
        f"/consultations/{RESIDENT_SLUG}/resume/made-up",
        f"/consultations/{PARISH_SLUG}/resume/{token}",
    ):
        response = new_respondent().get(path)
        assert response.status_code == 404, path
        assert "This link does not work any more" in response.get_data(as_text=True)


def test_a_council_draft_is_kept_until_the_round_closes_and_every_page_says_how_to_come_back(app, respondent, invite):
    respondent.get(f"/invite/{invite('Foxton')}")
    html = html_text.unescape(respondent.page_html(f"/consultations/{PARISH_SLUG}/priorities"))
    assert "Coming back later" in html and "open your council's invitation link again" in html
    assert "kept until the survey closes on 31 January 2027" in html
    html = save_for_later(respondent, PARISH_SLUG, "priorities", PARISH_PAGES["priorities"])
    assert "until the survey closes on 31 January 2027" in html and "/resume/" not in html
    draft = the_draft(app)
    assert draft.resume_token_hash is None
    assert draft.expires_at == datetime(2027, 2, 1, 0, 0)  # midnight at the end of 31 January, GMT
    respondent.answer(PARISH_SLUG, "local-issues", PARISH_PAGES["local-issues"])
    for page_id in ("local-issues", "meeting-and-contact"):
        html = html_text.unescape(respondent.page_html(f"/consultations/{PARISH_SLUG}/{page_id}"))
        assert "open your council's invitation link again" in html and "Print the answers so far" in html


def test_a_council_can_print_its_answers_so_far(app, respondent, invite):
    respondent.get(f"/invite/{invite('Foxton')}")
    respondent.answer(PARISH_SLUG, "priorities", PARISH_PAGES["priorities"])
    html = respondent.page_html(f"/consultations/{PARISH_SLUG}/answers-so-far")
    assert "Answers so far" in html and "These answers have not been sent yet" in html
    assert "Foxton" in html and "1. Road safety" in html
    assert "Not answered" in html  # the pages still to do
    assert "Send by</dt>" in html and "31 January 2027" in html


def test_summer_time_is_used_for_the_closing_day():
    # 31 July is in British Summer Time: the day ends at 23:00 UTC.
    assert keeping.end_of_local_day(date(2027, 7, 31)) == datetime(2027, 7, 31, 23, 0)
    assert keeping.last_day_kept(datetime(2027, 7, 31, 23, 0)) == date(2027, 7, 31)


def test_back_after_sending_says_the_answers_were_sent_with_the_reference(respondent):
    reference = respondent.complete(RESIDENT_SLUG, RESIDENT_PAGES)
    for path in ("check-answers", "about-you", "feeling-safe"):
        html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/{path}")
        assert "You have already sent your answers" in html, path
        assert reference in html
        assert "checked" not in html
    start = respondent.page_html(f"/consultations/{RESIDENT_SLUG}")
    assert "You have already sent your answers" in start and reference in start
    # Someone else at the same computer can start their own answers.
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    response = respondent.client.post(
        f"/consultations/{RESIDENT_SLUG}/start-again", data={"csrf_token": respondent.token(html)}
    )
    assert response.status_code == 303 and response.headers["Location"].endswith("/feeling-safe")
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    assert "Save and continue" in html and "You have already sent" not in html


def test_back_after_a_council_sends_offers_to_change_the_answers(respondent, invite):
    respondent.get(f"/invite/{invite('Foxton')}")
    reference = respondent.complete(PARISH_SLUG, PARISH_PAGES)
    html = respondent.page_html(f"/consultations/{PARISH_SLUG}/check-answers")
    assert "You have already sent your answers" in html and reference in html
    assert "Change your answers" in html
