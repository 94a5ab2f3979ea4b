"""The first visitor after a restart does not wait for templates to compile.

gunicorn.conf.py's `post_worker_init` compiles every template before the worker takes a request.
"""

import logging
import runpy
from types import SimpleNamespace

from app.config import PROJECT_ROOT
from tests.conftest import make_app
from tests.fixtures.surveys import OPEN_DAY, RESIDENT_SLUG

FIRST_PAGES = [
    "/",
    "/about",
    f"/consultations/{RESIDENT_SLUG}",
    f"/consultations/{RESIDENT_SLUG}/feeling-safe",
    "/staff/login",
    "/no-such-page",
]


def test_a_started_worker_compiles_no_template_on_a_visitors_request(tmp_path, monkeypatch):
    fresh = make_app("sqlite", tmp_path, SURVEY_TODAY=OPEN_DAY)
    hooks = runpy.run_path(str(PROJECT_ROOT / "gunicorn.conf.py"))
    hooks["post_worker_init"](SimpleNamespace(wsgi=fresh, log=logging.getLogger("gunicorn.error")))

    loader = fresh.jinja_env.loader
    read_on_request: list[str] = []
    original = loader.get_source
    monkeypatch.setattr(loader, "get_source", lambda env, name: read_on_request.append(name) or original(env, name))
    client = fresh.test_client()
    statuses = [client.get(path).status_code for path in FIRST_PAGES]

    assert statuses == [200, 200, 200, 200, 200, 404]
    assert read_on_request == []
