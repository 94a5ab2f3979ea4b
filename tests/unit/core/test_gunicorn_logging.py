"""The access log never records an invitation token or a query string."""

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location("gunicorn_conf", Path(__file__).parents[3] / "gunicorn.conf.py")
gunicorn_conf = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gunicorn_conf)


def test_invitation_tokens_and_queries_are_redacted():
    line = 'GET /invite/Zx9-abc_DEF123 HTTP/1.1 "/search?q=my+address" /invite/Zx9-abc_DEF123/'
    redacted = gunicorn_conf.redact(line)
    assert "Zx9-abc_DEF123" not in redacted
    assert "my+address" not in redacted
    assert redacted.startswith("GET /invite/[redacted] HTTP/1.1")


def test_ordinary_paths_are_kept():
    assert gunicorn_conf.redact("GET /campaigns/fatal-four HTTP/1.1") == "GET /campaigns/fatal-four HTTP/1.1"


def test_tokens_are_redacted_however_the_path_is_encoded():
    for line in (
        "GET /%69nvite/Tok3n-one HTTP/1.1",
        "GET /invite%2fTok3n-one HTTP/1.1",
        "GET /invite%252FTok3n-one HTTP/1.1",
        "GET //INVITE/Tok3n-one HTTP/1.1",
        'referer "https://site.example/%69nvite/Tok3n-one"',
    ):
        redacted = gunicorn_conf.redact(line)
        assert "Tok3n-one" not in redacted, line
        assert "/invite/[redacted]" in redacted


def test_line_breaks_in_logged_values_are_escaped():
    redacted = gunicorn_conf.redact('GET /about HTTP/1.1 "agent\r\n127.0.0.1 - - forged line"')
    assert "\n" not in redacted and "\r" not in redacted and "\\r\\n" in redacted
