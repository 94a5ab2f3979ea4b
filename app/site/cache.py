"""Public pages rendered once and then served from memory as bytes.

Rendering a GOV.UK Frontend page through Jinja costs about three times as much as sending
bytes (see TOOLING.md), and these pages are the same for every visitor. The cache is keyed by
path and emptied when the local date changes, because the home page lists the consultations
open today. Nothing per-visitor (session, flash messages, CSRF tokens) may appear in a cached
page; pages with forms are never cached. The debug server never caches, so edits show at once.
"""

from __future__ import annotations

import functools
import hashlib
import threading
from dataclasses import dataclass
from datetime import date

from flask import Response, current_app, make_response, request

from app.site import clock

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
        self._day: date | None = None
        self._pages: dict[str, CachedPage] = {}

    def get(self, path: str, day: date) -> CachedPage | None:
        with self._lock:
            if day != self._day:
                self._pages.clear()
                self._day = day
            return self._pages.get(path)

    def put(self, path: str, day: date, page: CachedPage) -> None:
        with self._lock:
            if day == self._day:
                self._pages[path] = page

    def __contains__(self, path: str) -> bool:
        return path in self._pages

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


def init_app(app) -> None:
    if not app.debug and app.config.get("PAGE_CACHE", True):
        app.extensions[EXTENSION_KEY] = PageCache()


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
            day = clock.today()
            page = cache.get(request.path, day)
            if page is None:
                response = make_response(view(*args, **kwargs))
                if response.status_code != 200:
                    return response
                body = response.get_data()
                page = CachedPage(body, response.content_type, hashlib.sha256(body).hexdigest()[:32])
                cache.put(request.path, day, page)
            response = _response(page)
        if response.status_code == 200:
            response.headers["Cache-Control"] = CACHE_CONTROL
            response.make_conditional(request)
        return response

    return wrapper
