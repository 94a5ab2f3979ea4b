"""Static files: content-hashed, precompressed and cached by browsers for a year.

`make` builds `app/static/build/` (app/assets/build.py, then Brotli and gzip copies).
WhiteNoise serves that folder in front of Flask, choosing the `.br` or `.gz` copy the browser
accepts, with `Cache-Control: public, max-age=31536000, immutable`: a file's name changes
whenever it does, so nothing is ever revalidated. Templates name files by their source path,
`asset_url('css/main.css')`, and get the hashed address.

Without a build (a developer running one test by hand), `asset_url` falls back to Flask's
unhashed static route, which still works but is revalidated on every page.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from flask import Flask, url_for
from werkzeug.sansio.utils import host_is_trusted
from whitenoise import WhiteNoise

from app.security import SecurityHeaders

log = logging.getLogger(__name__)

BUILD_FOLDER = "build"
MANIFEST_NAME = "manifest.json"
PREFIX = "/static/"
IMMUTABLE = "public, max-age=31536000, immutable"
FAVICON_PATH = "/favicon.ico"
FAVICON_SOURCE = "images/favicon.ico"
# Its address never changes, so browsers check it again now and then.
FAVICON_CACHE = "public, max-age=86400"


def load_manifest(build_dir: Path) -> dict[str, str]:
    path = build_dir / MANIFEST_NAME
    if not path.is_file():
        return {}
    manifest: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return manifest


def make_asset_url(manifest: dict[str, str]) -> Callable[[str], str]:
    def asset_url(name: str) -> str:
        hashed = manifest.get(name)
        if hashed is None:
            return url_for("static", filename=name)
        return PREFIX + hashed

    return asset_url


class StaticFiles:
    """WhiteNoise for the hashed files, only where Flask would have answered with the same file.

    In production plain HTTP, or a host not in TRUSTED_HOSTS, goes on to Flask, which redirects
    to HTTPS or refuses the host as it does for every other address.
    """

    def __init__(self, wsgi_app: Callable[..., Iterable[bytes]], app: Flask, build_dir: Path, manifest: dict[str, str]):
        self.wsgi_app = wsgi_app
        # Browsers and feed readers ask for /favicon.ico whatever a page's <link rel="icon"> says.
        favicon = build_dir / manifest[FAVICON_SOURCE] if FAVICON_SOURCE in manifest else None
        self.favicon = favicon.read_bytes() if favicon and favicon.is_file() else None
        self.config = app.config
        self.security: SecurityHeaders = app.extensions["security_headers"]
        self.whitenoise = WhiteNoise(
            wsgi_app,
            root=str(build_dir),
            prefix=PREFIX,
            max_age=None,
            autorefresh=False,
            immutable_file_test=lambda path, url: not url.endswith("/" + MANIFEST_NAME),
            add_headers_function=self._add_headers,
        )

    def _add_headers(self, headers: Any, path: str, url: str) -> None:
        for name, value in self.security.headers.items():
            headers[name] = value
        if self.security.hsts:
            headers["Strict-Transport-Security"] = self.security.hsts
        if not url.endswith("/" + MANIFEST_NAME):
            headers["Cache-Control"] = IMMUTABLE

    def _allowed(self, environ: dict[str, Any]) -> bool:
        trusted = self.config.get("TRUSTED_HOSTS")
        if trusted and not host_is_trusted(environ.get("HTTP_HOST", ""), trusted):
            return False
        if not self.security.force_https:
            return True
        return environ.get("wsgi.url_scheme") == "https" or environ.get("HTTP_X_FORWARDED_PROTO") == "https"

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(PREFIX) and self._allowed(environ):
            return self.whitenoise(environ, start_response)
        if path == FAVICON_PATH and self.favicon is not None and self._allowed(environ):
            return self._favicon(environ, start_response)
        return self.wsgi_app(environ, start_response)

    def _favicon(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        headers = {
            "Content-Type": "image/vnd.microsoft.icon",
            "Cache-Control": FAVICON_CACHE,
            "Content-Length": str(len(self.favicon or b"")),
            **self.security.headers,
        }
        start_response("200 OK", list(headers.items()))
        return [b""] if environ["REQUEST_METHOD"] == "HEAD" else [self.favicon or b""]


def init_app(app: Flask) -> None:
    build_dir = Path(app.static_folder or "") / BUILD_FOLDER
    manifest = load_manifest(build_dir)
    if not manifest:
        log.warning("No static build in %s: run make to hash and compress the static files.", build_dir)
    app.jinja_env.globals["asset_url"] = make_asset_url(manifest)
    if manifest:
        app.wsgi_app = StaticFiles(app.wsgi_app, app, build_dir, manifest)  # type: ignore[method-assign]
