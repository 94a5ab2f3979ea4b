"""Log lines that neither leak secrets from URLs nor can be forged. No Flask here.

Tokens: a secret route (an invitation link) is recognised by matching the route on the path as
the router will see it, percent-escapes decoded (`/%69nvite/...` and `/invite%2f...` reach the
same view as `/invite/...`), and everything after the route's fixed part is replaced. Query
strings (search terms, tokens) are dropped.

Forging: line breaks and other control characters in any logged value are written as escapes,
so a value such as an email address typed into a form cannot start a line of its own.

`install()` puts both into every log record's message, whoever logs it (the app, gunicorn,
libraries); tracebacks are left as they are.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import unquote, urlsplit

# (route pattern on the decoded path, what is logged instead)
SECRET_ROUTES = ((re.compile(r"/+invite(?:/|$)", re.IGNORECASE), "/invite/[redacted]"),)
_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*:)?/[^\s\"'<>]*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape(text: str) -> str:
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _decoded(path: str) -> str:
    for _ in range(4):  # double-encoded %252f is still a slash to some servers in front
        decoded = unquote(path)
        if decoded == path:
            break
        path = decoded
    return path


def redact_url(url: str) -> str:
    """A path or URL as it may be logged."""
    without_query, has_query, _ = url.partition("?")
    decoded = _decoded(without_query)
    prefix, path = "", decoded
    if not decoded.startswith("/"):  # a whole URL (a Referer): its host is not part of the route
        parts = urlsplit(decoded)
        prefix, path = f"{parts.scheme}://{parts.netloc}", parts.path
    for pattern, replacement in SECRET_ROUTES:
        if pattern.match(path):
            without_query = prefix + replacement
            break
    return without_query + ("?[redacted]" if has_query else "")


def _redact_match(match: re.Match[str]) -> str:
    url = match.group()
    trailing = len(url) - len(url.rstrip(":,;.)"))  # punctuation of the sentence, not of the URL
    return redact_url(url[: len(url) - trailing]) + url[len(url) - trailing :]


def redact(text: str) -> str:
    """Every path or URL in `text` redacted, then control characters escaped."""
    return escape(_URL.sub(_redact_match, text))


class SafeLogRecord(logging.LogRecord):
    def getMessage(self) -> str:  # noqa: N802 (the logging module's name)
        return redact(super().getMessage())


def install() -> None:
    if logging.getLogRecordFactory() is not SafeLogRecord:
        logging.setLogRecordFactory(SafeLogRecord)
