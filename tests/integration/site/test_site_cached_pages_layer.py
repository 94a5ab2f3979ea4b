"""Cached public pages are answered in front of Flask with the same bytes and headers."""

import pytest

from app import create_app
from app.site.cache import CachedPagesMiddleware
from tests.integration.core.test_quality_headers import HOST, make_production_app


class CountingApp:
    """Stands between the cached-pages layer and Flask, counting requests that reach Flask."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.calls = 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.wsgi_app(environ, start_response)


def layered(app) -> tuple[CachedPagesMiddleware, CountingApp]:
    layer = app.wsgi_app
    # Below the canonical-address and static-file layers, directly above Flask.
    while not isinstance(layer, CachedPagesMiddleware):
        layer = layer.wsgi_app
    counter = CountingApp(layer.wsgi_app)
    layer.wsgi_app = counter
    return layer, counter


@pytest.fixture
def fresh_app(app):
    return create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])


SECURITY_HEADERS = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Content-Type",
    "ETag",
    "Cache-Control",
]


def test_second_request_is_served_without_flask_and_identical(fresh_app):
    _, counter = layered(fresh_app)
    client = fresh_app.test_client()
    first = client.get("/crime-figures")
    second = client.get("/crime-figures")
    assert counter.calls == 1
    assert second.status_code == 200 and second.data == first.data
    for name in SECURITY_HEADERS:
        assert second.headers[name] == first.headers[name], name
    assert int(second.headers["Content-Length"]) == len(first.data)


def test_etag_gives_not_modified_and_head_has_no_body(fresh_app):
    layered(fresh_app)
    client = fresh_app.test_client()
    etag = client.get("/campaigns").headers["ETag"]
    assert client.get("/campaigns", headers={"If-None-Match": etag}).status_code == 304
    head = client.head("/campaigns")
    assert head.status_code == 200 and head.data == b""


def test_queries_and_forms_always_reach_flask(fresh_app):
    _, counter = layered(fresh_app)
    client = fresh_app.test_client()
    client.get("/")
    client.get("/?utm=1")
    client.get("/search?q=fraud")
    client.get("/consultations")
    assert counter.calls == 4


def test_production_keeps_https_redirect_hsts_and_host_check(app):
    prod = make_production_app(app)
    _, counter = layered(prod)
    client = prod.test_client()
    https = {"base_url": f"https://{HOST}"}
    client.get("/about", **https)
    cached = client.get("/about", **https)
    assert counter.calls == 1
    assert cached.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    plain = client.get("/about", base_url=f"http://{HOST}")
    assert plain.status_code in (301, 302) and plain.headers["Location"].startswith("https://")
    assert client.get("/about", base_url="https://evil.example.net").status_code == 400
    assert counter.calls == 3
