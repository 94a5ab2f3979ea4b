"""Deny-by-default access control for the staff blueprint.

Every staff view must declare the role it needs with `@requires("analyst")` or
`@requires("admin")`; the blueprint's before_request enforces it. A view that declares
nothing is refused (403), so forgetting the decorator fails closed. Only the sign-in pages in
OPEN and PENDING are reachable without a full (password + second factor) sign-in.
"""

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_login import current_user

RANKS = {"analyst": 1, "admin": 2}
OPEN = {"staff.login"}  # no sign-in needed
PENDING = {"staff.two_factor", "staff.two_factor_setup", "staff.logout"}  # password done, code not yet
PASSWORD_CHANGE = {"staff.change_password", "staff.logout"}

EXPIRY_MESSAGES = {
    "idle": "You were signed out because you had not used the staff area for 30 minutes.",
    "absolute": "You were signed out because you had been signed in for 12 hours.",
    "pending": "Your sign-in timed out before you entered a code. Sign in again.",
    "disabled": "Your account has been disabled.",
}


View = TypeVar("View", bound=Callable[..., Any])


def requires(role: str) -> Callable[[View], View]:
    if role not in RANKS:
        raise ValueError(f"unknown role {role!r}")

    def decorate(view: View) -> View:
        # A plain function attribute, read back by `required_role`; typing has no name for it.
        setattr(view, "staff_role", role)  # noqa: B010
        return view

    return decorate


def required_role(endpoint: str) -> str | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "staff_role", None)


def safe_next(target: str | None) -> str | None:
    """Only a path inside the staff area: never another host (open redirect)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/staff/") or "\\" in target:
        return None
    return target


def enforce():
    endpoint = request.endpoint
    if endpoint in OPEN or endpoint is None:
        return None
    session_row = getattr(current_user, "current_session", None)
    if session_row is None:
        reason = g.get("staff_session_expired")
        if reason in EXPIRY_MESSAGES:
            flash(EXPIRY_MESSAGES[reason], "info")
        wanted = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
        return redirect(url_for("staff.login", next=wanted))
    if not session_row.two_factor_passed:
        if endpoint in PENDING:
            return None
        if endpoint in PASSWORD_CHANGE and current_user.must_change_password and not current_user.has_two_factor:
            return None  # a temporary password is replaced before two-factor set-up
        return redirect(url_for("staff.two_factor" if current_user.has_two_factor else "staff.two_factor_setup"))
    if endpoint in PENDING:
        return None
    if current_user.must_change_password and endpoint not in PASSWORD_CHANGE:
        return redirect(url_for("staff.change_password"))
    role = required_role(endpoint)
    if role is None or RANKS.get(current_user.role, 0) < RANKS[role]:
        current_app.logger.warning("Access refused: %s to %s", current_user.id, endpoint)
        abort(403)
    return None


def no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response
