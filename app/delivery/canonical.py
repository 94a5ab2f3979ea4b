"""One address per page: `/news/`, `//about` and `/news//x` are sent to `/news`, `/about`, `/news/x`.

A 308 keeps the method and body, so even a form posted to a slashed address arrives. Addresses
that really end in a slash (the staff dashboard, `/staff/`) are left alone: the URL map decides.
The redirect is relative, so it never repeats a forged Host header.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from flask import current_app, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, RequestRedirect

SLASHES = re.compile(r"/{2,}")


def canonical_path(path: str, url_map: Map) -> str | None:
    """The address to redirect `path` to, or None when it is already canonical."""
    if "//" not in path and (path == "/" or not path.endswith("/")):
        return None
    candidate = SLASHES.sub("/", path)
    if candidate != "/" and candidate.endswith("/") and not _matches(candidate, url_map):
        candidate = candidate.rstrip("/") or "/"
    return candidate if candidate != path else None


def _matches(path: str, url_map: Map) -> bool:
    adapter = url_map.bind("localhost")
    try:
        adapter.match(path, method="GET")
    except RequestRedirect:
        return False
    except HTTPException:
        return False
    return True


class CanonicalPaths:
    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], url_map: Map, headers: dict[str, str]):
        self.wsgi_app = wsgi_app
        self.url_map = url_map
        self.headers = list(headers.items())

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        target = canonical_path(path, self.url_map)
        if target is None:
            return self.wsgi_app(environ, start_response)
        # PATH_INFO arrives decoded (WSGI gives it as latin-1 text holding UTF-8 bytes).
        location = quote(target.encode("latin-1"), safe="/:@!$&'()*+,;=-._~")
        if environ.get("QUERY_STRING"):
            location += "?" + environ["QUERY_STRING"]
        start_response(
            "308 Permanent Redirect",
            [
                ("Location", location),
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", "0"),
                ("Cache-Control", "public, max-age=86400"),
                *self.headers,
            ],
        )
        return [b""]


def canonical_url() -> str:
    """This page's address for `<link rel="canonical">`: SITE_URL and the path, never the Host
    header (pages are cached and shared) and never the query string."""
    return current_app.config["SITE_URL"].rstrip("/") + quote(request.path)
