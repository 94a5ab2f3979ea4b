"""Session-wide crawls shared by the browser checks: each area is visited once per database."""

import pytest

from tests.browser import audit, crawl, data, keyboard
from tests.fixtures.browser import ARTIFACTS

NOT_FOUND_PATH = "/quality-check-no-such-page"


@pytest.fixture(scope="session")
def public_pages(chromium, live_server, app, screenshot_dir):
    """Every public page: /sitemap.xml, the home page and every same-site link on them."""
    crawler = crawl.Crawler(chromium, live_server, app, screenshot_dir, "public")
    try:
        start = ["/", *crawl.sitemap_paths(live_server), NOT_FOUND_PATH]
        crawler.crawl_public(start)
        search = [r for r in crawler.records if r.endpoint.endswith(".search")]
        if search:  # the results page and the no-results page are states of their own
            for query in ("community safety", "zzqqxx"):
                crawler.capture(
                    crawler.goto(f"/search?q={query.replace(' ', '+')}"),
                    "results" if query != "zzqqxx" else "no results",
                )
        yield crawler.records
    finally:
        crawler.close()


@pytest.fixture(scope="session")
def survey_pages(chromium, live_server, app, screenshot_dir):
    """Every page of every open survey, answered with the keyboard, with each error state."""
    crawler = crawl.Crawler(chromium, live_server, app, screenshot_dir, "surveys")
    try:
        crawler.capture(crawler.goto("/consultations"))
        for survey in data.surveys(app):
            start = f"/consultations/{survey.slug}"
            if survey.status_now != "open":
                crawler.capture(crawler.goto(start))
                continue
            if survey.audience == "parish":
                token = data.invitation(app, survey.slug)
                crawler.capture(crawler.goto(f"/invite/{token}"))
                crawler.answer_survey(crawler.page.url.replace(live_server, ""))
                crawler.capture(crawler.goto(f"/invite/{token}"), "answered")
            else:
                crawler.answer_survey(start)
        crawler.capture(crawler.goto("/invite/not-a-real-invitation-token-0123456789abcdef"), "forged")
        yield crawler.records
    finally:
        crawler.close()


@pytest.fixture(scope="session")
def staff_pages(chromium, live_server, app, screenshot_dir):
    """Every staff page reachable by GET, signed in as an admin with some responses to show."""
    crawler = crawl.Crawler(chromium, live_server, app, screenshot_dir, "staff")
    try:
        crawler.capture(crawler.goto("/staff/login"))
        data.seed_responses(app)
        user = data.staff_user(app, role="admin")
        data.sign_in(crawler, user)
        for path in data.staff_get_paths(app):
            crawler.capture(crawler.goto(path))
        # Email: a refused send with its retry button, a mistake in the form, and the confirm step.
        parish = data.survey(app, "parish")
        data.failed_email(app, parish)
        crawler.capture(crawler.goto(f"/staff/invitations/{parish.slug}"), "email failed")
        page = crawler.page
        page.fill("#email-councillor-councillor", "Cllr Quality Check")
        page.fill("#email-councillor-ward", "Lubenham")
        page.fill("#email-councillor-email", "not an address")
        page.focus("#email-councillor-submit")
        crawler.capture(keyboard.submit(page), "email error")
        page.fill("#email-councillor-email", "cllr.quality-check@example.org")
        page.focus("#email-councillor-submit")
        crawler.capture(keyboard.submit(page), "email confirm")
        # Publishing "You said, we did" makes the public summary page and its link exist.
        survey = data.survey(app, "resident")
        crawler.goto(f"/staff/publish/{survey.slug}")
        commentary = "We heard you.\n\n## Speeding\n\n- more speed checks <script>alert(1)</script>"
        crawler.capture(keyboard.fill_form(crawler.page, texts={"commentary": commentary}), "preview")
        # The survey is open, so publishing its interim results needs the box ticked.
        crawler.page.focus("input[name=while_open]")
        crawler.page.keyboard.press("Space")
        assert crawler.page.is_checked("input[name=while_open]"), "the box to publish while open did not tick"
        with crawler.page.expect_navigation() as published:
            crawler.page.click("main form button:has-text('Publish this page')")
        crawler.capture(published.value, "published")
        crawler.capture(crawler.goto(f"/consultations/{survey.slug}/you-said-we-did"))
        crawler.capture(crawler.goto(f"/consultations/{survey.slug}"), "with summary")
        yield crawler.records
    finally:
        crawler.close()


AREAS = {"public": "public_pages", "surveys": "survey_pages", "staff": "staff_pages"}


@pytest.fixture(params=list(AREAS))
def area_pages(request, app):
    records = request.getfixturevalue(AREAS[request.param])
    # The exact list of pages checked, for people reviewing a run.
    listing = ARTIFACTS / f"pages-checked-{app.config['DATABASE_NAME']}-{request.param}.txt"
    listing.write_text("".join(f"{r.label}\t{r.endpoint}\n" for r in records), encoding="utf-8")
    return request.param, records


@pytest.fixture(scope="session")
def html_errors(request, app):
    """Nu Html Checker errors for every page of every area that could be crawled: one Java run."""
    records = []
    for fixture in AREAS.values():
        try:
            records.extend(request.getfixturevalue(fixture))
        except Exception:  # noqa: BLE001 (that area's own tests fail and say why)
            continue
    return audit.validate_html(records, ARTIFACTS / "html" / app.config["DATABASE_NAME"])
