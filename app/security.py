"""Response headers and the Content Security Policy.

GOV.UK Frontend's page template has one fixed inline script (it adds `js-enabled` to <body>).
It is allowed by its hash, not a nonce, so a public page can be rendered once and served
from memory to every visitor.
"""

import base64
import hashlib
import re
from pathlib import Path

import govuk_frontend_jinja
from flask_talisman import Talisman

talisman = Talisman()

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


def init_app(app) -> None:
    talisman.init_app(
        app,
        force_https=app.config["PRODUCTION"],
        strict_transport_security=app.config["HSTS"],
        strict_transport_security_max_age=31536000,
        strict_transport_security_include_subdomains=True,
        content_security_policy=content_security_policy(),
        frame_options="DENY",
        referrer_policy="strict-origin-when-cross-origin",
        permissions_policy=PERMISSIONS_POLICY,
        session_cookie_secure=app.config["SESSION_COOKIE_SECURE"],
        session_cookie_http_only=True,
        session_cookie_samesite="Lax",
        x_content_type_options=True,
    )
