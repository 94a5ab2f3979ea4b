"""One handler for every HTTP error: a page in the site's design, never a stack trace."""

import contextlib
import logging
from datetime import UTC

from flask import make_response, render_template, request
from flask.globals import request_ctx as _request_ctx
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.wrappers import Response

log = logging.getLogger(__name__)

TITLES = {
    400: "There is a problem with your request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "There is a problem with your request",
    413: "What you sent is too large",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
}


def _retry_at() -> str | None:
    """When the limit that refused this request lets the visitor in again, as UK clock time."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from app.extensions import limiter

    try:
        current = limiter.current_limit
    except Exception:  # no limit was evaluated (a 429 raised by hand): say nothing precise
        return None
    if current is None:
        return None
    local = datetime.fromtimestamp(current.reset_at, UTC).astimezone(ZoneInfo("Europe/London"))
    today = datetime.now(ZoneInfo("Europe/London")).date()
    hour = local.hour % 12 or 12
    clock = f"{hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
    return clock if local.date() == today else f"{clock} on {local.day} {local:%B}"


def render_error(code: int, message: str | None = None):
    if _request_ctx.url_adapter is None:
        # The host was refused (TRUSTED_HOSTS), so no URL can be built for the page's links:
        # answer with a plain page rather than fail again while rendering.
        return f"{TITLES.get(code, TITLES[400])}\n", code, {"Content-Type": "text/plain; charset=utf-8"}
    template = f"errors/{code}.html" if code in (404, 429, 500) else "errors/generic.html"
    title = TITLES.get(code, TITLES[400] if code < 500 else TITLES[500])
    retry_at = _retry_at() if code == 429 else None
    return render_template(template, code=code, title=title, message=message, retry_at=retry_at), code


TRY_AGAIN_TITLE = "Sorry, we could not do that just now"
RETRY_AFTER_SECONDS = 60


def database_error(
    error: Exception, title: str = TRY_AGAIN_TITLE, back_url: str | None = None, back_text: str = "Go back"
) -> tuple[str | Response, int, dict[str, str]]:
    """The one "try again" page for a database that failed (locked, unreachable, restarting).

    Nothing half-written is kept (the transaction is rolled back), and the page itself needs no
    database: should rendering fail too, a plain sentence is sent instead of a second error.
    """
    from app.extensions import db

    with contextlib.suppress(SQLAlchemyError):
        db.session.rollback()
    log.error("Database error on %s %s: %s", request.method, request.path, type(error).__name__)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}
    try:
        page = render_template("errors/try_again.html", code=503, title=title, back_url=back_url, back_text=back_text)
    except SQLAlchemyError:
        page = f"{title}. Wait a minute, then try again.\n"
        headers["Content-Type"] = "text/plain; charset=utf-8"
    return page, 503, headers


def init_app(app) -> None:
    @app.errorhandler(SQLAlchemyError)
    def database_unavailable(error):
        return database_error(error)

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        log.warning("CSRF failure on %s %s: %s", request.method, request.path, error.description)
        return render_error(
            400, "The form had expired or was not sent from this site. Go back, reload the page and try again."
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        if error.code == 429:
            log.warning("Rate limit hit on %s", request.path)
        response = make_response(render_error(error.code or 500))
        # A 405 says which methods the address does accept (werkzeug puts them on the error).
        for name, value in error.get_headers():
            if name == "Allow":
                response.headers["Allow"] = value
        return response

    # Flask turns any unhandled exception into InternalServerError (outside testing, where
    # it propagates so the failing test shows it).
    @app.errorhandler(InternalServerError)
    def server_error(error):
        log.error("Unhandled error on %s %s", request.method, request.path, exc_info=error.original_exception)
        return render_error(500)
