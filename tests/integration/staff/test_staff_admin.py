"""Staff accounts (command line and admin pages), two-factor resets and the audit log."""

import logging
from datetime import timedelta

from sqlalchemy import func, select

from app import clock
from app.extensions import db
from app.staff.staff_models import AuditEvent, StaffSession, StaffUser
from tests.fixtures.staff import StaffAccount, csrf_of, fresh_code, sign_in, submit_password


def user(app, email):
    with app.app_context():
        found = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
        db.session.expunge_all()
        return found


def test_cli_creates_an_account_with_an_argon2id_hash_from_standard_input(app):
    result = app.test_cli_runner().invoke(
        args=["staff", "create", "Lead@Example.org", "--admin"], input="a good long passphrase\n"
    )
    assert result.exit_code == 0, result.output
    assert "Created admin lead@example.org" in result.output
    created = user(app, "lead@example.org")
    assert created.role == "admin" and created.password_hash.startswith("$argon2id$")
    assert "a good long passphrase" not in created.password_hash
    assert created.totp_secret is None  # set up at first sign-in
    again = app.test_cli_runner().invoke(args=["staff", "create", "lead@example.org"], input="another passphrase\n")
    assert again.exit_code != 0 and "already a staff account" in again.output


def test_cli_refuses_a_short_password(app):
    result = app.test_cli_runner().invoke(args=["staff", "create", "new@example.org"], input="short\n")
    assert result.exit_code != 0 and "8 characters or more" in result.output
    assert user(app, "new@example.org") is None


def test_there_is_no_default_account(app):
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StaffUser)) == 0


def test_cli_disable_signs_the_account_out(app, analyst):
    client = app.test_client()
    sign_in(app, client, analyst)
    result = app.test_cli_runner().invoke(args=["staff", "disable", analyst.email])
    assert result.exit_code == 0
    assert client.get("/staff/").status_code == 302
    assert submit_password(app.test_client(), analyst).status_code == 200  # refused


def test_cli_reset_two_factor(app, analyst):
    app.test_cli_runner().invoke(args=["staff", "reset-2fa", analyst.email])
    response = submit_password(app.test_client(), analyst)
    assert response.headers["Location"].endswith("/staff/login/set-up-code")


def test_admin_adds_a_member_who_must_choose_a_password_and_set_up_two_factor(app, admin_client):
    page = admin_client.get("/staff/users")
    response = admin_client.post(
        "/staff/users",
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "email": "new.analyst@example.org",
            "role": "analyst",
            "new_password": "temporary passphrase",
            "confirm_password": "temporary passphrase",
        },
    )
    assert response.status_code == 302
    newcomer = app.test_client()
    account = StaffAccount(
        user(app, "new.analyst@example.org").id, "new.analyst@example.org", "analyst", "temporary passphrase", None
    )
    # The temporary password is replaced first; only then is an authenticator app set up.
    assert submit_password(newcomer, account).headers["Location"].endswith("/staff/account/password")
    assert newcomer.get("/staff/login/set-up-code").headers["Location"].endswith("/staff/account/password")
    assert newcomer.get("/staff/").headers["Location"].endswith("/staff/login/set-up-code")
    page = newcomer.get("/staff/account/password")
    changed = newcomer.post(
        "/staff/account/password",
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "current_password": "temporary passphrase",
            "new_password": "my own passphrase",
            "confirm_password": "my own passphrase",
        },
    )
    assert changed.headers["Location"].endswith("/staff/login/set-up-code")
    assert newcomer.get("/staff/").headers["Location"].endswith("/staff/login/set-up-code")
    html = newcomer.get("/staff/login/set-up-code").get_data(as_text=True)
    account.secret = user(app, account.email).totp_secret
    assert account.secret and "<svg" in html
    done = newcomer.post(
        "/staff/login/set-up-code", data={"csrf_token": csrf_of(html), "code": fresh_code(app, account)}
    )
    assert done.headers["Location"].endswith("/staff/")
    assert newcomer.get("/staff/").status_code == 200


def test_a_set_up_secret_is_never_shown_to_the_next_person_with_the_same_temporary_password(app, admin_client):
    page = admin_client.get("/staff/users")
    admin_client.post(
        "/staff/users",
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "email": "shared@example.org",
            "role": "analyst",
            "new_password": "temporary passphrase",
            "confirm_password": "temporary passphrase",
        },
    )
    account = StaffAccount(
        user(app, "shared@example.org").id, "shared@example.org", "analyst", "temporary passphrase", None
    )
    first, second = app.test_client(), app.test_client()
    submit_password(first, account)
    seen_by_first = user(app, account.email).totp_secret
    assert seen_by_first not in first.get("/staff/login/set-up-code", follow_redirects=True).get_data(as_text=True)
    submit_password(second, account)
    assert user(app, account.email).totp_secret != seen_by_first


def test_add_member_validation(app, admin_client):
    page = admin_client.get("/staff/users")
    response = admin_client.post(
        "/staff/users",
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "email": "not-an-email",
            "role": "analyst",
            "new_password": "short",
            "confirm_password": "different",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Enter an email address in the correct format" in html
    assert "Password must be 8 characters or more" in html
    assert 'class="govuk-error-summary' in html


def test_admin_resets_two_factor_and_it_is_audited(app, admin_client, analyst):
    victim = app.test_client()
    sign_in(app, victim, analyst)
    page = admin_client.get("/staff/users")
    admin_client.post(
        f"/staff/users/{analyst.id}/reset-two-factor", data={"csrf_token": csrf_of(page.get_data(as_text=True))}
    )
    assert victim.get("/staff/").status_code == 302
    assert user(app, analyst.email).totp_secret is None
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "two-factor reset"))
        assert event.detail == analyst.email


def test_role_change_and_disable(app, admin_client, admin, analyst):
    page = admin_client.get("/staff/users")
    token = csrf_of(page.get_data(as_text=True))
    admin_client.post(f"/staff/users/{analyst.id}/role", data={"csrf_token": token, "role": "admin"})
    assert user(app, analyst.email).role == "admin"
    admin_client.post(f"/staff/users/{analyst.id}/active", data={"csrf_token": token, "active": "no"})
    assert user(app, analyst.email).active is False
    # The last active admin cannot be demoted or disabled.
    admin_client.post(f"/staff/users/{admin.id}/role", data={"csrf_token": token, "role": "analyst"})
    assert user(app, admin.email).role == "admin"
    admin_client.post(f"/staff/users/{admin.id}/active", data={"csrf_token": token, "active": "no"})
    assert user(app, admin.email).active is True


def test_audit_log_is_paginated_newest_first(app, admin_client):
    with app.app_context():
        start = clock.now() - timedelta(days=1)
        for n in range(120):
            db.session.add(
                AuditEvent(
                    at=start + timedelta(seconds=n),
                    actor="someone@example.org",
                    action="export",
                    detail=f"event {n:03d}",
                )
            )
        db.session.commit()
    first = admin_client.get("/staff/audit").get_data(as_text=True)
    assert "login" in first  # the admin's own sign-in is the newest entry
    assert "event 119" in first and "event 071" in first and "event 070" not in first  # 50 a page
    third = admin_client.get("/staff/audit?page=3").get_data(as_text=True)
    assert "event 000" in third
    assert admin_client.get("/staff/audit?page=abc").status_code == 200


def test_login_failures_are_logged_without_secrets_or_forged_lines(app, client, analyst, caplog):
    caplog.set_level(logging.INFO, logger="app.staff.auth.audit")
    page = client.get("/staff/login")
    client.post(
        "/staff/login",
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "email": "x@example.org\r\nINFO audit action=login",
            "password": "secret-guess-123",
        },
    )
    submit_password(client, analyst, password="another-secret-guess")
    text = caplog.text
    assert "secret-guess" not in text
    assert "\r" not in text and "actor=x@example.org info audit action=login detail=unknown email" in text
    assert len(caplog.records) == 2 and all("\n" not in r.getMessage() for r in caplog.records)
    with app.app_context():
        details = [(e.actor, e.detail) for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert details == [("x@example.org info audit action=login", "unknown email"), (analyst.email, "wrong password")]


def test_sessions_table_is_emptied_by_logout_and_expiry(app, analyst, monkeypatch):
    client = app.test_client()
    sign_in(app, client, analyst)
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(hours=13))
    client.get("/staff/")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(StaffSession)) == 0


def test_production_hashes_with_at_least_the_owasp_minimum_and_refuses_less():
    """The staff feature's own start-up check, on a bare production app (a full production
    app would re-bind the shared rate limiter to Redis for the rest of the test session)."""
    import pytest
    from flask import Flask

    from app import staff
    from app.staff.auth.passwords import hash_password

    production = Flask("production-check")
    production.config.update(PRODUCTION=True)
    staff.init_app(production)
    params = production.config["STAFF_ARGON2"]
    assert hash_password("a long passphrase", params).startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    weak = Flask("weak-check")
    weak.config.update(PRODUCTION=True, STAFF_ARGON2={"memory_cost": 1024, "time_cost": 1, "parallelism": 1})
    with pytest.raises(RuntimeError, match="STAFF_ARGON2 is below the minimum"):
        staff.init_app(weak)
