"""gunicorn settings, read from the working directory by `make run`, the tests and bench.

The access log must never hold an invitation token or a query string (search terms, tokens):
the logger below redacts both before anything is written.
"""

from flask import Flask
from gunicorn.glogging import Logger

from app import logsafety
from app.delivery import warm_start

# Workers are recycled to bound any slow leak, but rarely: a new worker reloads the content and
# starts with an empty page cache, and recycling every 1,000 requests cut cached pages from
# about 6,000 to 1,300 requests/s on 2 cores (measured side by side with wrk).
max_requests = 20000
max_requests_jitter = 2000
graceful_timeout = 10
# Sync workers are killed after `timeout` seconds on one request; a 100,000-response XLSX
# export streams for about a minute on a 2-core machine.
timeout = 180

# gunicorn by default lets a peer on 127.0.0.1 set SCRIPT_NAME and PATH_INFO through headers and
# switch the scheme to https with X-Forwarded-Proto and friends: anything that can reach the
# port locally, or through a proxy that passes headers on, could then choose the addresses the
# pages link to. Trust no peer for any of it. Forwarded headers reach the app as plain headers,
# and the app's ProxyFix reads X-Forwarded-* only when PROXY_COUNT says a proxy is there.
forwarded_allow_ips = ""
forwarder_headers = ""
secure_scheme_headers: dict[str, str] = {}
# Header names with underscores (SCRIPT_NAME, X_Forwarded_For) are dropped, never mapped.
header_map = "drop"


def redact(value: str) -> str:
    """Invitation tokens (however the path is percent-encoded) and query strings removed, control
    characters escaped: see app/logsafety.py."""
    return logsafety.redact(value)


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if key == "q" and value:
                atoms[key] = "[redacted]"
            elif isinstance(value, str):
                atoms[key] = redact(value)
        return atoms


logger_class = RedactingLogger


def post_worker_init(worker) -> None:
    """gunicorn calls this after loading the app and before the worker accepts a connection."""
    if isinstance(worker.wsgi, Flask):
        count = warm_start.compile_templates(worker.wsgi)
        worker.log.debug("compiled %d templates", count)
