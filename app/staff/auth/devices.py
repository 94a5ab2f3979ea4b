"""Known browsers for staff sign-in: OWASP's device-cookie pattern.

Failed sign-ins are counted per account and per address, so guessing is slow. Counted alone,
that lets anyone lock a staff member out by failing on purpose. So a browser that has completed
a sign-in before (password and code) gets a signed device cookie naming that account; with it,
the account's and the address's counts do not apply, and the browser has its own allowance
instead. An attacker can use up the allowance for unknown browsers, never the owner's own.
"""

from __future__ import annotations

import secrets

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer

from app.staff.auth import accounts

COOKIE = "st_device"
SALT = "staff-device-cookie"
MAX_AGE = 365 * 24 * 3600
DEVICE_LIMIT = "10 per 15 minutes"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _cookie() -> dict | None:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return None
    try:
        data = _serializer().loads(raw)
    except BadSignature:
        return None
    return data if isinstance(data, dict) and isinstance(data.get("n"), str) else None


def known_device_for(email: str) -> str | None:
    """The device's id if this browser signed in as `email` before, else None."""
    data = _cookie()
    if data is None or data.get("e") != accounts.normalise_email(email or ""):
        return None
    return data["n"]


def is_known_for_form() -> bool:
    return known_device_for(request.form.get("email", "")) is not None


def is_unknown_for_form() -> bool:
    return not is_known_for_form()


def limit_key() -> str:
    return "staff-device:" + (known_device_for(request.form.get("email", "")) or "none")


def remember(response: Response, email: str) -> Response:
    """Mark this browser as known for `email` (after a complete sign-in)."""
    value = _serializer().dumps({"e": accounts.normalise_email(email), "n": secrets.token_urlsafe(16)})
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        path="/staff/login",
        httponly=True,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        samesite="Strict",
    )
    return response
