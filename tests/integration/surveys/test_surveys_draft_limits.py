"""Drafts cannot be used to fill the database.

The attack: a question page posted with an invalid answer and many made-up fields of 10,000
characters each, the same old session cookie sent every time (ignoring the one that names the
draft) or a new session for every request. Each used to store about 1 MB in a new draft.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from app.clock import utcnow
from app.extensions import db, limiter
from app.surveys.drafts import draft_rules
from app.surveys.survey_models import Draft, Response
from tests.conftest import csrf_token_from, make_app
from tests.fixtures.surveys import OPEN_DAY, RESIDENT_PAGES, RESIDENT_SLUG, SurveyBrowser

PAGE = f"/consultations/{RESIDENT_SLUG}/feeling-safe"
JUNK = {f"safe-day-x{i}": "x" * 10_000 for i in range(98)}


def hostile_form(token: str, junk: dict | None = None) -> dict:
    return {
        "csrf_token": token,
        "safe-day": "not-an-option",
        "safe-after-dark": "y" * 10_000,
        **(JUNK if junk is None else junk),
    }


def session_cookie(client) -> str:
    cookie = client.get_cookie("st_session")
    assert cookie is not None
    return cookie.value


def drafts(app) -> list[Draft]:
    with app.app_context():
        found = list(db.session.scalars(select(Draft)))
        db.session.expunge_all()
        return found


def database_bytes(app) -> int:
    """What the database takes on disk (SQLite: after folding the write-ahead log in)."""
    with app.app_context(), db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
            free = conn.exec_driver_sql("PRAGMA freelist_count").scalar()
            return (pages - free) * conn.exec_driver_sql("PRAGMA page_size").scalar()
        return conn.execute(text("SELECT pg_total_relation_size('draft')")).scalar()


def test_only_the_pages_own_fields_are_kept_each_within_its_limit(app, client, survey_today):
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    response = client.post(PAGE, data=hostile_form(token))
    assert response.status_code == 400
    [draft] = drafts(app)
    raw = draft.answers["raw"]["feeling-safe"]
    assert set(raw) <= {"safe-day", "safe-after-dark"}
    assert all(len(v) <= draft_rules.CHOICE_VALUE_LIMIT for values in raw.values() for v in values)
    assert draft.size_bytes < 1000


def test_the_same_old_session_cookie_sent_again_and_again_finds_one_draft(app, survey_today):
    browser = app.test_client()
    token = csrf_token_from(browser.get(PAGE).get_data(as_text=True))
    cookie = session_cookie(browser)
    replayer = app.test_client(use_cookies=False)
    for _ in range(10):
        response = replayer.post(PAGE, data=hostile_form(token, junk={}), headers={"Cookie": f"st_session={cookie}"})
        assert response.status_code == 400
    assert len(drafts(app)) == 1


def test_a_thousand_hostile_requests_grow_the_database_by_less_than_1_mb(app, survey_today):
    before = database_bytes(app)
    refused = 0
    for _ in range(1000):
        attacker = app.test_client()  # a new session every time
        token = csrf_token_from(attacker.get(PAGE).get_data(as_text=True))
        response = attacker.post(PAGE, data=hostile_form(token, junk={f"safe-day-x{i}": "x" * 1000 for i in range(98)}))
        refused += response.status_code == 429
    grown = database_bytes(app) - before
    assert grown < 1024 * 1024, f"the database grew by {grown / 1e6:.1f} MB"
    assert refused > 900  # the address's allowance for new drafts ran out early


def test_a_respondent_who_saves_too_often_is_told_to_wait_and_keeps_what_they_typed(
    app, client, survey_today, monkeypatch
):
    monkeypatch.setitem(app.config, "SURVEY_DRAFT_SESSION_LIMIT", "5 per 10 minutes")
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    for _ in range(5):
        assert client.post(PAGE, data={"csrf_token": token, "safe-day": "very-safe"}).status_code == 400
    response = client.post(PAGE, data={"csrf_token": token, "safe-day": "very-safe", "safe-after-dark": "fairly-safe"})
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Wait a few minutes" in html
    assert 'value="fairly-safe" checked' in html


def test_abandoned_drafts_make_way_oldest_first_before_a_respondent_is_refused(app, client, survey_today, monkeypatch):
    now = utcnow()
    monkeypatch.setitem(app.config, "SURVEY_DRAFTS_MAX_BYTES", 3000)
    with app.app_context():
        for n, age in enumerate((5, 3, 2)):  # hours since each was last saved
            db.session.add(
                Draft(
                    key=f"old-{n}",
                    survey_slug=RESIDENT_SLUG,
                    answers={"answers": {}, "raw": {}},
                    updated_at=now - timedelta(hours=age),
                    expires_at=now + timedelta(days=1),
                    size_bytes=1000,
                )
            )
        db.session.commit()
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    response = client.post(PAGE, data={"csrf_token": token, "safe-day": "very-safe", "safe-after-dark": "fairly-safe"})
    assert response.status_code == 303
    keys = {d.key for d in drafts(app)}
    assert "old-0" not in keys and {"old-1", "old-2"} <= keys
    with app.app_context():
        assert db.session.scalar(select(func.sum(Draft.size_bytes))) <= 3000


def test_when_every_draft_is_in_use_a_new_respondent_is_asked_to_come_back(app, client, survey_today, monkeypatch):
    now = utcnow()
    monkeypatch.setitem(app.config, "SURVEY_DRAFTS_MAX_BYTES", 1000)
    with app.app_context():
        db.session.add(
            Draft(
                key="busy",
                survey_slug=RESIDENT_SLUG,
                answers={"answers": {}, "raw": {}},
                updated_at=now - timedelta(minutes=1),
                expires_at=now + timedelta(days=1),
                size_bytes=1000,
            )
        )
        db.session.commit()
    token = csrf_token_from(client.get(PAGE).get_data(as_text=True))
    response = client.post(PAGE, data={"csrf_token": token, "safe-day": "very-safe", "safe-after-dark": "fairly-safe"})
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "very busy" in html and 'value="fairly-safe" checked' in html
    assert [d.key for d in drafts(app)] == ["busy"]


def test_a_draft_over_its_own_limit_drops_what_was_typed_before_the_answers():
    data = {"answers": {"safe-day": "very-safe"}, "raw": {"page": {"field": ["x" * draft_rules.DRAFT_MAX_BYTES]}}}
    kept, size = draft_rules.bounded(data)
    assert kept["answers"] == {"safe-day": "very-safe"} and kept["raw"] == {}
    assert size < 100
    with pytest.raises(draft_rules.DraftTooLarge):
        draft_rules.bounded({"answers": {"q": "x" * draft_rules.DRAFT_MAX_BYTES}, "raw": {}})


def test_with_rate_limits_switched_off_a_resident_still_answers_and_is_stored(tmp_path, monkeypatch):
    """RATELIMIT_ENABLED=False (the bench's setting) once made every question page answer 500."""
    # Flask-Limiter keeps the switch on the shared extension: put it back for the other apps.
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    unlimited = make_app("sqlite", tmp_path, RATELIMIT_ENABLED=False, SURVEY_TODAY=OPEN_DAY)
    reference = SurveyBrowser(unlimited.test_client()).complete(RESIDENT_SLUG, RESIDENT_PAGES)
    with unlimited.app_context():
        assert db.session.scalar(select(Response.reference).where(Response.reference == reference)) == reference
        db.engine.dispose()
