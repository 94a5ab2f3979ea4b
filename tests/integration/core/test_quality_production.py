"""Production refuses to start on unsafe settings and says why, modelled on
Django's `check --deploy`; a safe production configuration starts."""

import pytest

from app import UnsafeConfiguration, create_app
from tests.integration.core.test_quality_headers import HOST, REDIS_URL, STRONG_KEY

SAFE = {
    "SECRET_KEY": STRONG_KEY,
    "TRUSTED_HOSTS": [HOST],
    "RATELIMIT_STORAGE_URI": REDIS_URL,
    "SITE_URL": f"https://{HOST}",
}


@pytest.mark.parametrize(
    "override, reason",
    [
        ({"SECRET_KEY": "x" * 80}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": "abcd" * 10}, "SECRET_KEY is too weak"),
        ({"DEBUG": True}, "DEBUG is on"),
        ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE is off"),
        ({"SESSION_COOKIE_HTTPONLY": False}, "SESSION_COOKIE_HTTPONLY is off"),
        ({"SESSION_COOKIE_SAMESITE": None}, "SESSION_COOKIE_SAMESITE must be Lax or Strict"),
        ({"TRUSTED_HOSTS": None}, "TRUSTED_HOSTS is not set"),
        ({"TRUSTED_HOSTS": ["*"]}, "TRUSTED_HOSTS has a wildcard"),
        ({"TRUSTED_HOSTS": [".example.org", "*.example.org"]}, "TRUSTED_HOSTS has a wildcard"),
        ({"HSTS": False}, "HSTS is off"),
        ({"WTF_CSRF_ENABLED": False}, "WTF_CSRF_ENABLED is off"),
        ({"RATELIMIT_STORAGE_URI": "memory://"}, "RATELIMIT_STORAGE_URI is in memory"),
        ({"SITE_URL": ""}, "SITE_URL is not set"),
        ({"SITE_URL": f"http://{HOST}"}, "must be the site's public https:// address"),
        ({"SITE_URL": "https://127.0.0.1:8000"}, "an address of this machine"),
        ({"SITE_URL": "https://localhost"}, "an address of this machine"),
        ({"SITE_URL": "https://[::1]:8443"}, "an address of this machine"),
    ],
)
def test_production_refuses_each_unsafe_setting_and_says_which(app, override, reason):
    settings = {**SAFE, **override, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    with pytest.raises(UnsafeConfiguration, match=reason):
        create_app("production", **settings)


def test_production_starts_with_safe_settings(app):
    production = create_app("production", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], **SAFE)
    assert production.config["SESSION_COOKIE_SECURE"] and not production.debug
    from app.extensions import db

    with production.app_context():
        db.engine.dispose()
