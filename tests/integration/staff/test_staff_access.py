"""Every staff URL refuses anyone not signed in, and admin pages refuse analysts (deny by default)."""

import pytest

from app import create_app
from app.staff.auth.access import OPEN, PENDING
from tests.fixtures.staff import csrf_of

SAMPLE_VALUES = {
    "slug": "parish-councils-2026-27",
    "round_key": "2026-27",
    "audience": "parish",
    "reference": "ABC123",
    "invitation_id": 1,
    "user_id": 1,
    "answer_id": 1,
    "message_id": 1,
}


def staff_rules():
    app = create_app("testing")
    rules = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("staff."):
            url = rule.rule
            for arg in rule.arguments:
                url = url.replace(f"<int:{arg}>", str(SAMPLE_VALUES[arg])).replace(f"<{arg}>", str(SAMPLE_VALUES[arg]))
            methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
            view = app.view_functions[rule.endpoint]
            rules.append(pytest.param(rule.endpoint, url, methods, getattr(view, "staff_role", None), id=rule.endpoint))
    return rules


STAFF_RULES = staff_rules()


def test_every_staff_endpoint_declares_a_role_or_is_a_sign_in_page():
    for param in STAFF_RULES:
        endpoint, _url, _methods, role = param.values
        assert role in ("admin", "analyst") or endpoint in OPEN | PENDING, f"{endpoint} declares no role"


def test_every_endpoint_outside_staff_is_public_by_design(app):
    public = ("site.", "surveys.", "published.", "static")
    for rule in app.url_map.iter_rules():
        assert rule.endpoint.startswith(public) or rule.endpoint.startswith("staff."), rule.endpoint
        if rule.endpoint.startswith("staff."):
            assert rule.rule.startswith("/staff/")


@pytest.mark.parametrize("endpoint, url, methods, role", STAFF_RULES)
def test_anonymous_is_sent_to_login_on_every_staff_url(client, endpoint, url, methods, role):
    token = csrf_of(client.get("/staff/login").get_data(as_text=True))
    for method in methods:
        response = client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        if endpoint == "staff.login":
            assert response.status_code in (200, 400) if method == "POST" else response.status_code == 200
            continue
        assert response.status_code == 302, (method, url, response.status_code)
        assert "/staff/login" in response.headers["Location"]
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("endpoint, url, methods, role", [p for p in STAFF_RULES if p.values[3] == "admin"])
def test_analyst_gets_403_page_on_admin_urls(analyst_client, endpoint, url, methods, role):
    token = csrf_of(analyst_client.get("/staff/account/password").get_data(as_text=True))
    for method in methods:
        response = analyst_client.open(url, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, (method, url)
        html = response.get_data(as_text=True)
        assert "You do not have permission to see this page" in html
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "endpoint, url, methods, role", [p for p in STAFF_RULES if p.values[3] == "analyst" and "GET" in p.values[2]]
)
def test_analyst_is_not_refused_on_analyst_pages(analyst_client, endpoint, url, methods, role):
    response = analyst_client.get(url)
    assert response.status_code in (200, 302, 400, 404), (url, response.status_code)
    if response.status_code == 302:
        assert "/staff/login" not in response.headers["Location"]
    assert response.headers["Cache-Control"] == "no-store"


def test_admin_reaches_admin_pages(admin_client):
    for url in ("/staff/users", "/staff/audit", "/staff/retention"):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store"


def test_a_staff_view_without_a_role_is_refused(tmp_path):
    """Forgetting @requires fails closed: the blueprint's before_request refuses the endpoint."""
    from support.staff_accounts import create_staff, sign_in
    from tests.conftest import make_app

    app = make_app("sqlite", tmp_path)
    app.add_url_rule("/staff/forgotten", endpoint="staff.forgotten", view_func=lambda: "secret data")
    account = create_staff(app, "admin")
    client = app.test_client()
    assert client.get("/staff/forgotten").status_code == 302
    sign_in(app, client, account)
    response = client.get("/staff/forgotten")
    assert response.status_code == 403
    assert "secret data" not in response.get_data(as_text=True)
