"""While the database is down, every page that needs it says "try again" (503), never a 500.

The outage is real, not simulated: a second app points at a database that cannot be reached
(a SQLite file in a folder that does not exist, or a PostgreSQL port nobody listens on), with
the same secret key, so a browser signed in on the working app is still signed in there.
"""

import pytest

from app import create_app
from app.extensions import db
from tests.fixtures.staff import csrf_of, sign_in
from tests.fixtures.surveys import RESIDENT_SLUG

TRY_AGAIN = "Wait a minute, then try again"


@pytest.fixture
def down_app(app, tmp_path):
    if app.config["DATABASE_NAME"] == "sqlite":
        url = f"sqlite:///{tmp_path / 'missing-folder' / 'gone.db'}"
    else:
        url = "postgresql+psycopg://postgres@127.0.0.1:1/gone?connect_timeout=2"
    down = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    yield down
    with down.app_context():
        db.engine.dispose()


def moved(client, to_app):
    """The same browser (cookies) talking to the app whose database is down."""
    other = to_app.test_client()
    for cookie in client._cookies.values():
        other.set_cookie(cookie.key, cookie.value, domain=cookie.domain, path=cookie.path)
    return other


def assert_try_again(response):
    html = response.get_data(as_text=True)
    assert response.status_code == 503, (response.status_code, html[:300])
    assert TRY_AGAIN in html and "Traceback" not in html
    assert int(response.headers["Retry-After"]) > 0


def test_staff_sign_in_says_try_again(app, down_app, analyst):
    client = down_app.test_client()
    page = client.get("/staff/login")
    assert page.status_code == 200
    response = client.post(
        "/staff/login",
        data={"csrf_token": csrf_of(page.get_data(as_text=True)), "email": analyst.email, "password": analyst.password},
    )
    assert_try_again(response)


def test_an_export_says_try_again(app, down_app, analyst):
    client = app.test_client()
    sign_in(app, client, analyst)
    response = moved(client, down_app).get(f"/staff/exports/{RESIDENT_SLUG}/download?format=csv")
    assert_try_again(response)


def test_you_said_we_did_says_try_again(down_app):
    assert_try_again(down_app.test_client().get(f"/consultations/{RESIDENT_SLUG}/you-said-we-did"))


def test_an_expired_survey_form_says_try_again(down_app):
    client = down_app.test_client()
    response = client.post(f"/consultations/{RESIDENT_SLUG}/feeling-safe", data={"safe-day": "very-safe"})
    assert_try_again(response)
