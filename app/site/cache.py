"""Public pages rendered once and then served from memory as bytes.

Rendering a GOV.UK Frontend page through Jinja costs about three times as much as sending
bytes, and these pages are the same for every visitor. The cache is keyed by path and emptied
when the local date or a closing date set by staff changes (`scheduling.edition`), because the
home page lists the consultations open today. Nothing per-visitor (session, flash messages, CSRF tokens) may appear in a cached
page; pages with forms are never cached. The debug server never caches, so edits show at once.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from collections.abc import Hashable
from dataclasses import dataclass

from flask import Response, current_app, make_response, request
from werkzeug.sansio.utils import host_is_trusted

from app.surveys import scheduling

CACHE_CONTROL = "public, max-age=300"
EXTENSION_KEY = "site_page_cache"


@dataclass(frozen=True)
class CachedPage:
    body: bytes
    content_type: str
    etag: str


class PageCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._edition: Hashable = None
        self._pages: dict[str, CachedPage] = {}

    def get(self, path: str, edition: Hashable) -> CachedPage | None:
        with self._lock:
            if edition != self._edition:
                self._pages.clear()
                self._edition = edition
            return self._pages.get(path)

    def peek(self, path: str, edition: Hashable) -> CachedPage | None:
        """The page if it is cached for `edition`; unlike `get`, never empties the cache."""
        with self._lock:
            return self._pages.get(path) if edition == self._edition else None

    def put(self, path: str, edition: Hashable, page: CachedPage) -> None:
        with self._lock:
            if edition == self._edition:
                self._pages[path] = page

    def __contains__(self, path: str) -> bool:
        return path in self._pages

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def init_app(app) -> None:
    if not app.debug and app.config.get("PAGE_CACHE", True):
        cache = app.extensions[EXTENSION_KEY] = PageCache()
        app.wsgi_app = CachedPagesMiddleware(app.wsgi_app, app, cache)


class CachedPagesMiddleware:
    """Answers a plain GET or HEAD for a page already cached, before Flask is entered.

    Even from memory, a page served through Flask cost 2–5 times a bare hello-world under load
    (request context, session, rate-limit check, ETag), against a target of 0.7 of its speed.
    Only a request Flask would answer with exactly these bytes and headers is served here: no
    query string, and in production only over HTTPS to a trusted host. Anything else, including
    the first request for each page (which fills the cache), goes to Flask.
    """

    def __init__(self, wsgi_app, app, cache: PageCache):
        self.wsgi_app = wsgi_app
        self.app = app
        self.cache = cache
        self.config = app.config
        self.security = app.extensions["security_headers"]

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and not environ.get("QUERY_STRING"):
            page = self.cache.peek(environ.get("PATH_INFO", ""), scheduling.edition(self.app))
            if page is not None and self._served_as_flask_would(environ):
                return self._serve(page, environ, start_response)
        return self.wsgi_app(environ, start_response)

    def _https(self, environ) -> bool:
        return environ.get("wsgi.url_scheme") == "https" or environ.get("HTTP_X_FORWARDED_PROTO") == "https"

    def _served_as_flask_would(self, environ) -> bool:
        trusted = self.config.get("TRUSTED_HOSTS")
        if trusted and not host_is_trusted(environ.get("HTTP_HOST", ""), trusted):
            return False
        return not (self.security.force_https and not self._https(environ))

    def _serve(self, page: CachedPage, environ, start_response):
        etag = f'"{page.etag}"'
        headers = [("Content-Type", page.content_type), ("ETag", etag), ("Cache-Control", CACHE_CONTROL)]
        headers += list(self.security.headers.items())
        if self.security.hsts and self._https(environ):
            headers.append(("Strict-Transport-Security", self.security.hsts))
        if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 NOT MODIFIED", headers)
            return [b""]
        headers.append(("Content-Length", str(len(page.body))))
        start_response("200 OK", headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [page.body]


def _response(page: CachedPage) -> Response:
    response = Response(page.body, content_type=page.content_type)
    response.set_etag(page.etag)
    return response


def cached_page(view):
    """Serve the view's 200 response from memory after the first request for that path."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        cache: PageCache | None = current_app.extensions.get(EXTENSION_KEY)
        if cache is None:
            response = make_response(view(*args, **kwargs))
        else:
            edition = scheduling.edition(current_app._get_current_object())
            page = cache.get(request.path, edition)
            if page is None:
                response = make_response(view(*args, **kwargs))
                if response.status_code != 200:
                    return response
                body = response.get_data()
                page = CachedPage(body, response.content_type, hashlib.sha256(body).hexdigest()[:32])
                cache.put(request.path, edition, page)
            response = _response(page)
        if response.status_code == 200:
            response.headers["Cache-Control"] = CACHE_CONTROL
            response.make_conditional(request)
        return response

    return wrapper
