"""Content pages are rendered once and served from memory; nothing per-visitor is ever cached."""

from datetime import timedelta

import pytest

from app.content.reading import loader
from app.site import page_views as views
from app.surveys import scheduling
from tests.conftest import make_app
from tests.fixtures.site import copy_real_content, write_files


@pytest.fixture
def renders(monkeypatch):
    calls = []
    original = views.render_template

    def counting(template, **context):
        calls.append(template)
        return original(template, **context)

    monkeypatch.setattr(views, "render_template", counting)
    return calls


@pytest.fixture
def parses(monkeypatch):
    calls = []
    original = loader.read_source
    monkeypatch.setattr(loader, "read_source", lambda *args: calls.append(args) or original(*args))
    return calls


def test_a_content_page_is_rendered_once_then_served_from_memory(client, page_cache, renders, parses):
    first = client.get("/campaigns/fatal-four")
    for _ in range(5):
        again = client.get("/campaigns/fatal-four")
        assert again.data == first.data
    assert renders == ["site/campaign.html"]
    assert parses == [], "no Markdown file is read while serving requests"


def test_search_is_rendered_for_every_request_and_not_publicly_cacheable(client, page_cache, renders):
    first = client.get("/search?q=fraud")
    client.get("/search?q=fraud")
    assert renders == ["site/search.html", "site/search.html"]
    assert "public" not in first.headers.get("Cache-Control", "")


def test_cached_pages_say_how_long_browsers_may_keep_them_and_answer_revalidation(client, page_cache):
    response = client.get("/priorities")
    assert response.headers["Cache-Control"] == "public, max-age=300"
    etag = response.headers["ETag"]
    assert client.get("/priorities", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/priorities", headers={"If-None-Match": '"other"'}).status_code == 200


def test_the_cache_is_emptied_when_the_date_changes(client, page_cache, renders, monkeypatch):
    today = scheduling.today()
    monkeypatch.setattr(scheduling, "today_for", lambda config: today)
    client.get("/")
    client.get("/")
    monkeypatch.setattr(scheduling, "today_for", lambda config: today + timedelta(days=1))
    client.get("/")
    assert renders == ["site/home.html", "site/home.html"]


def test_cached_pages_carry_nothing_from_the_visitor_who_caused_the_render(app, page_cache):
    visitor = app.test_client()
    with visitor.session_transaction() as session:
        session["_flashes"] = [("message", "Private note for one visitor")]
        session["secret"] = "per-visitor"
    rendered_for_visitor = visitor.get("/news")
    stranger = app.test_client().get("/news")
    assert stranger.data == rendered_for_visitor.data
    html = stranger.get_data(as_text=True)
    assert "Private note" not in html and "csrf_token" not in html
    assert "Set-Cookie" not in stranger.headers


def test_errors_and_redirects_are_not_cached(client, page_cache, renders):
    assert client.get("/campaigns/nothing").status_code == 404
    assert client.get("/campaigns/nothing").status_code == 404
    assert client.get("/plan").status_code == 302
    assert renders == []  # the 404 page comes from the error handler
    assert "/campaigns/nothing" not in page_cache and "/plan" not in page_cache
    client.get("/campaigns/fatal-four")
    assert "/campaigns/fatal-four" in page_cache


def test_the_debug_server_rereads_edited_content_and_caches_nothing(tmp_path):
    folder = copy_real_content(tmp_path / "content")
    debug_app = make_app("sqlite", tmp_path, CONTENT_DIR=str(folder), DEBUG=True)
    assert "site_page_cache" not in debug_app.extensions
    client = debug_app.test_client()
    assert "Extra news" not in client.get("/news").get_data(as_text=True)
    write_files(
        folder,
        {
            "news/2030-01-01-extra.md": "---\ntitle: Extra news\nsummary: Added while running.\ntype: news\n"
            "date: 2030-01-01\n---\nHello.\n"
        },
    )
    assert "Extra news" in client.get("/news").get_data(as_text=True)
    assert client.get("/news/extra").status_code == 200
