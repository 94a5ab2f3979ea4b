"""Public pages rendered once and then served from memory as bytes.

Rendering a GOV.UK Frontend page through Jinja costs about three times as much as sending
bytes, and these pages are the same for every visitor. The cache is keyed by path and emptied
when the local date or a closing date set by staff changes (`scheduling.edition`), because the
home page lists the consultations open today.

Each page is compressed with Brotli and gzip once, when it is rendered, and sent in the form the
browser accepts (`Vary: Accept-Encoding`, never `Vary: Cookie`). Its `Last-Modified` is the
newest change to the content or templates, or the moment this process began the current edition
if later (never earlier than the real change, so never a wrong 304), and both `If-Modified-Since`
and `If-None-Match` get a 304. Nothing per-visitor (session, flash messages, CSRF tokens) may
appear in a cached page; pages with forms are never cached. The debug server never caches, so edits show at once.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, make_response, request
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.http import http_date, parse_date
from werkzeug.sansio.utils import host_is_trusted

from app.delivery.compression import Encoded
from app.surveys import scheduling

CACHE_CONTROL = "public, max-age=300"
EXTENSION_KEY = "site_page_cache"
VARY = "Accept-Encoding"


Form = tuple[tuple[tuple[str, str], ...], bytes]


@dataclass(frozen=True)
class CachedPage:
    body: Encoded
    content_type: str
    etag: str
    last_modified: datetime
    # Headers and body for each encoding (None: uncompressed), built once: this is the hot path.
    forms: dict[str | None, Form] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        last_modified = http_date(self.last_modified)
        forms: dict[str | None, Form] = {}
        for encoding, body in [(None, self.body.identity), *self.body.variants.items()]:
            headers = [
                ("Content-Type", self.content_type),
                ("ETag", f'"{self.etag}-{encoding}"' if encoding else f'"{self.etag}"'),
                ("Cache-Control", CACHE_CONTROL),
                ("Last-Modified", last_modified),
            ]
            if self.body.variants:
                headers.append(("Vary", VARY))
            if encoding:
                headers.append(("Content-Encoding", encoding))
            forms[encoding] = (tuple(headers), body)
        object.__setattr__(self, "forms", forms)


def newest_change(folders: Iterable[Path]) -> datetime:
    """The newest modification time of any file in the folders, to the second (as HTTP dates are)."""
    newest = 0.0
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                newest = max(newest, os.stat(os.path.join(root, name)).st_mtime)
    return datetime.fromtimestamp(int(newest), UTC)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


class PageCache:
    def __init__(self, changed: datetime | None = None):
        self._lock = threading.Lock()
        self._edition: Hashable = None
        self._edition_began = _now()
        self._pages: dict[str, CachedPage] = {}
        self.changed = changed or _now()

    def last_modified(self) -> datetime:
        """A new day or a staff date change (a new edition) changes what pages say, and this
        process only knows it happened before it noticed: so, the later of that and the files."""
        return max(self.changed, self._edition_began)

    def get(self, path: str, edition: Hashable) -> CachedPage | None:
        with self._lock:
            if edition != self._edition:
                self._pages.clear()
                self._edition = edition
                self._edition_began = _now()
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


def init_app(app: Flask) -> None:
    if not app.debug and app.config.get("PAGE_CACHE", True):
        templates = Path(app.root_path) / (app.template_folder or "templates")
        changed = newest_change([Path(app.config["CONTENT_DIR"]), templates])
        cache = app.extensions[EXTENSION_KEY] = PageCache(changed)
        app.wsgi_app = CachedPagesMiddleware(app.wsgi_app, app, cache)


@lru_cache(maxsize=64)
def _parsed_date(value: str) -> datetime | None:
    return parse_date(value)


def not_modified(page: CachedPage, if_none_match: str, if_modified_since: str) -> bool:
    """RFC 9110: If-None-Match decides when it is sent; only without it does If-Modified-Since."""
    if if_none_match:
        return if_none_match.strip() == "*" or page.etag in if_none_match
    if if_modified_since:
        since = _parsed_date(if_modified_since)
        return since is not None and page.last_modified <= since
    return False


def page_headers(page: CachedPage, accept_encoding: str) -> tuple[list[tuple[str, str]], bytes]:
    """The headers (without the security headers) and body for one client of a cached page."""
    encoding, _ = page.body.choose(accept_encoding)
    headers, body = page.forms[encoding]
    return list(headers), body


class CachedPagesMiddleware:
    """Answers a plain GET or HEAD for a page already cached, before Flask is entered.

    Even from memory, a page served through Flask cost 2–5 times a bare hello-world under load
    (request context, session, rate-limit check, ETag), against a target of 0.7 of its speed.
    Only a request Flask would answer with exactly these bytes and headers is served here: no
    query string, and in production only over HTTPS to a trusted host. Anything else, including
    the first request for each page (which fills the cache), goes to Flask.
    """

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], app: Flask, cache: PageCache):
        self.wsgi_app = wsgi_app
        self.app = app
        self.cache = cache
        self.config = app.config
        self.security = app.extensions["security_headers"]
        self.security_headers = list(self.security.headers.items())

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD") and not environ.get("QUERY_STRING"):
            try:
                edition = scheduling.edition(self.app)
            except SQLAlchemyError:
                # The database is down: Flask answers, with its "try again" page where it needs it.
                return self.wsgi_app(environ, start_response)
            page = self.cache.peek(environ.get("PATH_INFO", ""), edition)
            if page is not None and self._served_as_flask_would(environ):
                return self._serve(page, environ, start_response)
        return self.wsgi_app(environ, start_response)

    def _https(self, environ: dict[str, Any]) -> bool:
        # Only the scheme the server (or ProxyFix, when PROXY_COUNT says a proxy is there) set:
        # an X-Forwarded-Proto header on its own proves nothing.
        return environ.get("wsgi.url_scheme") == "https"

    def _served_as_flask_would(self, environ: dict[str, Any]) -> bool:
        trusted = self.config.get("TRUSTED_HOSTS")
        if trusted and not host_is_trusted(environ.get("HTTP_HOST", ""), trusted):
            return False
        return not (self.security.force_https and not self._https(environ))

    def _serve(self, page: CachedPage, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        headers, body = page_headers(page, environ.get("HTTP_ACCEPT_ENCODING", ""))
        headers += self.security_headers
        if self.security.hsts and self._https(environ):
            headers.append(("Strict-Transport-Security", self.security.hsts))
        if not_modified(page, environ.get("HTTP_IF_NONE_MATCH", ""), environ.get("HTTP_IF_MODIFIED_SINCE", "")):
            start_response("304 NOT MODIFIED", [h for h in headers if h[0] not in ("Content-Type", "Content-Encoding")])
            return [b""]
        headers.append(("Content-Length", str(len(body))))
        start_response("200 OK", headers)
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [body]


def _render_for_cache(view: Callable[..., Any], args: tuple, kwargs: dict) -> Response:
    """The view's response, rendered as if requested at SITE_URL with nothing but the route.

    What goes into the cache is served to everyone, so no header of the request that happened
    to fill it (Host, a SCRIPT_NAME or X-Forwarded-* header, cookies) may shape it: links and
    asset addresses come from SITE_URL and the path alone.
    """
    with current_app.test_request_context(request.path, base_url=current_app.config["SITE_URL"]):
        return make_response(view(*args, **kwargs))


def _response(page: CachedPage) -> Response:
    headers, body = page_headers(page, request.headers.get("Accept-Encoding", ""))
    if not_modified(page, request.headers.get("If-None-Match", ""), request.headers.get("If-Modified-Since", "")):
        response = Response(status=304)
        for name, value in headers:
            if name not in ("Content-Type", "Content-Encoding"):
                response.headers[name] = value
        return response
    response = Response(body)
    for name, value in headers:
        response.headers[name] = value
    return response


def cached_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Serve the view's 200 response from memory after the first request for that path."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        cache: PageCache | None = current_app.extensions.get(EXTENSION_KEY)
        edition = scheduling.edition(current_app._get_current_object()) if cache is not None else None
        page = cache.get(request.path, edition) if cache is not None else None
        if page is None:
            response = (
                _render_for_cache(view, args, kwargs) if cache is not None else make_response(view(*args, **kwargs))
            )
            if response.status_code != 200:
                return response
            raw = response.get_data()
            changed = cache.last_modified() if cache is not None else _now()
            page = CachedPage(
                Encoded.of(raw, response.mimetype, best=cache is not None),
                response.content_type,
                hashlib.sha256(raw).hexdigest()[:32],
                changed,
            )
            if cache is not None:
                cache.put(request.path, edition, page)
        return _response(page)

    return wrapper
