"""The app factory, configuration, database settings and error pages."""

import pytest
from sqlalchemy import text

from app import UnsafeConfiguration, create_app
from app.config import database_url
from app.extensions import db

# The emergency banner every page of the site design carries (its numbers are tap-to-call links).
SITE_BANNER = 'In an emergency call <a class="govuk-link" href="tel:999">999</a>'


def test_unknown_page_gets_friendly_404_in_site_design(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html
    assert SITE_BANNER in html
    assert "Traceback" not in html


def test_plain_postgres_urls_use_psycopg_driver():
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url(None).startswith("sqlite:///") and database_url(None).endswith("instance/safer-together.db")


def test_sqlite_connections_use_wal_busy_timeout_and_full_sync(app):
    with app.app_context(), db.engine.connect() as conn:
        if app.config["DATABASE_NAME"] != "sqlite":
            assert conn.dialect.name == "postgresql"
            return
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": "a" * 60}, "SECRET_KEY is too weak"),
        ({"SECRET_KEY": "k3y-" + "abcdefghij" * 6}, "TRUSTED_HOSTS is not set"),
    ],
)
def test_production_refuses_to_start_with_unsafe_settings(monkeypatch, env, expected):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(UnsafeConfiguration, match=expected):
        create_app("production")


def test_production_refuses_debug_and_insecure_cookies(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "k3y-" + "abcdefghij" * 6)
    with pytest.raises(UnsafeConfiguration) as raised:
        create_app("production", DEBUG=True, SESSION_COOKIE_SECURE=False, TRUSTED_HOSTS=["example.org"])
    assert "DEBUG is on" in str(raised.value)
    assert "SESSION_COOKIE_SECURE is off" in str(raised.value)
