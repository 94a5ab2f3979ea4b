"""Residents and councils answering the 2026/27 surveys from start to confirmation."""

import re

from sqlalchemy import inspect, select

from app.extensions import db
from app.surveys.survey_models import Draft, Response
from tests.fixtures.surveys import PARISH_PAGES, PARISH_SLUG, RESIDENT_PAGES, RESIDENT_SLUG, errors_in


def stored(app, **filters):
    with app.app_context():
        rows = db.session.scalars(select(Response).filter_by(**filters).order_by(Response.id)).all()
        result = [(r, sorted((a.question_id, a.part, a.value, a.personal) for a in r.answer_rows)) for r in rows]
        db.session.expunge_all()
        return result


def test_consultations_list_shows_open_and_closed_rounds_with_dates(respondent):
    html = respondent.page_html("/consultations")
    open_part, closed_part = html.split("Closed consultations and results")
    assert "Community safety survey for residents 2026/27" in open_part
    assert "Open from 1 October 2026 to 31 January 2027." in open_part
    assert "Parish council survey 2017" in closed_part and "Community survey 2017" in closed_part
    assert "Parish council survey 2019/20" in closed_part


def test_start_page_introduces_the_survey_and_links_to_the_first_question(respondent):
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}")
    assert "You can answer until 31 January 2027." in html
    assert "anonymous" in html
    assert f'href="/consultations/{RESIDENT_SLUG}/feeling-safe"' in html
    assert f'href="/consultations/{RESIDENT_SLUG}/print"' in html
    assert 'href="/privacy"' in html


def test_resident_journey_stores_one_anonymous_response(app, respondent):
    reference = respondent.complete(RESIDENT_SLUG, RESIDENT_PAGES)
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", reference)
    [(response, rows)] = stored(app)
    assert response.reference == reference
    assert (response.survey_slug, response.round, response.audience) == (RESIDENT_SLUG, "2026/27", "resident")
    assert (response.respondent_type, response.respondent_name, response.area) == ("resident", None, "Fleckney")
    assert response.channel == "online" and response.is_current and not response.possible_duplicate
    assert ("top-concerns", "1", "speeding", False) in rows
    assert ("problems", "speeding", "big", False) in rows
    assert ("feel-safer", "", "More speed checks on the A6", True) in rows
    assert response.answers["safe-day"] == "very-safe"
    # The draft is gone once the answers are stored.
    with app.app_context():
        assert db.session.scalar(select(Draft)) is None


def test_no_ip_address_or_browser_details_are_stored(app, respondent):
    respondent.complete(RESIDENT_SLUG, RESIDENT_PAGES)
    with app.app_context():
        columns = {c["name"] for c in inspect(db.engine).get_columns("response")}
        assert not {"ip", "ip_address", "user_agent", "remote_addr"} & columns
        response = db.session.scalar(select(Response))
        values = " ".join(str(getattr(response, c)) for c in columns)
        assert "127.0.0.1" not in values and "werkzeug" not in values.lower()
        assert len(response.duplicate_fingerprint) == 64


def test_question_pages_show_progress_and_keep_answers_when_going_back(respondent):
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    assert "Question page 1 of 4" in html
    respondent.answer(RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/local-problems")
    assert "Question page 2 of 4" in html
    assert f'href="/consultations/{RESIDENT_SLUG}/feeling-safe"' in html  # the back link
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    assert re.search(r'value="very-safe" checked', html) and re.search(r'value="a-bit-unsafe" checked', html)


def test_errors_are_shown_beside_fields_and_in_a_summary_linking_to_the_inputs(respondent):
    respondent.answer(RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    respondent.answer(RESIDENT_SLUG, "local-problems", RESIDENT_PAGES["local-problems"])
    response = respondent.answer(
        RESIDENT_SLUG,
        "concerns",
        {
            "top-concerns-1": "speeding",
            "top-concerns-2": "speeding",
            "top-concerns-3": "drugs",
            "feel-safer": "Keep this text <b>please</b>",
        },
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    message = "You already chose speeding traffic as your first concern: select a different concern for second place"
    assert errors_in(response) == [("top-concerns-2", message)]
    assert html.count(message) == 2  # summary and beside the field
    assert 'id="top-concerns-2"' in html and 'id="top-concerns-2-error"' in html
    assert "<title>Error: " in html
    # What was typed is still there, escaped.
    assert "Keep this text &lt;b&gt;please&lt;/b&gt;" in html
    assert re.search(r'<option value="drugs" selected', html)


def test_a_refresh_after_an_error_keeps_what_was_typed(respondent):
    respondent.answer(RESIDENT_SLUG, "feeling-safe", {"safe-day": "very-safe"})
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    assert re.search(r'value="very-safe" checked', html)


def test_pages_cannot_be_skipped_by_typing_a_later_url(respondent):
    response = respondent.get(f"/consultations/{RESIDENT_SLUG}/about-you")
    assert response.status_code == 302 and response.headers["Location"].endswith("/feeling-safe")
    response = respondent.get(f"/consultations/{RESIDENT_SLUG}/check-answers")
    assert response.headers["Location"].endswith("/feeling-safe")
    assert respondent.get(f"/consultations/{RESIDENT_SLUG}/no-such-page").status_code == 404


def test_check_answers_lists_everything_with_change_links_that_come_back(app, respondent):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/check-answers")
    assert "Check your answers before sending them" in html
    assert "1. Speeding traffic" in html and "Speeding traffic: A big problem" in html
    assert "Fleckney" in html and "45 to 54" in html
    change = f"/consultations/{RESIDENT_SLUG}/about-you?change=1#area"
    assert f'href="{change}"' in html
    response = respondent.answer(RESIDENT_SLUG, "about-you", {"area": "Foxton"}, query="?change=1")
    assert response.status_code == 303 and response.headers["Location"].endswith("/check-answers")
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/check-answers")
    assert "Foxton" in html and "45 to 54" not in html  # the age band was cleared on that page
    respondent.submit(RESIDENT_SLUG)
    [(response, _rows)] = stored(app)
    assert response.area == "Foxton" and "age-band" not in response.answers


def test_changing_priorities_asks_for_the_issues_of_the_new_one(app, respondent, invite):
    token = invite("Foxton")
    respondent.get(f"/invite/{token}")
    respondent.answer_all(PARISH_SLUG, PARISH_PAGES)
    response = respondent.answer(
        PARISH_SLUG, "priorities", {**PARISH_PAGES["priorities"], "priorities-3": "drugs-alcohol"}, query="?change=1"
    )
    assert response.headers["Location"].endswith(f"/consultations/{PARISH_SLUG}/local-issues?change=1")
    html = respondent.page_html(f"/consultations/{PARISH_SLUG}/local-issues?change=1")
    assert 'name="issues-drugs-alcohol"' in html and 'name="issues-anti-social-behaviour"' not in html
    assert "Speeding through the village" in html  # kept for the priorities still chosen
    response = respondent.answer(
        PARISH_SLUG,
        "local-issues",
        {**PARISH_PAGES["local-issues"], "issues-drugs-alcohol": "Dealing near the school"},
        query="?change=1",
    )
    assert response.headers["Location"].endswith("/check-answers")
    respondent.submit(PARISH_SLUG)
    [(response, rows)] = stored(app)
    assert ("issues", "issues:drugs-alcohol", "Dealing near the school", False) in rows
    assert not any(r[1] == "issues:anti-social-behaviour" for r in rows)


def test_parish_journey_through_an_invitation(app, respondent, invite):
    token = invite("Lutterworth")
    respondent.get(f"/invite/{token}")
    html = respondent.page_html(f"/consultations/{PARISH_SLUG}")
    assert "You are answering for <strong>Lutterworth</strong>" in html
    # The council question is answered by the link, so the journey starts at the priorities.
    assert f'href="/consultations/{PARISH_SLUG}/priorities"' in html
    assert respondent.get(f"/consultations/{PARISH_SLUG}/your-council").status_code == 404
    html = respondent.page_html(f"/consultations/{PARISH_SLUG}/priorities")
    assert "Question page 1 of 3" in html
    reference = respondent.complete(PARISH_SLUG, PARISH_PAGES)
    [(response, rows)] = stored(app)
    assert response.reference == reference
    assert (response.respondent_type, response.respondent_name, response.area) == (
        "parish",
        "Lutterworth",
        "Lutterworth",
    )
    assert response.invitation_id is not None
    assert ("priorities", "1", "road-safety", False) in rows
    assert ("issues", "issues:acquisitive-crime", "Thefts from farms", False) in rows
    assert ("meeting-date", "", "2026-11-03", False) in rows
    assert ("contact-name", "", "Pat Clerk", True) in rows
    assert ("council", "", "Lutterworth", False) in rows


def test_councillor_answers_for_a_ward(app, respondent, invite):
    token = invite("Councillor Sam Jones", respondent_type="councillor", ward="Lutterworth East")
    respondent.get(f"/invite/{token}")
    assert "district councillor for Lutterworth East" in respondent.page_html(f"/consultations/{PARISH_SLUG}")
    respondent.complete(PARISH_SLUG, PARISH_PAGES)
    [(response, rows)] = stored(app)
    assert (response.respondent_type, response.respondent_name, response.area) == (
        "councillor",
        "Councillor Sam Jones",
        "Lutterworth East",
    )
    assert not any(r[0] == "council" for r in rows)


def test_confirmation_shows_the_reference_and_a_printable_copy(respondent):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    respondent.submit(RESIDENT_SLUG)
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/confirmation")
    assert "govuk-panel--confirmation" in html and "Your reference number" in html
    assert "A copy of your answers" in html and "More speed checks on the A6" in html
    assert "?change=1" not in html  # a copy, not a form


def test_the_answers_are_shown_once_then_only_the_reference(respondent):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    respondent.submit(RESIDENT_SLUG)
    first = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/confirmation")
    reference = respondent.reference(RESIDENT_SLUG)  # the next person using the same browser
    later = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/confirmation")
    assert "More speed checks on the A6" in first
    assert reference in later and "More speed checks on the A6" not in later
    assert "A copy of your answers" not in later and "shown once" in later


def test_confirmation_without_a_submission_goes_to_the_start_page(respondent):
    response = respondent.get(f"/consultations/{RESIDENT_SLUG}/confirmation")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/consultations/{RESIDENT_SLUG}")


def test_respondent_text_is_escaped_everywhere(app, respondent):
    pages = dict(RESIDENT_PAGES)
    pages["concerns"] = {
        **pages["concerns"],
        "top-concerns-3": "other",
        "top-concerns-other": "<script>alert(1)</script>",
        "feel-safer": '" onmouseover="alert(1)',
    }
    respondent.answer_all(RESIDENT_SLUG, pages)
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/check-answers")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '" onmouseover="' not in html
    respondent.submit(RESIDENT_SLUG)
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/confirmation")
    assert "<script>alert(1)</script>" not in html


def test_expired_drafts_are_deleted_by_the_command(app, respondent):
    respondent.answer(RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    from datetime import timedelta

    from app.clock import utcnow

    with app.app_context():
        draft = db.session.scalar(select(Draft))
        assert draft.expires_at - utcnow() > timedelta(days=29, hours=23)
        result = app.test_cli_runner().invoke(args=["surveys", "purge-drafts"])
        assert "Deleted 0 expired drafts." in result.output
        draft.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["surveys", "purge-drafts"])
        assert result.exit_code == 0 and "Deleted 1 expired draft." in result.output
        assert db.session.scalar(select(Draft)) is None


def test_an_expired_draft_is_not_offered_back(app, respondent):
    respondent.answer(RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    from datetime import timedelta

    from app.clock import utcnow

    with app.app_context():
        draft = db.session.scalar(select(Draft))
        draft.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
        db.session.remove()
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    assert "checked" not in html
    with app.app_context():
        assert db.session.scalar(select(Draft)) is None


def test_historic_round_shows_its_published_results_and_no_form(respondent):
    html = respondent.page_html("/consultations/parish-councils-2017")
    assert "It no longer accepts answers." in html
    assert "Road safety" in html and "Speeding through villages" in html
    assert re.search(r"<caption[^>]*>\s*Priorities, in the order they were ranked", html)
    assert "Start now" not in html and "<form" not in html
    html = respondent.page_html("/consultations/residents-2017")
    assert "100%" in html and "94%" in html and "down from 41%" in html


def test_paper_version_is_generated_from_the_definition(respondent):
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/print")
    assert "How safe do you feel in your local area after dark?" in html
    assert "Tick one box on each row." in html and "Rubbish or litter lying around" in html
    assert "In an emergency call 999" in html and "call 101" in html
    assert "<form" not in html
    html = respondent.page_html(f"/consultations/{PARISH_SLUG}/print")
    assert "Write 1 in the box next to your first priority" in html
    assert "Contact email address" in html


def test_survey_pages_are_never_stored_in_caches(respondent):
    for url in ("/consultations", f"/consultations/{RESIDENT_SLUG}", f"/consultations/{RESIDENT_SLUG}/feeling-safe"):
        assert respondent.get(url).headers["Cache-Control"] == "no-store"


def test_pages_have_no_inline_styles_or_scripts(respondent):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    for url in (
        f"/consultations/{RESIDENT_SLUG}/feeling-safe",
        f"/consultations/{RESIDENT_SLUG}/check-answers",
        f"/consultations/{RESIDENT_SLUG}/print",
        "/consultations/residents-2017",
    ):
        html = respondent.page_html(url)
        assert " style=" not in html
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
        assert all('src="' in attrs or body.strip().startswith("document.body.className") for attrs, body in scripts), (
            url
        )


def test_honeypot_is_hidden_from_people_and_assistive_technology(respondent):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/check-answers")
    block = re.search(r'<div class="app-hp" aria-hidden="true">(.*?)</div>', html, flags=re.S).group(1)
    assert "Leave this blank" in block and 'tabindex="-1"' in block and 'autocomplete="off"' in block
