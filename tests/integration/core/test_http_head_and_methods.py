"""HEAD is GET without a body, on every address: uptime monitors and link checkers send it, and it
once saved a half-filled survey page and erased a respondent's answers."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.routing import Rule

from app.extensions import db
from app.surveys.survey_models import Answer, Invitation
from tests.fixtures.staff import insert_response, sign_in
from tests.fixtures.surveys import RESIDENT_PAGES, RESIDENT_SLUG, SurveyBrowser

ARGUMENTS = {
    "slug": RESIDENT_SLUG,
    "page_id": "about-you",
    "round_key": "2026-27",
    "audience": "resident",
    "filename": "css/main.css",
    # POST-only (retrying a failed email): HEAD must answer 405 whether or not the message exists.
    "message_id": 1,
}


def database_rows(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    with app.app_context():
        rows = {
            table.name: sorted((tuple(row) for row in db.session.execute(select(table))), key=repr)
            for table in db.metadata.sorted_tables
        }
        db.session.remove()
    return rows


def session_contents(app: Flask, client: FlaskClient) -> dict[str, Any]:
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    if cookie is None:
        return {}
    contents: dict[str, Any] = app.session_interface.get_signing_serializer(app).loads(cookie.value)  # type: ignore[attr-defined]
    return contents


@pytest.fixture
def busy_visitor(app: Flask, admin, invite, survey_today) -> tuple[FlaskClient, dict[str, Any]]:
    """One browser that is signed in as staff and halfway through the residents' survey, with a
    stored response and an unused invitation in the database."""
    client = app.test_client()
    sign_in(app, client, admin)
    respondent = SurveyBrowser(client)
    for page_id in ("feeling-safe", "local-problems", "concerns", "about-you"):
        assert respondent.answer(RESIDENT_SLUG, page_id, RESIDENT_PAGES[page_id]).status_code == 303
    token = invite("Fleckney Parish Council")
    with app.app_context():
        response = insert_response(RESIDENT_SLUG, "2026-27", [("feel-safer", "", "More speed checks", True)])
        values = {
            **ARGUMENTS,
            "reference": response.reference,
            "user_id": admin.id,
            "token": token,
            "answer_id": db.session.scalar(select(Answer.id)),
            "invitation_id": db.session.scalar(select(Invitation.id)),
        }
        db.session.commit()
        db.session.remove()
    return client, values


def url_for_rule(rule: Rule, values: dict[str, Any]) -> str:
    built = rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)
    assert built is not None, rule.rule
    return built[1]


def test_head_on_every_address_changes_no_row_draft_or_session(app, busy_visitor):
    client, values = busy_visitor
    rows_before = database_rows(app)
    session_before = session_contents(app, client)
    assert session_before, "the visitor should have a session (staff sign-in and a survey draft)"
    checked = []
    for rule in app.url_map.iter_rules():
        url = url_for_rule(rule, values)
        response = client.head(url)
        assert response.data == b"", f"HEAD {url} sent a body"
        if "GET" in rule.methods:
            assert response.status_code != 405, f"HEAD {url} refused"
        else:
            assert response.status_code == 405, f"HEAD {url} answered {response.status_code}"
            assert "POST" in response.headers["Allow"] and "HEAD" not in response.headers["Allow"], url
        assert database_rows(app) == rows_before, f"HEAD {url} changed the database"
        assert session_contents(app, client) == session_before, f"HEAD {url} changed the session"
        checked.append(url)
    assert len(checked) == len(list(app.url_map.iter_rules()))
    for url in (f"/staff/exports/{RESIDENT_SLUG}/download?format=csv", f"/staff/results/{RESIDENT_SLUG}?area=Fleckney"):
        response = client.head(url)
        assert response.status_code == 200 and response.data == b"", url
        assert database_rows(app) == rows_before, f"HEAD {url} changed the database"


def test_head_on_a_question_page_answers_as_get_and_keeps_the_answers(app, busy_visitor):
    client, _values = busy_visitor
    url = f"/consultations/{RESIDENT_SLUG}/about-you"
    head = client.head(url)
    get = client.get(url)
    assert head.status_code == get.status_code == 200
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    # The answers given before the HEAD are still there.
    assert '<option value="Fleckney" selected>' in get.get_data(as_text=True)


def test_head_on_an_invitation_link_does_not_mark_it_opened(app, invite, survey_today):
    token = invite("Kibworth Parish Council")
    client = app.test_client()
    assert client.head(f"/invite/{token}").status_code == 303
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert invitation.first_used_at is None and invitation.last_used_at is None
        db.session.remove()
    assert client.get(f"/invite/{token}").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Invitation)).first_used_at is not None
        db.session.remove()


def test_a_post_only_address_says_which_method_it_takes(client):
    response = client.get(f"/consultations/{RESIDENT_SLUG}/submit")
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"POST", "OPTIONS"}
    assert "There is a problem with your request" in response.get_data(as_text=True)
