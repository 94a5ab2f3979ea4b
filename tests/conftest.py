"""Shared fixtures.

`app` is parametrised over the databases: every test that uses it runs on SQLite and, when
TEST_DATABASE_URL is set (as `.ci/run` does), on PostgreSQL too. The schema is made once
per database; each test starts with empty tables.
"""

import gc
import os
import re

import pytest
from sqlalchemy import text

from app import create_app
from app.config import database_url
from app.extensions import db, limiter
from app.surveys import scheduling

pytest_plugins = [
    "tests.fixtures.site",
    "tests.fixtures.surveys",
    "tests.fixtures.staff",
    "tests.fixtures.browser",
    "tests.fixtures.mail",
]

POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
DATABASES = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])

if os.environ.get("CI") and not POSTGRES_URL:
    raise RuntimeError("CI must run the suite on PostgreSQL too: set TEST_DATABASE_URL.")


def database_uri_for(name: str, tmp_dir) -> str:
    if name == "sqlite":
        return f"sqlite:///{tmp_dir / 'test.db'}"
    return database_url(POSTGRES_URL)


def make_app(database: str, tmp_dir, **overrides):
    """An app on one of the test databases, with its schema made."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_uri_for(database, tmp_dir), **overrides)
    with app.app_context():
        db.drop_all()
        db.create_all()
    return app


@pytest.fixture(scope="session", params=DATABASES)
def app(request, tmp_path_factory):
    app = make_app(request.param, tmp_path_factory.mktemp(request.param))
    app.config["DATABASE_NAME"] = request.param
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_state(request):
    """Empty every table and forget rate-limit counters after each test that used the app."""
    yield
    # A streamed response a test did not read to the end keeps its request context open in a
    # generator; close those now, not whenever the garbage collector runs inside a later test.
    gc.collect()
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        if tables:
            with db.engine.begin() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
                else:
                    for table in tables:
                        conn.execute(text(f'DELETE FROM "{table}"'))
        limiter.reset()
    scheduling.forget_editions()  # the staff date changes were emptied with the tables


@pytest.fixture
def client(app):
    return app.test_client()


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form in a page, as a browser would send it back."""
    match = _CSRF.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


@pytest.fixture
def csrf_token():
    return csrf_token_from
