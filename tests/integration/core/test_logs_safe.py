"""No invitation token reaches the logs, and nobody can forge a log line through a form."""

import logging

import pytest

from app import create_app
from app.extensions import db
from tests.fixtures.staff import csrf_of

TOKEN = "Zq7-secret_token_value"


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.INFO)
    return lambda: [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("path", [f"/invite/{TOKEN}", f"/%69nvite/{TOKEN}", f"/invite%2f{TOKEN}", f"/invite%2F{TOKEN}"])
def test_a_token_on_a_database_error_is_not_logged(app, tmp_path, logged, path):
    url = (
        f"sqlite:///{tmp_path / 'missing' / 'gone.db'}"
        if app.config["DATABASE_NAME"] == "sqlite"
        else "postgresql+psycopg://postgres@127.0.0.1:1/gone?connect_timeout=2"
    )
    down = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    response = down.test_client().get(path)
    assert response.status_code == 503
    messages = logged()
    assert any("Database error" in m for m in messages)
    assert not [m for m in messages if TOKEN in m]
    with down.app_context():
        db.engine.dispose()


def test_an_email_with_line_breaks_cannot_forge_a_log_line(app, client, logged):
    page = client.get("/staff/login")
    client.post(
        "/staff/login",
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "email": "a@example.org\nINFO forged: admin signed in\r\n",
            "password": "x" * 12,
        },
    )
    logging.getLogger("app.test").warning("typed: %s", "one\ntwo\u2028three")
    messages = logged()
    assert messages
    assert not [m for m in messages if "\n" in m or "\r" in m or "\u2028" in m]
    assert any("one\\ntwo\\u2028three" in m for m in messages)
