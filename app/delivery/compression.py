"""Brotli or gzip for text responses, whichever the browser accepts (Brotli first).

Cached public pages are compressed once, at the highest settings, when they are rendered
(app/site/cache.py); other pages are compressed as they are sent, at settings that cost well
under a millisecond. Static files come precompressed from the build (app/delivery/static_files.py).

Not compressed: a page that holds a CSRF token and also answers a query string or a form
(BREACH: an attacker who can make a browser send chosen text that the page echoes beside a
secret can guess the secret from the compressed size), responses that stream (exports), and
anything already encoded or too small to gain.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field
from functools import lru_cache

import brotli
from flask import Flask, Response, g, request

MIN_SIZE = 512
COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/plain",
        "text/xml",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/xml",
        "application/atom+xml",
        "image/svg+xml",
        "text/csv",
    }
)
# Quick settings for pages compressed on every request; the cache and the build use the best.
LIVE_BROTLI_QUALITY = 5
LIVE_GZIP_LEVEL = 6


def compressible(mimetype: str | None) -> bool:
    return (mimetype or "").split(";")[0].strip().lower() in COMPRESSIBLE


@lru_cache(maxsize=256)
def accepted_encodings(accept_encoding: str) -> tuple[str, ...]:
    """Which of "br" and "gzip" an Accept-Encoding header allows, Brotli first; cached, as
    clients send only a few different values."""
    accepted: dict[str, float] = {}
    for part in accept_encoding.lower().split(","):
        name, _, params = part.strip().partition(";")
        quality = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        accepted[name.strip()] = quality
    return tuple(name for name in ("br", "gzip") if accepted.get(name, accepted.get("*", 0.0)) > 0)


def preferred_encoding(accept_encoding: str) -> str | None:
    accepted = accepted_encodings(accept_encoding)
    return accepted[0] if accepted else None


def brotli_bytes(body: bytes, quality: int = 11) -> bytes:
    return bytes(brotli.compress(body, quality=quality))


def gzip_bytes(body: bytes, level: int = 9) -> bytes:
    # mtime 0: the same page always gives the same bytes, so a cached copy's ETag holds.
    return gzip.compress(body, compresslevel=level, mtime=0)


@dataclass(frozen=True)
class Encoded:
    """A body with its Brotli and gzip forms, each kept only when it is smaller."""

    identity: bytes
    variants: dict[str, bytes] = field(default_factory=dict)

    @classmethod
    def of(cls, body: bytes, mimetype: str | None, best: bool = True) -> Encoded:
        """`best`: the smallest output, for a body compressed once and sent many times."""
        if len(body) < MIN_SIZE or not compressible(mimetype):
            return cls(body)
        variants = {
            "br": brotli_bytes(body, 11 if best else LIVE_BROTLI_QUALITY),
            "gzip": gzip_bytes(body, 9 if best else LIVE_GZIP_LEVEL),
        }
        return cls(body, {name: data for name, data in variants.items() if len(data) < len(body)})

    def choose(self, accept_encoding: str) -> tuple[str | None, bytes]:
        if self.variants and accept_encoding:
            for encoding in accepted_encodings(accept_encoding):
                if encoding in self.variants:
                    return encoding, self.variants[encoding]
        return None, self.identity


def _echoes_input_beside_secret() -> bool:
    return "csrf_token" in g and (bool(request.query_string) or request.method not in ("GET", "HEAD"))


def compress_response(response: Response) -> Response:
    """after_request: compress a text response the browser can take, unless it must not be."""
    if response.direct_passthrough or response.is_streamed or "Content-Encoding" in response.headers:
        return response
    if not compressible(response.mimetype) or response.status_code < 200 or response.status_code in (204, 304):
        return response
    response.vary.add("Accept-Encoding")
    encoding = preferred_encoding(request.headers.get("Accept-Encoding", ""))
    if encoding is None or _echoes_input_beside_secret():
        return response
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return response
    data = brotli_bytes(body, LIVE_BROTLI_QUALITY) if encoding == "br" else gzip_bytes(body, LIVE_GZIP_LEVEL)
    if len(data) >= len(body):
        return response
    response.set_data(data)
    response.headers["Content-Encoding"] = encoding
    if response.get_etag()[0]:
        # A different representation needs its own validator.
        tag, weak = response.get_etag()
        response.set_etag(f"{tag}-{encoding}", weak=bool(weak))
    return response


def init_app(app: Flask) -> None:
    # Registered first, so it runs last: after every other hook has finished the body.
    app.after_request_funcs.setdefault(None, []).insert(0, compress_response)
