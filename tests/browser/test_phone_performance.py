"""On a phone: nothing moves while a page loads, and a visit costs few bytes.

Both are read from Chromium's own records (bench/phone.py): layout shift from its trace, on a
throttled phone at 360 px with JavaScript on and off; bytes from its network log, with the
browser cache as a real visit leaves it. `make bench` prints the same figures.
"""

from __future__ import annotations

import pytest

from bench import phone
from tests.browser import data

FIRST_VISIT_LIMIT = 40 * 1024
NEXT_PAGE_LIMIT = 8 * 1024
CONTENT_PAGES = ["/", "/plan/2020-23", "/crime-figures", "/campaigns/fatal-four"]


def phone_pages(app) -> list[str]:
    """The content pages, an open survey's start page and its first question page."""
    found = [s for s in data.surveys(app) if s.status_now == "open" and s.audience == "resident"]
    assert found, "no open residents' survey to measure"
    survey = found[0]
    return [*CONTENT_PAGES, f"/consultations/{survey.slug}", f"/consultations/{survey.slug}/{survey.pages[0].id}"]


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_nothing_moves_while_pages_load_on_a_phone(chromium, live_server, app, javascript):
    shifts = {path: phone.layout_shift(chromium, live_server + path, javascript) for path in phone_pages(app)}
    assert shifts == dict.fromkeys(shifts, 0.0)


def test_a_first_visit_and_the_next_page_stay_within_their_byte_budgets(chromium, live_server):
    for then in ("/plan/2020-23", "/crime-figures", "/campaigns/fatal-four", "/consultations"):
        first, following = phone.visit_weights(chromium, live_server, "/", then)
        assert first.total <= FIRST_VISIT_LIMIT, [(t.url, t.bytes) for t in first.transfers]
        assert following.total <= NEXT_PAGE_LIMIT, [(t.url, t.bytes) for t in following.transfers]
        # The CSS and scripts came from the cache, not the network, on the next page.
        assert all(t.from_cache or t.bytes == 0 for t in following.transfers if "/static/" in t.url), then
