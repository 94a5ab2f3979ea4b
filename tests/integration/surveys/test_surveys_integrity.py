"""Every response stored once and never lost: duplicates, closed surveys, spam, limits,
expired forms, database failures and definitions that change after answers arrive."""

from datetime import date

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.surveys import repository
from app.surveys.questions.definitions import survey_from_stored
from app.surveys.survey_models import Answer, Draft, Response, SurveyVersion
from tests.fixtures.surveys import RESIDENT_PAGES, RESIDENT_SLUG, errors_in


def count(app, model=Response):
    with app.app_context():
        return db.session.query(model).count()


def test_a_double_click_or_retry_stores_one_response_and_shows_the_same_reference(app, respondent):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    form = respondent.submit_form(RESIDENT_SLUG)
    first = respondent.submit(RESIDENT_SLUG, form)
    reference = respondent.reference(RESIDENT_SLUG)
    for _ in range(3):
        again = respondent.submit(RESIDENT_SLUG, form)
        assert again.status_code == 303 and again.headers["Location"] == first.headers["Location"]
        assert respondent.reference(RESIDENT_SLUG) == reference
    assert count(app) == 1
    assert count(app, Answer) == 18  # one response's rows, not several


def test_the_repository_turns_a_racing_duplicate_into_the_stored_response(app, respondent):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    form = respondent.submit_form(RESIDENT_SLUG)
    respondent.submit(RESIDENT_SLUG, form)
    with app.app_context():
        survey = survey_from_stored(db.session.scalar(select(SurveyVersion)).definition)
        stored = db.session.scalar(select(Response))
        # As if a second request had checked for the key a moment before the first committed.
        real_lookup = repository.get_response_by_submission_key
        calls = []

        def late_lookup(key):
            calls.append(key)
            return None if len(calls) == 1 else real_lookup(key)

        repository.get_response_by_submission_key = late_lookup
        try:
            response, created = repository.save_response(
                survey, stored.answers, form["submission_key"], repository.Respondent("resident")
            )
        finally:
            repository.get_response_by_submission_key = real_lookup
        assert (response.id, created) == (stored.id, False)
        assert db.session.query(Response).count() == 1


@pytest.mark.parametrize(
    "today, code, text",
    [
        (date(2027, 2, 1), 410, "This survey has closed"),
        (date(2026, 9, 30), 403, "This survey is not open yet"),
    ],
)
def test_a_survey_that_is_not_open_accepts_nothing(app, respondent, monkeypatch, today, code, text):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    form = respondent.submit_form(RESIDENT_SLUG)
    page_token = respondent.token(respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe"))
    monkeypatch.setitem(app.config, "SURVEY_TODAY", today)
    response = respondent.submit(RESIDENT_SLUG, form)
    assert response.status_code == code and text in response.get_data(as_text=True)
    response = respondent.client.post(
        f"/consultations/{RESIDENT_SLUG}/feeling-safe",
        data={"csrf_token": page_token, **RESIDENT_PAGES["feeling-safe"]},
    )
    assert response.status_code == code
    assert respondent.get(f"/consultations/{RESIDENT_SLUG}/feeling-safe").status_code == code
    assert "Start now" not in respondent.page_html(f"/consultations/{RESIDENT_SLUG}")
    assert count(app) == 0


def test_a_historic_round_refuses_a_post(respondent):
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    response = respondent.client.post(
        "/consultations/residents-2017/feeling-safe", data={"csrf_token": respondent.token(html), "safe-day": "yes"}
    )
    assert response.status_code == 410
    response = respondent.client.post(
        "/consultations/residents-2017/submit", data={"csrf_token": respondent.token(html)}
    )
    assert response.status_code == 410


def test_a_filled_honeypot_stores_nothing_but_looks_like_success(app, respondent):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    form = {**respondent.submit_form(RESIDENT_SLUG), "website": "http://spam.example"}
    response = respondent.submit(RESIDENT_SLUG, form)
    assert response.status_code == 303 and response.headers["Location"].endswith("/confirmation")
    reference = respondent.reference(RESIDENT_SLUG)
    assert len(reference) == 9
    assert count(app) == 0


def test_the_submit_rate_limit_per_address(app, monkeypatch, new_respondent):
    monkeypatch.setitem(app.config, "SURVEY_SUBMIT_LIMIT", "3 per hour")
    for _ in range(3):
        new_respondent().complete(RESIDENT_SLUG, RESIDENT_PAGES)
    last = new_respondent()
    last.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    response = last.submit(RESIDENT_SLUG)
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    assert count(app) == 3
    # The draft is still there for when the limit resets.
    assert count(app, Draft) == 1


def test_an_oversized_request_gets_the_413_page(app, respondent):
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    response = respondent.client.post(
        f"/consultations/{RESIDENT_SLUG}/feeling-safe",
        data={"csrf_token": respondent.token(html), "safe-day": "x" * (2 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)


def test_unknown_options_and_huge_text_are_400_with_a_page(respondent):
    respondent.answer(RESIDENT_SLUG, "feeling-safe", RESIDENT_PAGES["feeling-safe"])
    respondent.answer(RESIDENT_SLUG, "local-problems", RESIDENT_PAGES["local-problems"])
    response = respondent.answer(
        RESIDENT_SLUG,
        "concerns",
        {
            "top-concerns-1": "'; DROP TABLE response; --",
            "top-concerns-2": "drugs",
            "top-concerns-3": "litter",
            "feel-safer": "z" * 100_000,
        },
    )
    assert response.status_code == 400
    assert errors_in(response) == [
        ("top-concerns-1", "Select your first concern from the list"),
        ("feel-safer", "Enter your answer in 1000 characters or less"),
    ]


def test_a_page_posted_without_a_csrf_token_is_refused_and_saves_nothing(app, respondent):
    respondent.get(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    response = respondent.client.post(
        f"/consultations/{RESIDENT_SLUG}/feeling-safe", data=RESIDENT_PAGES["feeling-safe"]
    )
    assert response.status_code == 400
    assert count(app, Draft) == 0


def test_an_expired_form_keeps_the_answers_and_explains(app, respondent, monkeypatch):
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    token = respondent.token(html)
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 2 * 3600)
    response = respondent.client.post(
        f"/consultations/{RESIDENT_SLUG}/feeling-safe",
        data={"csrf_token": token, "safe-day": "fairly-safe", "safe-after-dark": "very-unsafe"},
    )
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This page was open for a long time" in html
    assert 'value="fairly-safe" checked' in html and 'value="very-unsafe" checked' in html
    assert count(app, Draft) == 0  # nothing saved from the expired form
    # Sending the re-shown page again (fresh token) works.
    response = respondent.client.post(
        f"/consultations/{RESIDENT_SLUG}/feeling-safe",
        data={"csrf_token": respondent.token(html), "safe-day": "fairly-safe", "safe-after-dark": "very-unsafe"},
    )
    assert response.status_code == 303


def test_an_expired_check_answers_form_keeps_the_draft_and_can_be_sent_again(app, respondent, monkeypatch):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    form = respondent.submit_form(RESIDENT_SLUG)
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + 2 * 3600)
    response = respondent.submit(RESIDENT_SLUG, form)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This page was open for a long time" in html and "Speeding traffic" in html
    assert count(app) == 0 and count(app, Draft) == 1
    response = respondent.submit(RESIDENT_SLUG, {**form, "csrf_token": respondent.token(html)})
    assert response.status_code == 303 and count(app) == 1


def test_a_database_error_on_submit_shows_try_again_and_keeps_the_draft(app, respondent, monkeypatch):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    form = respondent.submit_form(RESIDENT_SLUG)

    def broken_commit():
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    working_commit = repository._commit
    monkeypatch.setattr(repository, "_commit", broken_commit)
    response = respondent.submit(RESIDENT_SLUG, form)
    assert response.status_code == 503
    assert "we could not save your answers just now" in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert count(app) == 0 and count(app, Answer) == 0 and count(app, Draft) == 1
    # When the database is back, sending the same form again works, once.
    monkeypatch.setattr(repository, "_commit", working_commit)
    response = respondent.submit(RESIDENT_SLUG, form)
    assert response.status_code == 303 and count(app) == 1 and count(app, Draft) == 0


def test_identical_answers_from_one_address_are_flagged_not_refused(app, new_respondent):
    new_respondent().complete(RESIDENT_SLUG, RESIDENT_PAGES)
    new_respondent().complete(RESIDENT_SLUG, RESIDENT_PAGES)
    different = {**RESIDENT_PAGES, "about-you": {"area": "Foxton"}}
    new_respondent().complete(RESIDENT_SLUG, different)
    with app.app_context():
        flags = db.session.scalars(select(Response.possible_duplicate).order_by(Response.id)).all()
    assert flags == [False, True, False]


def test_old_responses_stay_readable_after_the_questions_change(app, respondent, new_respondent, content_copy):
    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    assert respondent.submit(RESIDENT_SLUG).status_code == 303  # the copy of the answers is not opened yet
    with app.app_context():
        first = db.session.scalar(select(Response.reference))
    path = content_copy / "surveys" / f"{RESIDENT_SLUG}.md"
    text = path.read_text()
    text = text.replace(
        "How safe do you feel in your local area during the day?", "During the day, how safe do you feel?"
    )
    text = text.replace("      - id: age-band\n", "      - id: age\n")
    path.write_text(text)

    pages = {**RESIDENT_PAGES, "about-you": {"area": "Fleckney", "age": "45-54"}}
    new_respondent().complete(RESIDENT_SLUG, pages)
    with app.app_context():
        old, new = db.session.scalars(select(Response).order_by(Response.id)).all()
        assert old.reference == first and old.version_id != new.version_id
        assert old.answers["age-band"] == "45-54" and "age" in new.answers
        old_definition = survey_from_stored(old.version.definition)
        assert old_definition.question("safe-day").label == "How safe do you feel in your local area during the day?"
        assert old_definition.question("age-band") is not None
        assert db.session.query(SurveyVersion).count() == 2
    # The first respondent's printable copy (shown once) still shows the questions they answered.
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/confirmation")
    assert "How safe do you feel in your local area during the day?" in html and "45 to 54" in html


def test_definition_versions_are_shared_not_duplicated(app, new_respondent):
    for _ in range(3):
        new_respondent().complete(RESIDENT_SLUG, RESIDENT_PAGES)
    assert count(app, SurveyVersion) == 1


def test_a_submit_for_a_finished_draft_goes_back_to_the_start(respondent):
    html = respondent.page_html(f"/consultations/{RESIDENT_SLUG}/feeling-safe")
    response = respondent.client.post(
        f"/consultations/{RESIDENT_SLUG}/submit",
        data={"csrf_token": respondent.token(html), "submission_key": "k" * 43},
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/consultations/{RESIDENT_SLUG}")


def test_reference_alphabet_is_unambiguous():
    references = {repository.new_reference() for _ in range(200)}
    assert len(references) == 200
    assert not any(c in "".join(references) for c in "01ILO")


def test_a_draft_changed_in_place_is_written(app):
    with app.app_context():
        repository.save_draft("key", RESIDENT_SLUG, {"answers": {"safe-day": "very-safe"}, "raw": {}})
        db.session.remove()
        data = repository.draft_data(repository.get_draft("key", RESIDENT_SLUG))
        data["answers"]["safe-after-dark"] = "very-unsafe"
        data["raw"]["concerns"] = {"feel-safer": ["typed"]}
        repository.save_draft("key", RESIDENT_SLUG, data)
        db.session.remove()
        saved = repository.draft_data(repository.get_draft("key", RESIDENT_SLUG))
        assert saved["answers"] == {"safe-day": "very-safe", "safe-after-dark": "very-unsafe"}
        assert saved["raw"] == {"concerns": {"feel-safer": ["typed"]}}


def test_a_closing_date_changed_by_staff_is_honoured(app, respondent):
    from app.surveys.survey_models import RoundSetting

    respondent.answer_all(RESIDENT_SLUG, RESIDENT_PAGES)
    form = respondent.submit_form(RESIDENT_SLUG)
    with app.app_context():
        db.session.add(RoundSetting(survey_slug=RESIDENT_SLUG, closes_override=date(2026, 11, 20)))
        db.session.commit()
    response = respondent.submit(RESIDENT_SLUG, form)
    assert response.status_code == 410
    assert "It closed on 20 November 2026" in response.get_data(as_text=True)
    with app.app_context():
        db.session.scalar(select(RoundSetting)).closes_override = date(2027, 3, 31)
        db.session.commit()
    assert "You can answer until 31 March 2027." in respondent.page_html(f"/consultations/{RESIDENT_SLUG}")
    assert respondent.submit(RESIDENT_SLUG, form).status_code == 303
    assert count(app) == 1
