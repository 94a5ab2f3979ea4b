"""A member of staff keys in a pile of paper forms in one sitting, in Chromium, never leaving
the staff area, and every form is stored as written."""

import re
from urllib.parse import urlsplit

from sqlalchemy import select

from app.extensions import db
from app.surveys.questions.validation import NOT_ANSWERED_KEY
from app.surveys.survey_models import Response
from tests.browser import data
from tests.browser.crawl import Crawler

FORMS = 20
REFERENCE = re.compile(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b")
GRID_ITEMS = [
    "litter",
    "drunk-rowdy",
    "drugs",
    "criminal-damage",
    "speeding",
    "burglary",
    "vehicle-crime",
    "anti-social-behaviour",
    "violent-crime",
    "fraud-scams",
]
CONCERNS = ["speeding", "burglary", "litter", "drugs"]


def key_in_one(page, n: int) -> None:
    """Form n: every third leaves "after dark" blank, every form leaves n % 4 grid rows blank and
    gives 1 to 3 concerns."""
    page.check("input[name=safe-day][value=fairly-safe]")
    if n % 3:
        page.check("input[name=safe-after-dark][value=a-bit-unsafe]")
    for item in GRID_ITEMS[: len(GRID_ITEMS) - n % 4]:
        page.check(f"input[name=problems-{item}][value=a-bit]")
    for place in range(1, n % 3 + 2):
        page.select_option(f"select[name=top-concerns-{place}]", CONCERNS[(n + place) % len(CONCERNS)])
    page.click("main form button.govuk-button:has-text('Save this paper form')")


def test_staff_key_in_twenty_forms_with_blanks_without_leaving_the_staff_area(
    app, chromium, live_server, screenshot_dir
):
    survey = data.survey(app, "resident")
    user = data.staff_user(app, role="analyst")
    crawler = Crawler(chromium, live_server, app, screenshot_dir, "paper-entry")
    try:
        data.sign_in(crawler, user, record=False)
        page = crawler.page
        crawler.goto(f"/staff/paper/{survey.slug}")
        page.click("main form button:has-text('Start entering paper forms')")
        visited = []
        references = []
        for n in range(1, FORMS + 1):
            key_in_one(page, n)
            visited.append(urlsplit(page.url).path)
            text = page.inner_text("main")
            assert "Paper form saved" in text, text[:500]
            assert f"{n} form{'s' if n != 1 else ''} entered in this sitting" in text
            references.append(REFERENCE.search(text).group(0))
            page.click("main a:has-text('Enter the next form')")
        assert all(path.startswith("/staff/") for path in visited), visited
        assert len(set(references)) == FORMS
    finally:
        crawler.close()
    with app.app_context():
        stored = db.session.scalars(select(Response).where(Response.reference.in_(references))).all()
        assert len(stored) == FORMS
        assert {r.channel for r in stored} == {"paper"} and {r.entered_by_id for r in stored} == {user.id}
        blank_dark = [r for r in stored if "safe-after-dark" in (r.answers.get(NOT_ANSWERED_KEY) or [])]
        assert len(blank_dark) == FORMS // 3
        assert sorted({len(r.answers["top-concerns"]) for r in stored}) == [1, 2, 3]
        db.session.remove()
