"""Staff accounts and sign-in through the real login pages, for the tests and the benches."""

import itertools
import re
from dataclasses import dataclass
from datetime import datetime

import pyotp

from app import clock
from app.extensions import db
from app.staff.auth import accounts, totp
from app.staff.staff_models import StaffUser

_counter = itertools.count(1)
PASSWORD = "correct horse battery staple"


@dataclass
class StaffAccount:
    id: int
    email: str
    role: str
    password: str
    secret: str | None


def create_staff(app, role="analyst", email=None, two_factor=True, password=PASSWORD, active=True) -> StaffAccount:
    email = email or f"{role}{next(_counter)}@example.org"
    with app.app_context():
        user = accounts.create(email, password, role, app.config["STAFF_ARGON2"])
        secret = None
        if two_factor:
            secret = totp.new_secret()
            user.totp_secret = secret
            user.totp_confirmed_at = clock.now()
        user.active = active
        db.session.commit()
        return StaffAccount(user.id, user.email, role, password, secret)


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_of(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def fresh_code(app, account: StaffAccount) -> str:
    """A valid code this account has not used yet (the next time-step if the current one is spent)."""
    with app.app_context():
        last = db.session.get(StaffUser, account.id).totp_last_step
    now = clock.now()
    step = int((now - datetime(1970, 1, 1)).total_seconds()) // totp.STEP_SECONDS
    use = step if last is None or last < step else last + 1
    assert use <= step + totp.DRIFT_STEPS, "no unused code left in the allowed window"
    return pyotp.TOTP(account.secret).at(use * totp.STEP_SECONDS)


def submit_password(client, account: StaffAccount, password=None, next_url=None):
    page = client.get("/staff/login" + (f"?next={next_url}" if next_url else ""))
    return client.post(
        page.request.path + (f"?next={next_url}" if next_url else ""),
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "email": account.email,
            "password": account.password if password is None else password,
        },
    )


def sign_in(app, client, account: StaffAccount, next_url=None):
    """Password then code, as a browser would. Returns the final (redirect) response."""
    response = submit_password(client, account, next_url=next_url)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert response.headers["Location"].endswith("/staff/login/code")
    page = client.get("/staff/login/code")
    response = client.post(
        "/staff/login/code", data={"csrf_token": csrf_of(page.get_data(as_text=True)), "code": fresh_code(app, account)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response
