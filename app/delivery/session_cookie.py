"""The session cookie, minus `Vary: Cookie` for visitors who have none.

Flask adds `Vary: Cookie` whenever anything looked at the session, and Flask-Login looks on every
response (for its remember-me cookie), so every public page said it varied by cookie and no
shared cache could keep it. A visitor who sent no session cookie and got none cannot have been
given a page that depends on one, so their response does not vary by it.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin


class SessionInterface(SecureCookieSessionInterface):
    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not session and not session.modified and self.get_cookie_name(app) not in request.cookies:
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = SessionInterface()
