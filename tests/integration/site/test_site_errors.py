"""Unknown addresses, including path traversal attempts, get the friendly 404 page."""

import pytest

NOT_FOUND = [
    "/campaigns/no-such-campaign",
    "/news/no-such-item",
    "/priorities/nothing",
    "/plan/1999-2002",
    "/no-such-page",
    "/campaigns/..%2F..%2Fetc%2Fpasswd",
    "/campaigns/../../etc/passwd",
    "/news/..%2f..%2fapp%2fconfig.py",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%5c..%5cwindows",
    "/campaigns/Fatal-Four",
    "/campaigns/fatal-four.md",
    "/home",
    "/site.yaml",
    "/data/recorded-crime.csv",
]


@pytest.mark.parametrize("url", NOT_FOUND)
def test_unknown_or_malicious_addresses_get_the_friendly_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Page not found" in html
    assert "Traceback" not in html and "root:" not in html
    assert "public" not in response.headers.get("Cache-Control", "")
