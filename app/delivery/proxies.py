"""Forwarded headers are believed only from the proxies the deployment names.

With PROXY_COUNT > 0 the app takes the client's address, scheme and host from X-Forwarded-*
headers (werkzeug's ProxyFix); rate limits are keyed on that address. If gunicorn could also be
reached directly, anyone could send those headers and pick a new address for every request.
So the proxies are named in TRUSTED_PROXIES (with deploy/nginx: 127.0.0.1), and a request from
any other address has its forwarded headers removed before ProxyFix sees them. Production
refuses to start with PROXY_COUNT > 0 and no TRUSTED_PROXIES (app/config.py).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

FORWARDED = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PREFIX",
    "HTTP_FORWARDED",
)


def networks(names: Iterable[str]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(name.strip(), strict=False) for name in names if name.strip()]


class TrustedProxyFix:
    def __init__(self, app: Callable[..., Any], count: int, trusted: Iterable[str]) -> None:
        self.direct = app
        self.proxied = ProxyFix(app, x_for=count, x_proto=count, x_host=count)
        self.trusted = networks(trusted)

    def _from_proxy(self, environ: dict[str, Any]) -> bool:
        try:
            address = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in network for network in self.trusted)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if self._from_proxy(environ):
            return self.proxied(environ, start_response)
        for name in FORWARDED:
            environ.pop(name, None)
        return self.direct(environ, start_response)
