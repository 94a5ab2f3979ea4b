"""Deny by default: every endpoint outside the public allow-list turns an anonymous visitor away.

The rules come from `app.url_map`, so a staff page added later without a login check fails here
before it ships. CSRF is switched off for this walk so a POST reaches the view's own check (with
CSRF on, the token check would answer 400 first and hide a missing login check).
"""

import pytest
from werkzeug.routing import Rule

from app import create_app
from app.extensions import db

PUBLIC_BLUEPRINTS = {"site", "surveys", "published"}
PUBLIC_ENDPOINTS = {"static"}
# Filler values for URL arguments, by converter: the check happens before any lookup.
SAMPLE_ARGUMENTS = {"int": 1, "float": 1.0, "uuid": "00000000-0000-0000-0000-000000000000", "path": "x/y"}


def is_public(endpoint: str) -> bool:
    return endpoint in PUBLIC_ENDPOINTS or endpoint.split(".")[0] in PUBLIC_BLUEPRINTS


def sample_url(rule: Rule) -> str:
    values = {}
    for name in rule.arguments:
        converter = type(rule._converters[name]).__name__.replace("Converter", "").lower()
        values[name] = SAMPLE_ARGUMENTS.get(
            {"integer": "int", "unicode": "string"}.get(converter, converter), "quality-sample"
        )
    return rule.build(values, append_unknown=False)[1]


@pytest.fixture(scope="module")
def no_csrf_app(app):
    walker = create_app(
        "testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=False
    )
    yield walker
    with walker.app_context():
        db.engine.dispose()


def protected_rules(flask_app) -> list[Rule]:
    return [rule for rule in flask_app.url_map.iter_rules() if not is_public(rule.endpoint)]


def test_the_staff_area_exists_and_is_all_outside_the_public_allow_list(app):
    rules = protected_rules(app)
    staff = [rule for rule in rules if rule.endpoint.startswith("staff.")]
    assert staff, "no staff endpoints registered: the walk below would check nothing"
    assert all(rule.rule.startswith("/staff") for rule in staff), [
        r.rule for r in staff if not r.rule.startswith("/staff")
    ]


def test_no_endpoint_outside_the_allow_list_is_reachable_anonymously(no_csrf_app):
    login_path = None
    for rule in no_csrf_app.url_map.iter_rules():
        if rule.endpoint == "staff.login":
            login_path = rule.rule
    assert login_path, "no staff.login endpoint"
    reachable = []
    client = no_csrf_app.test_client()
    for rule in protected_rules(no_csrf_app):
        url = sample_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method, data={"email": "x@example.org"})
            location = response.headers.get("Location", "")
            if response.status_code in (401, 403):
                continue
            if response.status_code in (302, 303) and location.split("?")[0].endswith(login_path):
                continue
            # The sign-in pages themselves (and the 2FA step, which needs a half-finished
            # sign-in) are the only staff pages an anonymous visitor may load.
            if rule.endpoint in ANONYMOUS_STAFF_ENDPOINTS:
                continue
            reachable.append(f"{method} {rule.rule} ({rule.endpoint}) -> {response.status_code} {location}")
    assert not reachable, "reachable without signing in:\n" + "\n".join(reachable)


# Pages a visitor must reach to sign in at all. Everything else under /staff needs a session.
ANONYMOUS_STAFF_ENDPOINTS = {"staff.login"}
