"""Security headers and cookies on every response, error pages included, in testing and production.

Pages are taken from `app.url_map` (every GET rule without arguments) so a page added later is
checked without editing this file; error pages (400, 404, 405, 413, 500) are provoked directly.
"""

import base64
import hashlib
import os
import re
from http.cookies import SimpleCookie

import pytest
from flask import session

from app import create_app

# The emergency banner every page of the site design carries (its numbers are tap-to-call links).
SITE_BANNER = 'In an emergency call <a class="govuk-link" href="tel:999">999</a>'

STRONG_KEY = "quality-" + "Zx9!kQ2#vB7@" * 5
# Production refuses in-memory rate limits (one count per worker): use the Redis test database.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
HOST = "csp.example.org"
HTTPS = f"https://{HOST}"

EXPECTED_CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def parse_csp(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            assert words[0] not in directives, f"directive {words[0]} given twice in {header!r}"
            directives[words[0]] = words[1:]
    return directives


def argument_free_get_paths(flask_app) -> list[str]:
    paths = []
    for rule in flask_app.url_map.iter_rules():
        if (
            "GET" in rule.methods
            and not rule.arguments
            and rule.endpoint != "static"
            and not rule.rule.startswith("/_quality/")
        ):
            paths.append(rule.rule)
    return sorted(set(paths))


def make_production_app(test_app, **overrides):
    """A production app on the test database, with a route that fails (added before any request)."""
    prod = create_app(
        "production",
        SECRET_KEY=STRONG_KEY,
        TRUSTED_HOSTS=[HOST],
        SITE_URL=f"https://{HOST}",
        SQLALCHEMY_DATABASE_URI=test_app.config["SQLALCHEMY_DATABASE_URI"],
        RATELIMIT_STORAGE_URI=REDIS_URL,
        **overrides,
    )

    @prod.route("/_quality/boom")
    def boom():
        raise RuntimeError("quality-secret-detail: database password is hunter2")

    @prod.route("/_quality/session")
    def touch_session():
        session["seen"] = True
        return "ok"

    return prod


@pytest.fixture(scope="module")
def production_app(app):
    prod = make_production_app(app)
    yield prod
    from app.extensions import db

    with prod.app_context():
        db.engine.dispose()


def argument_free_post_path(flask_app) -> str:
    paths = sorted(r.rule for r in flask_app.url_map.iter_rules() if "POST" in r.methods and not r.arguments)
    assert paths, "no form posts anywhere yet, so there is no CSRF error page to check"
    return paths[0]


def error_responses(client, base_url="http://localhost"):
    """(name, response) for each error page a visitor can meet."""
    yield "404", client.get("/quality-no-such-page", base_url=base_url)
    yield "405", client.open("/static/css/main.css", method="DELETE", base_url=base_url)
    yield (
        "413",
        client.post(
            argument_free_post_path(client.application),
            data=b"x" * (10 * 1024 * 1024),
            content_type="application/x-www-form-urlencoded",
            base_url=base_url,
        ),
    )
    yield (
        "400 (CSRF)",
        client.post(argument_free_post_path(client.application), data={"anything": "1"}, base_url=base_url),
    )


def assert_security_headers(name: str, response, production: bool = False):
    headers = response.headers
    csp = parse_csp(headers.get("Content-Security-Policy", ""))
    script_src = csp.pop("script-src", None)
    assert csp == EXPECTED_CSP_DIRECTIVES, f"{name}: CSP is {headers.get('Content-Security-Policy')!r}"
    assert script_src and script_src[0] == "'self'", f"{name}: script-src is {script_src}"
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]+=*'", source) for source in script_src[1:]), (
        f"{name}: script-src allows more than the site and hashed scripts: {script_src}"
    )
    assert (
        "unsafe-inline" not in headers["Content-Security-Policy"]
        and "unsafe-eval" not in headers["Content-Security-Policy"]
    )
    assert headers.get("X-Content-Type-Options") == "nosniff", name
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", name
    assert headers.get("X-Frame-Options") == "DENY", name
    permissions = headers.get("Permissions-Policy", "")
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions, f"{name}: Permissions-Policy lacks {feature}: {permissions!r}"
    content_type = headers.get("Content-Type", "")
    if content_type.startswith("text/") or "xml" in content_type or "json" in content_type:
        assert "charset=utf-8" in content_type.lower(), f"{name}: Content-Type has no charset: {content_type!r}"
    hsts = headers.get("Strict-Transport-Security")
    if production:
        assert hsts, f"{name}: no HSTS in production"
        max_age = int(re.search(r"max-age=(\d+)", hsts).group(1))
        assert max_age >= 31536000 and "includeSubDomains" in hsts, f"{name}: weak HSTS {hsts!r}"
    else:
        assert hsts is None, f"{name}: HSTS over plain HTTP in development would pin a local host"


def test_every_page_and_error_page_sends_the_security_headers(app, client):
    paths = argument_free_get_paths(app)
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, f"GET {path} failed with {response.status_code}"
        assert_security_headers(f"GET {path}", response)
    for name, response in error_responses(client):
        assert_security_headers(name, response)
    assert_security_headers("static CSS", client.get("/static/css/main.css"))


def test_error_pages_have_the_right_status_and_a_page_in_the_site_design(client):
    expected = {
        "404": (404, "Page not found"),
        "405": (405, "There is a problem"),
        "413": (413, "What you sent is too large"),
        "400 (CSRF)": (400, "There is a problem"),
    }
    for name, response in error_responses(client):
        status, text = expected[name]
        html = response.get_data(as_text=True)
        assert response.status_code == status, name
        assert text in html and SITE_BANNER in html, f"{name}: not the site's error page"
        assert "Traceback" not in html


def test_every_inline_script_is_allowed_by_a_hash_and_nothing_else_is(app, client):
    """The CSP names exactly the inline scripts the pages contain: no stale or spare hashes."""
    allowed = None
    used = set()
    for path in argument_free_get_paths(app) + ["/quality-no-such-page"]:
        response = client.get(path)
        if "text/html" not in response.content_type:
            continue
        allowed = set(parse_csp(response.headers["Content-Security-Policy"])["script-src"][1:])
        html = response.get_data(as_text=True)
        for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
            if "src=" in attributes:
                continue
            digest = "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
            assert digest in allowed, f"inline script on {path} is not allowed by the CSP: {body[:80]!r}"
            used.add(digest)
        assert not re.search(r"\son[a-z]+\s*=", re.sub(r"<script.*?</script>", "", html, flags=re.S)), (
            f"inline event handler attribute on {path} (blocked by the CSP)"
        )
        assert not re.search(r"<[^>]+\sstyle\s*=", html), f"style attribute on {path} (blocked by the CSP)"
    assert allowed == used, f"CSP allows scripts no page contains: {allowed - used}"


def test_production_sends_hsts_everywhere_and_redirects_plain_http(production_app):
    client = production_app.test_client()
    for path in argument_free_get_paths(production_app):
        response = client.get(path, base_url=HTTPS)
        assert response.status_code < 500, f"GET {path} failed with {response.status_code} in production"
        assert_security_headers(f"production GET {path}", response, production=True)
    for name, response in error_responses(client, base_url=HTTPS):
        assert_security_headers(f"production {name}", response, production=True)
    plain = client.get("/quality-no-such-page", base_url=f"http://{HOST}")
    assert plain.status_code in (301, 302, 308) and plain.headers["Location"].startswith(HTTPS)


def test_a_production_app_does_not_change_the_headers_of_another_app(app, production_app):
    """Each app has its own header settings (a shared header object once leaked HTTPS redirects)."""
    production_app.test_client().get("/", base_url=HTTPS)
    response = app.test_client().get("/quality-no-such-page")
    assert response.status_code == 404, "the testing app now redirects to HTTPS like the production one"
    assert "Strict-Transport-Security" not in response.headers


def test_production_error_page_has_no_stack_trace_or_detail(production_app):
    client = production_app.test_client()
    response = client.get("/_quality/boom", base_url=HTTPS)
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    for leak in ("Traceback", "RuntimeError", "quality-secret-detail", "hunter2", "Werkzeug Debugger", 'File "'):
        assert leak not in html, f"the 500 page shows {leak!r}"
    assert_security_headers("production 500", response, production=True)


def test_production_refuses_hosts_it_does_not_serve_with_a_plain_400(production_app):
    response = production_app.test_client().get("/", base_url="https://attacker.example")
    assert response.status_code == 400
    assert "Traceback" not in response.get_data(as_text=True)


def _session_cookie(response, name):
    for header in response.headers.getlist("Set-Cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        if name in cookie:
            return cookie[name], header
    return None, None


def test_session_cookie_is_secure_httponly_and_samesite_lax_in_production(production_app):
    response = production_app.test_client().get("/_quality/session", base_url=HTTPS)
    morsel, raw = _session_cookie(response, production_app.config["SESSION_COOKIE_NAME"])
    assert morsel is not None, "the session cookie was not set"
    assert morsel["secure"] and morsel["httponly"], raw
    assert morsel["samesite"] == "Lax", raw


def test_every_page_that_sets_the_session_cookie_sets_it_httponly_and_lax(app, client):
    """Real pages (forms keep their CSRF token in the session) in testing config."""
    name = app.config["SESSION_COOKIE_NAME"]
    setters = []
    for path in argument_free_get_paths(app):
        fresh = app.test_client()
        response = fresh.get(path)
        morsel, raw = _session_cookie(response, name)
        if morsel is None:
            continue
        setters.append(path)
        assert morsel["httponly"] and morsel["samesite"] == "Lax", f"{path}: {raw}"
        assert not morsel["secure"], f"{path}: a Secure cookie would not come back over plain HTTP in development"
    # The staff sign-in form keeps its CSRF token in the session, so at least it sets the cookie.
    assert setters, "no page set the session cookie: is there no form at all?"


def test_public_content_pages_do_not_set_cookies_or_vary_per_visitor(app, client):
    """Content pages are rendered once and served from memory: nothing per-visitor in them."""
    public = [
        p for p in argument_free_get_paths(app) if app.url_map.bind("localhost").match(p)[0].split(".")[0] == "site"
    ]
    assert public, "the public site has no pages yet"
    for path in public:
        first = app.test_client().get(path)
        second = app.test_client().get(path)
        assert not first.headers.getlist("Set-Cookie"), f"{path} sets a cookie"
        assert "cookie" not in first.headers.get("Vary", "").lower(), f"{path} varies by cookie"
        assert first.get_data() == second.get_data(), f"{path} differs between two visitors"
        assert b'name="csrf_token"' not in first.get_data(), f"{path} carries a CSRF token"
