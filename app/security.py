"""Response headers and the Content Security Policy.

GOV.UK Frontend's page template has one fixed inline script (it adds `js-enabled` to <body>).
It is allowed by its hash, not a nonce, so a public page can be rendered once and served
from memory to every visitor.

The headers never change, so they are built once when the app starts. (Flask-Talisman did this
job first, but it rebuilds the policy strings on every response: measured, that was about a
third of the time of serving a cached content page, for the same bytes every time.)
"""

import base64
import hashlib
import re
from pathlib import Path

import govuk_frontend_jinja
from flask import abort, redirect, request

_TEMPLATE = Path(govuk_frontend_jinja.__file__).parent / "templates" / "template.html"


def inline_script_hashes() -> list[str]:
    """CSP source expressions for the inline scripts of the GOV.UK page template."""
    text = _TEMPLATE.read_text(encoding="utf-8")
    hashes = []
    for body in re.findall(r"<script[^>]*>(.*?)</script>", text, flags=re.S):
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return hashes


def content_security_policy() -> dict:
    return {
        "default-src": "'self'",
        "script-src": ["'self'", *inline_script_hashes()],
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }


PERMISSIONS_POLICY = {
    "camera": "()",
    "microphone": "()",
    "geolocation": "()",
    "payment": "()",
    "usb": "()",
    "browsing-topics": "()",
    "interest-cohort": "()",
}


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_nul_bytes() -> None:
    """No real input contains a NUL character, and PostgreSQL cannot store or even compare one
    in text: refuse it in the address, query or form with the 400 page before it reaches a query."""
    environ = request.environ
    # PATH_INFO arrives decoded; the query string is still percent-encoded (cheap to scan).
    if "\x00" in environ.get("PATH_INFO", "") or "%00" in environ.get("QUERY_STRING", ""):
        abort(400)
    if request.method in ("GET", "HEAD", "OPTIONS") or request.mimetype not in FORM_TYPES:
        return
    if any("\x00" in value for value in (*request.form.keys(), *(v for vs in request.form.listvalues() for v in vs))):
        abort(400)


HSTS = "max-age=31536000; includeSubDomains"


def policy_header(policy: dict) -> str:
    return "; ".join(
        f"{name} {' '.join(value) if isinstance(value, list) else value}" for name, value in policy.items()
    )


class SecurityHeaders:
    """The same headers on every response, error pages and static files included; in production,
    plain HTTP is redirected to HTTPS and HTTPS responses carry HSTS."""

    def __init__(self, app):
        self.force_https = app.config["PRODUCTION"] and not app.debug
        self.hsts = HSTS if app.config["HSTS"] else None
        self.headers = {
            "Content-Security-Policy": policy_header(content_security_policy()),
            "X-Content-Type-Options": "nosniff",
            "X-Frame-Options": "DENY",
            "Referrer-Policy": "strict-origin-when-cross-origin",
            "Permissions-Policy": ", ".join(f"{name}={value}" for name, value in PERMISSIONS_POLICY.items()),
        }
        app.before_request(self.redirect_to_https)
        app.after_request(self.add_headers)

    @staticmethod
    def is_https() -> bool:
        # Behind a proxy, ProxyFix (PROXY_COUNT) makes is_secure true; a TLS proxy without it
        # still says so in X-Forwarded-Proto, and trusting that here only avoids a redirect loop.
        return request.is_secure or request.headers.get("X-Forwarded-Proto", "http") == "https"

    def redirect_to_https(self):
        if self.force_https and not self.is_https() and request.url.startswith("http://"):
            return redirect(request.url.replace("http://", "https://", 1), code=302)
        return None

    def add_headers(self, response):
        response.headers.update(self.headers)
        if self.hsts and self.is_https():
            response.headers["Strict-Transport-Security"] = self.hsts
        return response


def init_app(app) -> None:
    app.before_request(refuse_nul_bytes)
    # One instance per app, so a second app (a production app in a test) has its own settings.
    app.extensions["security_headers"] = SecurityHeaders(app)
