"""No request header can shape the cached public pages (cache poisoning), against real gunicorn.

Each hostile header is sent with the first request for a page, the one that fills the cache;
then a plain request, as any visitor's, gets the page. Neither may point anywhere but the
site's own address. gunicorn runs with the project's gunicorn.conf.py, as deployed, and one
worker so every request meets the same cache.
"""

import http.client
import re
from urllib.parse import urlsplit

import pytest

from support.server import gunicorn_server

EVIL = "evil.example"
HOSTILE_HEADERS = [
    ("SCRIPT_NAME", f"//{EVIL}"),
    ("Script-Name", f"//{EVIL}"),
    ("PATH_INFO", "/admin"),
    ("X-Script-Name", f"//{EVIL}"),
    ("X-Forwarded-Prefix", f"//{EVIL}"),
    ("X-Forwarded-Host", EVIL),
    ("X-Forwarded-Server", EVIL),
    ("X-Forwarded-Proto", "https"),
    ("X-Forwarded-Protocol", "ssl"),
    ("X-Forwarded-Ssl", "on"),
    ("X-Forwarded-Scheme", "https"),
    ("X-Url-Scheme", "https"),
    ("Front-End-Https", "on"),
    ("X-Forwarded-Port", "1"),
    ("X-Forwarded-For", "203.0.113.9"),
    ("Forwarded", f"for=203.0.113.9;host={EVIL};proto=https"),
    ("X-Original-URL", f"//{EVIL}/"),
    ("X-Rewrite-URL", f"//{EVIL}/"),
    ("X-Host", EVIL),
    ("X_Forwarded_Host", EVIL),
    ("X_Forwarded_Proto", "https"),
    ("X-Original-Host", EVIL),
    ("Host", EVIL),
]
_LOC = re.compile(r"<loc>([^<]+)</loc>")


def get(base_url: str, path: str, headers: dict | None = None) -> tuple[int, str]:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        # Host is sent as given when the test sets it; otherwise http.client adds the real one.
        conn.putrequest("GET", path, skip_host=bool(headers and "Host" in headers))
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(app, tmp_path_factory):
    log = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with gunicorn_server(app.config["SQLALCHEMY_DATABASE_URI"], workers=1, log_path=log) as (base_url, _process):
        yield base_url


def test_no_forwarded_header_reaches_a_cached_page(app, server):
    status, sitemap = get(server, "/sitemap.xml")
    assert status == 200
    paths = [urlsplit(loc).path for loc in _LOC.findall(sitemap)]
    paths = [p for p in paths if p not in ("/sitemap.xml", "/consultations")]
    assert len(paths) >= len(HOSTILE_HEADERS), "need one uncached page per header"
    site = urlsplit(app.config["SITE_URL"])
    poisoned = []
    for (name, value), path in zip(HOSTILE_HEADERS, paths[: len(HOSTILE_HEADERS)], strict=True):
        first_status, first = get(server, path, {name: value})
        status, page = get(server, path)
        assert status == 200, (path, status)
        for label, body in (("the hostile request", first), ("the next visitor", page)):
            if EVIL in body or re.search(r'(?:href|src)="//', body) or "https://" + site.netloc in body:
                poisoned.append(f"{name}: {value!r} changed {path} for {label} (status {first_status})")
        assert '<link rel="stylesheet" href="/static/' in page or 'href="/static/' in page, path
    assert poisoned == []


def test_a_cached_page_is_built_from_site_url_and_the_route_alone(app):
    """Even if a server in front passed SCRIPT_NAME or a host on, the cached bytes would not change."""
    client = app.test_client()
    hostile = client.get("/about", base_url=f"http://localhost/{EVIL}/", headers={"X-Forwarded-Host": EVIL})
    plain = app.test_client().get("/about")
    assert plain.status_code == 200
    assert hostile.status_code == 200
    assert EVIL not in plain.get_data(as_text=True)
    assert 'href="/static/' in plain.get_data(as_text=True)
