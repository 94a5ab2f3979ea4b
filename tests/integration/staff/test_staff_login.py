"""Signing in to the staff area: password, second factor, throttling, sessions and sign-out."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock, create_app
from app.extensions import db
from app.staff.auth import totp
from app.staff.staff_models import AuditEvent, StaffSession, StaffUser
from tests.fixtures.staff import PASSWORD, csrf_of, fresh_code, sign_in, submit_password


def client_at(app, ip):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = ip
    return client


def audit_actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def test_login_page_has_labelled_fields_and_no_store(client):
    response = client.get("/staff/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert '<label class="govuk-label" for="email">' in html
    assert 'autocomplete="current-password"' in html
    assert "Signed in as" not in html


def test_password_and_code_reach_the_dashboard_and_show_who_is_signed_in(app, client, analyst):
    response = sign_in(app, client, analyst)
    assert response.headers["Location"].endswith("/staff/")
    page = client.get("/staff/")
    assert page.status_code == 200
    assert f"Signed in as <strong>{analyst.email}</strong>" in page.get_data(as_text=True)
    assert "login" in audit_actions(app)


def test_password_alone_never_reaches_a_staff_page(app, client, analyst):
    response = submit_password(client, analyst)
    assert response.headers["Location"].endswith("/staff/login/code")
    for path in ("/staff/", "/staff/responses", "/staff/account/password"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/staff/login/code")


def test_wrong_password_is_refused_with_a_message_and_audited(app, client, analyst):
    response = submit_password(client, analyst, password="not the password")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in html
    assert "<title>Error:" in html
    assert client.get("/staff/").status_code == 302
    assert audit_actions(app) == ["login failed"]


def test_unknown_email_gets_the_same_message(app, client):
    page = client.get("/staff/login")
    response = client.post(
        "/staff/login",
        data={"csrf_token": csrf_of(page.get_data(as_text=True)), "email": "nobody@example.org", "password": PASSWORD},
    )
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(app, client, make_staff):
    account = make_staff("analyst", active=False)
    response = submit_password(client, account)
    assert response.status_code == 200
    assert "Enter a correct email address and password" in response.get_data(as_text=True)


def test_first_sign_in_sets_up_two_factor_with_inline_svg_qr_code_and_text_key(app, client, make_staff):
    account = make_staff("analyst", two_factor=False)
    response = submit_password(client, account)
    assert response.headers["Location"].endswith("/staff/login/set-up-code")
    page = client.get("/staff/login/set-up-code")
    html = page.get_data(as_text=True)
    assert "<svg" in html and 'role="img"' in html
    assert "style=" not in html and "<img" not in html
    with app.app_context():
        secret = db.session.get(StaffUser, account.id).totp_secret
    assert secret and totp.grouped(secret) in html
    # A wrong code does not complete set-up.
    bad = client.post("/staff/login/set-up-code", data={"csrf_token": csrf_of(html), "code": "000000"})
    assert bad.status_code == 200 and "this one is wrong" in bad.get_data(as_text=True)
    account.secret = secret
    response = client.post(
        "/staff/login/set-up-code", data={"csrf_token": csrf_of(html), "code": fresh_code(app, account)}
    )
    assert response.headers["Location"].endswith("/staff/")
    with app.app_context():
        assert db.session.get(StaffUser, account.id).totp_confirmed_at is not None
    assert client.get("/staff/").status_code == 200


def test_a_used_code_is_refused_when_replayed(app, client, analyst):
    submit_password(client, analyst)
    page = client.get("/staff/login/code")
    code = fresh_code(app, analyst)
    ok = client.post("/staff/login/code", data={"csrf_token": csrf_of(page.get_data(as_text=True)), "code": code})
    assert ok.status_code == 302
    other = app.test_client()
    submit_password(other, analyst)
    page = other.get("/staff/login/code")
    replay = other.post("/staff/login/code", data={"csrf_token": csrf_of(page.get_data(as_text=True)), "code": code})
    assert replay.status_code == 200
    assert "already used" in replay.get_data(as_text=True)
    assert other.get("/staff/").status_code == 302


def test_code_from_long_ago_is_refused(app, client, analyst):
    submit_password(client, analyst)
    page = client.get("/staff/login/code")
    old = totp.code_at(analyst.secret, clock.now() - timedelta(minutes=5))
    response = client.post("/staff/login/code", data={"csrf_token": csrf_of(page.get_data(as_text=True)), "code": old})
    assert response.status_code == 200
    assert client.get("/staff/").status_code == 302


def test_session_id_is_renewed_at_each_sign_in_step(app, client, analyst):
    client.get("/staff/login")
    with client.session_transaction() as s:
        s["planted"] = "by an attacker"
    submit_password(client, analyst)
    with client.session_transaction() as s:
        pending_token = s["_user_id"]
        assert "planted" not in s
    page = client.get("/staff/login/code")
    client.post(
        "/staff/login/code", data={"csrf_token": csrf_of(page.get_data(as_text=True)), "code": fresh_code(app, analyst)}
    )
    with client.session_transaction() as s:
        assert s["_user_id"] != pending_token
    with app.app_context():
        rows = db.session.scalars(select(StaffSession)).all()
        assert len(rows) == 1 and rows[0].two_factor_passed


def test_logout_ends_the_session_and_a_replayed_cookie_is_refused(app, client, analyst):
    sign_in(app, client, analyst)
    with client.session_transaction() as s:
        copied = dict(s)
    page = client.get("/staff/")
    response = client.post("/staff/logout", data={"csrf_token": csrf_of(page.get_data(as_text=True))})
    assert response.headers["Location"].endswith("/staff/login")
    assert client.get("/staff/").status_code == 302
    thief = app.test_client()
    with thief.session_transaction() as s:
        s.update(copied)
    response = thief.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    with app.app_context():
        assert db.session.scalars(select(StaffSession)).all() == []


def test_idle_for_30_minutes_signs_out(app, client, analyst, monkeypatch):
    sign_in(app, client, analyst)
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=29))
    assert client.get("/staff/").status_code == 200  # activity resets the idle timer
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=29 + 29))
    assert client.get("/staff/").status_code == 200
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=29 + 29 + 31))
    response = client.get("/staff/")
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    page = client.get(response.headers["Location"])
    assert "30 minutes" in page.get_data(as_text=True)


def test_twelve_hours_in_all_signs_out_even_when_active(app, client, analyst, monkeypatch):
    sign_in(app, client, analyst)
    start = clock.now()
    for minutes in range(20, 12 * 60, 20):
        monkeypatch.setattr(clock, "now", lambda m=minutes: start + timedelta(minutes=m))
        assert client.get("/staff/").status_code == 200
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(hours=12, minutes=1))
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "12 hours" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_failed_logins_are_throttled_per_account_with_a_clear_message(app, analyst):
    for attempt in range(10):
        client = client_at(app, f"10.0.0.{attempt + 1}")
        assert submit_password(client, analyst, password="wrong").status_code == 200
    client = client_at(app, "10.0.1.1")
    response = submit_password(client, analyst)  # even the right password waits
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Too many sign-in attempts" in html and "Wait 15 minutes" in html
    assert response.headers["Cache-Control"] == "no-store"
    # Another account is unaffected.
    other_client = client_at(app, "10.0.2.1")
    page = other_client.get("/staff/login")
    other = other_client.post(
        "/staff/login",
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "email": "someone-else@example.org",
            "password": "x" * 9,
        },
    )
    assert other.status_code == 200


def test_failed_logins_are_throttled_per_ip_across_accounts(app, client, analyst):
    for n in range(30):
        page = client.get("/staff/login")
        response = client.post(
            "/staff/login",
            data={
                "csrf_token": csrf_of(page.get_data(as_text=True)),
                "email": f"guess{n}@example.org",
                "password": "wrong password",
            },
        )
        assert response.status_code == 200
    assert submit_password(client, analyst).status_code == 429


def test_lockout_ends_by_itself_after_the_window(app, analyst, monkeypatch):
    """The limit is a time window, so attackers cannot lock staff out for good."""
    import time

    # Flask-Limiter keeps one storage per Limiter object: a production app made by another test
    # rebinds it to Redis, whose windows ignore the patched clock. A new testing app rebinds it
    # to in-memory storage, which reads time.time.
    client = create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"]).test_client()
    for _ in range(10):
        submit_password(client, analyst, password="wrong")
    assert submit_password(client, analyst).status_code == 429
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 16 * 60)
    assert submit_password(client, analyst).status_code == 302


def test_successful_logins_do_not_count_towards_the_limit(app, analyst):
    for _ in range(12):
        client = app.test_client()
        assert submit_password(client, analyst).status_code == 302


def test_wrong_codes_are_throttled(app, client, analyst):
    submit_password(client, analyst)
    for _ in range(5):
        page = client.get("/staff/login/code")
        response = client.post(
            "/staff/login/code", data={"csrf_token": csrf_of(page.get_data(as_text=True)), "code": "000000"}
        )
        assert response.status_code == 200
    page = client.get("/staff/login/code")
    response = client.post(
        "/staff/login/code", data={"csrf_token": csrf_of(page.get_data(as_text=True)), "code": fresh_code(app, analyst)}
    )
    assert response.status_code == 429


def test_next_parameter_only_returns_inside_the_staff_area(app, client, analyst):
    response = client.get("/staff/responses")
    assert response.status_code == 302
    assert (
        "next=/staff/responses" in response.headers["Location"]
        or "next=%2Fstaff%2Fresponses" in response.headers["Location"]
    )
    response = sign_in(app, client, analyst, next_url="/staff/responses")
    assert response.headers["Location"].endswith("/staff/responses")
    evil = app.test_client()
    response = sign_in(app, evil, analyst, next_url="https://evil.example/staff/")
    assert response.headers["Location"].endswith("/staff/")
    assert "evil" not in response.headers["Location"]


def test_change_password_signs_out_other_browsers(app, analyst):
    first, second = app.test_client(), app.test_client()
    sign_in(app, first, analyst)
    sign_in(app, second, analyst)
    page = first.get("/staff/account/password")
    response = first.post(
        "/staff/account/password",
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert first.get("/staff/").status_code == 200
    assert second.get("/staff/").status_code == 302
    analyst.password = "a brand new passphrase"
    assert submit_password(app.test_client(), analyst).status_code == 302


@pytest.mark.parametrize(
    "new, message",
    [
        ("short", "Password must be 8 characters or more"),
        ("x" * 129, "Password must be 128 characters or fewer"),
    ],
)
def test_change_password_rules(app, analyst_client, new, message):
    page = analyst_client.get("/staff/account/password")
    response = analyst_client.post(
        "/staff/account/password",
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "current_password": PASSWORD,
            "new_password": new,
            "confirm_password": new,
        },
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_samesite_lax(app, client, analyst):
    response = submit_password(client, analyst)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "remember_token" not in cookie
