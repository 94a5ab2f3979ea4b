"""Behind one proxy (PROXY_COUNT=1) the rate-limit key is the address the proxy saw, so a client
cannot dodge a limit by sending its own X-Forwarded-For."""

import pytest

from app import create_app
from app.extensions import db, limiter

PROXY = "10.0.0.2"  # the reverse proxy: every request reaches the app from here


@pytest.fixture(scope="module")
def proxied_app(app):
    proxied = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
        PROXY_COUNT=1,
        TRUSTED_PROXIES=[PROXY],
        RATELIMIT_STORAGE_URI="memory://",
    )

    @proxied.route("/_quality/limited", methods=["GET"])
    @limiter.limit("3 per minute")
    def limited():
        from flask import request

        return request.remote_addr or ""

    yield proxied
    with proxied.app_context():
        db.engine.dispose()


def via_proxy(client, real_ip: str, forged: str | None = None):
    # The proxy appends the address it saw to whatever the client sent.
    chain = f"{forged}, {real_ip}" if forged else real_ip
    return client.get(
        "/_quality/limited",
        environ_base={"REMOTE_ADDR": PROXY},
        headers={"X-Forwarded-For": chain, "X-Forwarded-Proto": "http"},
    )


def test_forged_forwarded_for_does_not_change_the_client_address_or_escape_the_limit(proxied_app):
    client = proxied_app.test_client()
    with proxied_app.app_context():
        limiter.reset()
    answers = [via_proxy(client, "203.0.113.7", forged=f"198.51.100.{n}") for n in range(4)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    assert {a.get_data(as_text=True) for a in answers[:3]} == {"203.0.113.7"}
    assert answers[3].status_code == 429, "changing the forged X-Forwarded-For escaped the rate limit"
    assert "Too many attempts" in answers[3].get_data(as_text=True)
    # Someone else behind the same proxy is not blocked by that client's limit.
    other = via_proxy(client, "203.0.113.99")
    assert other.status_code == 200 and other.get_data(as_text=True) == "203.0.113.99"


def test_a_client_reaching_the_app_directly_cannot_choose_its_address(proxied_app):
    """Forwarded headers count only from the named proxy: sent straight to the app, they are dropped."""
    client = proxied_app.test_client()
    with proxied_app.app_context():
        limiter.reset()
    answers = [
        client.get(
            "/_quality/limited",
            environ_base={"REMOTE_ADDR": "198.51.100.50"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
        )
        for n in range(4)
    ]
    assert {a.get_data(as_text=True) for a in answers[:3]} == {"198.51.100.50"}
    assert answers[3].status_code == 429


def test_production_refuses_a_proxy_count_without_named_proxies():
    from app.config import proxy_problems

    assert proxy_problems({"PROXY_COUNT": 0}) == []
    assert proxy_problems({"PROXY_COUNT": 1, "TRUSTED_PROXIES": ["127.0.0.1"]}) == []
    assert "TRUSTED_PROXIES is empty" in proxy_problems({"PROXY_COUNT": 1, "TRUSTED_PROXIES": []})[0]
    assert "larger than 256" in proxy_problems({"PROXY_COUNT": 1, "TRUSTED_PROXIES": ["0.0.0.0/0"]})[0]
    assert "IP addresses" in proxy_problems({"PROXY_COUNT": 1, "TRUSTED_PROXIES": ["nginx.local"]})[0]
