"""What a phone and a crawler get over HTTP: compressed pages, immutable static files, one address
per page, a canonical link and description on every page, 304s, robots.txt and the sitemap."""

from __future__ import annotations

import gzip
import re
import urllib.robotparser
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from xml.etree import ElementTree as ET

import brotli
import pytest
from flask import Flask
from flask.testing import FlaskClient
from protego import Protego

from app import create_app
from tests.fixtures.surveys import RESIDENT_SLUG, SurveyBrowser

S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BOTH = {"Accept-Encoding": "br, gzip"}
CONTENT_PAGES = ["/", "/plan/2020-23", "/crime-figures", "/campaigns/fatal-four", "/news", "/about"]


@pytest.fixture
def cached_app(app: Flask) -> Flask:
    """A new app with an empty page cache (the session app's cache fills as tests run)."""
    return create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])


def decoded(response: Any) -> bytes:
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return bytes(brotli.decompress(response.data))
    if encoding == "gzip":
        return gzip.decompress(response.data)
    assert encoding is None, encoding
    return bytes(response.data)


# --- compression -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", CONTENT_PAGES)
def test_content_pages_are_compressed_for_whoever_asks_and_the_same_once_unpacked(cached_app, path):
    client = cached_app.test_client()
    plain = client.get(path)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    for accept, expected in (("br, gzip", "br"), ("gzip, deflate", "gzip"), ("gzip;q=1, br;q=0", "gzip")):
        # Twice: the first fills the cache through Flask, the second is served in front of it.
        for _ in range(2):
            response = client.get(path, headers={"Accept-Encoding": accept})
            assert response.headers["Content-Encoding"] == expected, (path, accept)
            assert response.headers["Vary"] == "Accept-Encoding"
            assert decoded(response) == plain.data
            assert len(response.data) < len(plain.data) / 3, "a page of HTML should shrink to well under a third"
            assert not response.headers.getlist("Set-Cookie")


def test_a_visitor_without_a_session_gets_no_cookie_and_no_vary_cookie_anywhere_public(app, client):
    for path in [
        *CONTENT_PAGES,
        "/consultations",
        f"/consultations/{RESIDENT_SLUG}",
        "/search?q=fraud",
        "/sitemap.xml",
        "/robots.txt",
        "/news/feed.xml",
    ]:
        response = client.get(path, headers=BOTH)
        assert response.status_code == 200, path
        assert not response.headers.getlist("Set-Cookie"), path
        assert "cookie" not in response.headers.get("Vary", "").lower(), path


def test_survey_pages_are_compressed_but_not_where_posted_text_sits_beside_a_csrf_token(app, survey_today):
    respondent = SurveyBrowser(app.test_client())
    start = respondent.get(f"/consultations/{RESIDENT_SLUG}", headers=BOTH)
    assert start.headers["Content-Encoding"] == "br"
    question = respondent.get(f"/consultations/{RESIDENT_SLUG}/feeling-safe", headers=BOTH)
    assert question.headers["Content-Encoding"] == "br" and b"csrf_token" in decoded(question)
    # An answer that fails its checks is shown back beside the token: never compressed (BREACH).
    token = re.search(rb'name="csrf_token"[^>]*value="([^"]+)"', decoded(question)).group(1).decode()
    posted = respondent.client.post(
        f"/consultations/{RESIDENT_SLUG}/feeling-safe",
        headers=BOTH,
        data={"csrf_token": token, "safe-day": "not-an-option"},
    )
    assert posted.status_code == 400 and "Content-Encoding" not in posted.headers


# --- static files ----------------------------------------------------------------------------


def test_static_files_have_hashed_names_and_are_cached_for_a_year_compressed(client):
    html = client.get("/").get_data(as_text=True)
    css = re.search(r'<link rel="stylesheet" href="(/static/css/main\.[0-9a-f]{12}\.css)">', html)
    js = re.search(r'<script type="module" src="(/static/js/app\.[0-9a-f]{12}\.mjs)">', html)
    assert css and js, "pages must name static files by their hashed address (run make to build them)"
    for url in (css.group(1), js.group(1)):
        plain = client.get(url)
        assert plain.status_code == 200
        assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert plain.headers["X-Content-Type-Options"] == "nosniff"
        packed = client.get(url, headers=BOTH)
        assert packed.headers["Content-Encoding"] == "br" and "Accept-Encoding" in packed.headers["Vary"]
        assert decoded(packed) == plain.data
    # The module imports GOV.UK Frontend by its hashed name too, so nothing is revalidated.
    module = client.get(js.group(1)).get_data(as_text=True)
    assert re.search(r'from "/static/govuk/govuk-frontend\.min\.[0-9a-f]{12}\.js"', module)


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"


# --- one address per page --------------------------------------------------------------------


@pytest.mark.parametrize(
    "asked, canonical",
    [
        ("/news/", "/news"),
        ("/about/", "/about"),
        (f"/consultations/{RESIDENT_SLUG}/", f"/consultations/{RESIDENT_SLUG}"),
        ("//about", "/about"),
        ("/campaigns//fatal-four", "/campaigns/fatal-four"),
        ("/search/?q=fraud", "/search?q=fraud"),
    ],
)
def test_slashed_addresses_are_sent_permanently_to_the_one_address(client, asked, canonical):
    path, _, query = asked.partition("?")
    response = client.get("/", environ_overrides={"PATH_INFO": path, "QUERY_STRING": query})
    assert response.status_code == 308
    assert response.headers["Location"] == canonical
    assert client.get(canonical).status_code == 200


def test_addresses_that_end_in_a_slash_are_left_alone(client):
    assert client.get("/staff/").status_code != 308
    assert client.get("/").status_code == 200


def public_pages(app: Flask, client: FlaskClient) -> list[str]:
    pages = ["/", "/search", "/consultations", f"/consultations/{RESIDENT_SLUG}/feeling-safe"]
    sitemap = ET.fromstring(client.get("/sitemap.xml").data)
    base = app.config["SITE_URL"].rstrip("/")
    pages += [loc.text.removeprefix(base) for loc in sitemap.iter(f"{S}loc") if loc.text]
    return sorted(set(pages))


def test_every_page_has_a_canonical_link_from_site_url_and_a_description(app, client, survey_today):
    base = app.config["SITE_URL"].rstrip("/")
    for path in public_pages(app, client):
        html = client.get(path).get_data(as_text=True)
        assert f'<link rel="canonical" href="{base}{path}">' in html, path
        description = re.search(r'<meta name="description" content="([^"]+)">', html)
        assert description and len(description.group(1)) > 20, path


def test_question_pages_have_their_own_description(client, survey_today):
    html = client.get(f"/consultations/{RESIDENT_SLUG}/feeling-safe").get_data(as_text=True)
    assert re.search(r'<meta name="description" content="Page 1 of \d+ of [^"]+: [^"]+\.">', html)


# --- 304s --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/crime-figures", "/news/feed.xml"])
def test_if_modified_since_gets_a_304_until_the_content_changes(cached_app, path):
    client = cached_app.test_client()
    for _ in range(2):  # through Flask, then from the cache in front of it
        first = client.get(path, headers=BOTH)
        last_modified = first.headers["Last-Modified"]
        again = client.get(path, headers={**BOTH, "If-Modified-Since": last_modified})
        assert again.status_code == 304 and again.data == b"", path
        earlier = format_datetime(parsedate_to_datetime(last_modified).replace(year=2000), usegmt=True)
        assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200


# --- robots.txt and the sitemap ----------------------------------------------------------------

ROBOTS_CASES = {
    "/": True,
    "/about": True,
    "/campaigns/fatal-four": True,
    "/consultations": True,
    f"/consultations/{RESIDENT_SLUG}": True,
    f"/consultations/{RESIDENT_SLUG}/you-said-we-did": True,
    "/consultations/residents-2017": True,
    "/staff": False,
    "/staff/": False,
    "/staff/login": False,
    "/staff/results/x": False,
    "/invite/abc123": False,
    f"/consultations/{RESIDENT_SLUG}/feeling-safe": False,
    f"/consultations/{RESIDENT_SLUG}/check-answers": False,
    f"/consultations/{RESIDENT_SLUG}/submit": False,
    f"/consultations/{RESIDENT_SLUG}/confirmation": False,
}


def test_robots_txt_means_the_same_to_first_match_and_longest_match_crawlers(app, client):
    text = client.get("/robots.txt").get_data(as_text=True)
    base = app.config["SITE_URL"].rstrip("/")
    first_match = urllib.robotparser.RobotFileParser()
    first_match.parse(text.splitlines())
    longest_match = Protego.parse(text)
    for path, allowed in ROBOTS_CASES.items():
        assert first_match.can_fetch("AnyBot", base + path) is allowed, f"urllib.robotparser: {path}"
        assert longest_match.can_fetch(base + path, "AnyBot") is allowed, f"protego: {path}"
    assert list(longest_match.sitemaps) == [f"{base}/sitemap.xml"]


def test_sitemap_dates_every_address_and_lists_the_consultations(app, client):
    sitemap = ET.fromstring(client.get("/sitemap.xml").data)
    base = app.config["SITE_URL"].rstrip("/")
    entries = {url.findtext(f"{S}loc"): url.findtext(f"{S}lastmod") for url in sitemap.iter(f"{S}url")}
    for loc, lastmod in entries.items():
        assert lastmod and re.fullmatch(r"\d{4}-\d{2}-\d{2}", lastmod), loc
    # Open and past rounds alike; the past ones show that round's results.
    for slug in (RESIDENT_SLUG, "parish-councils-2026-27", "residents-2019-20", "residents-2017"):
        assert f"{base}/consultations/{slug}" in entries
    assert not any("/staff" in loc or "/invite/" in loc for loc in entries)
