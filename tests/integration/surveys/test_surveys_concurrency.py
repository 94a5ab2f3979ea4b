"""Concurrent submissions against the real server (gunicorn, several workers), on each database.

50 residents answering at the same moment must store exactly 50 responses; five identical
POSTs of one check-answers form (a double-click, retries) must store exactly one.
Each "resident" is an independent HTTP session (its own cookie jar) walking the whole journey.
"""

import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.surveys.survey_models import Answer, Response
from support.server import gunicorn_server
from tests.fixtures.surveys import OPEN_DAY, RESIDENT_PAGES, RESIDENT_SLUG

RESIDENTS = 50
WORKERS = 4
_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
_KEY = re.compile(r'name="submission_key" value="([^"]+)"')


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Session:
    """One browser: its own cookies; redirects are checked, not followed."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            with self.opener.open(self.base_url + path, data=body, timeout=60) as response:
                return response.status, response.read().decode("utf-8"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8", "replace"), error.headers

    def check_answers_form(self) -> dict:
        path = f"/consultations/{RESIDENT_SLUG}"
        status, html, _ = self.request(f"{path}/feeling-safe")
        assert status == 200, status
        token = _TOKEN.search(html).group(1)
        for page_id, answers in RESIDENT_PAGES.items():
            status, _, headers = self.request(f"{path}/{page_id}", {"csrf_token": token, **answers})
            assert status == 303, (page_id, status)
        status, html, _ = self.request(f"{path}/check-answers")
        assert status == 200, status
        return {"csrf_token": _TOKEN.search(html).group(1), "submission_key": _KEY.search(html).group(1), "website": ""}

    def submit(self, form) -> int:
        status, _, headers = self.request(f"/consultations/{RESIDENT_SLUG}/submit", form)
        assert status == 303 and headers["Location"].endswith("/confirmation"), status
        return status

    def reference(self) -> str:
        status, html, _ = self.request(f"/consultations/{RESIDENT_SLUG}/confirmation")
        assert status == 200
        return re.search(r'class="app-reference">([^<]+)<', html).group(1)


def resident(base_url) -> str:
    session = Session(base_url)
    session.submit(session.check_answers_form())
    return session.reference()


@pytest.fixture(scope="module")
def server(app, tmp_path_factory):
    """gunicorn serving the app against the test database (its tables are emptied after
    each test by conftest), started once per database for this module."""
    env = {
        "SURVEY_TODAY": OPEN_DAY.isoformat(),
        "SURVEY_SUBMIT_LIMIT": "1000 per hour",
        "SURVEY_DRAFT_NEW_LIMIT": "1000 per hour",
        "SURVEY_DRAFT_ADDRESS_LIMIT": "10000 per hour",
    }
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with gunicorn_server(app.config["SQLALCHEMY_DATABASE_URI"], workers=WORKERS, extra_env=env, log_path=log) as (
        base_url,
        _process,
    ):
        yield base_url


def stored(app):
    with app.app_context():
        responses = db.session.scalar(select(func.count()).select_from(Response))
        answers = db.session.scalar(select(func.count()).select_from(Answer))
        references = set(db.session.scalars(select(Response.reference)))
        db.session.remove()
        return responses, answers, references


def test_50_concurrent_residents_store_exactly_50_responses(app, server):
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=RESIDENTS) as pool:
        references = list(pool.map(lambda _: resident(server), range(RESIDENTS)))
    elapsed = time.monotonic() - started
    responses, answers, stored_references = stored(app)
    print(f"\n{RESIDENTS} concurrent resident journeys on {app.config['DATABASE_NAME']}: {elapsed:.1f} s")
    assert responses == RESIDENTS
    assert answers == RESIDENTS * 18  # every response with all its answer rows
    assert set(references) == stored_references and len(stored_references) == RESIDENTS


def test_five_identical_concurrent_submits_store_one_response(app, server):
    session = Session(server)
    form = session.check_answers_form()
    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = list(pool.map(lambda _: session.submit(form), range(5)))
    assert statuses == [303] * 5
    responses, answers, references = stored(app)
    assert responses == 1 and answers == 18
    assert session.reference() in references
