"""The public site tells the truth about its content: unconfirmed details, overdue reviews,
old figures, plans whose period has ended, and a quick exit on sensitive pages."""

import logging
import re
from datetime import date, datetime

from markupsafe import escape

from app import create_app
from app.content.reading.loader import load_content
from app.extensions import db
from tests.fixtures.site import REAL_CONTENT
from tests.fixtures.staff import insert_response
from tests.integration.core.test_quality_production import SAFE

CONTENT = load_content(REAL_CONTENT)
SENSITIVE = [
    "/campaigns/domestic-abuse-support",
    "/campaigns/hate-incidents",
    "/campaigns/county-lines-exploitation",
    "/priorities/people",
]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_sensitive_pages_have_an_exit_link_that_works_without_javascript_and_advice(client):
    for url in SENSITIVE:
        html = page(client, url)
        button = re.search(
            r'<div class="govuk-exit-this-page"[^>]*>\s*<a href="([^"]+)"[^>]*rel="nofollow noreferrer"', html
        )
        assert button and button.group(1) == "https://www.bbc.co.uk/weather", url
        assert html.index("govuk-exit-this-page") < html.index("<h1")  # at the top of the main content
        assert "If someone checks your phone or computer" in html and "private or incognito window" in html


def test_other_pages_have_no_exit_button(client):
    for url in ["/", "/contact", "/campaigns/burglary-prevention", "/crime-figures"]:
        assert "govuk-exit-this-page" not in page(client, url)


def test_quick_exit_is_switched_on_in_front_matter_only(client):
    assert {p.url for p in CONTENT.published_pages if p.quick_exit} == set(SENSITIVE)


def test_crime_figures_say_how_old_they_are_and_link_to_current_figures_first(client, monkeypatch, app):
    monkeypatch.setitem(app.config, "SURVEY_TODAY", date(2026, 12, 1))
    html = page(client, "/crime-figures")
    main = html.split("<main", 1)[1]
    notice = main.index("The newest figures on this page are for the year ending March 2017, 9 years ago.")
    assert notice < main.index("<table")
    assert main.index('href="https://www.police.uk/"') < main.index("<table")
    # Every column, change column and chart bar names the period the same way.
    assert "Year ending March 2016" in main and "Change from year ending March 2015 to year ending March 2016" in main
    assert ">Mar 2017</text>" in main
    assert not re.search(r"\b(?:in|rose sharply in) 2017\b", main)


def test_an_ended_plan_says_so_from_its_dates(client, monkeypatch, app):
    monkeypatch.setitem(app.config, "SURVEY_TODAY", date(2026, 12, 1))
    html = page(client, "/plan/2020-23")
    assert "Our latest plan covered April 2020 to March 2023." in html
    assert "Latest plan, April 2020 to March 2023" in html and "Current plan" not in html
    assert str(escape(CONTENT.current_plan.now)) in " ".join(html.split())
    assert 'href="https://www.harborough.gov.uk/communitysafety"' in html
    pcc_plan = "https://www.leics.pcc.police.uk/Planning-and-Money/Police-and-Crime-Plan/Police-and-Crime-Plan.aspx"
    assert f'href="{pcc_plan}"' in html
    assert "Our latest plan covered April 2020 to March 2023." in page(client, "/priorities")


def test_no_public_page_shows_a_marker_or_placeholder(client):
    for item in CONTENT.published_pages:
        html = page(client, item.url)
        for marker in ("to confirm", "to_confirm", "TODO", "TBC", "STAFF MUST", "# staff:"):
            assert marker not in html, (item.url, marker)


def test_fatal_four_only_describes_the_2017_to_2020_plan():
    for item in CONTENT.published_pages:
        if "fatal four" in item.text.lower() and item.url != "/plan/2017-20":
            sentences = [s for s in re.split(r"(?<=[.!?])\s", item.text) if "fatal four" in s.lower()]
            assert all("2017 to 2020" in s for s in sentences), (item.url, sentences)


def test_staff_see_content_to_review(app, analyst_client, monkeypatch):
    html = analyst_client.get("/staff/content").get_data(as_text=True)
    assert "Content to review" in html
    assert "pages/contact.md" in html and "the team&#39;s phone number" in html
    assert "parishes.yaml" in html
    dashboard = analyst_client.get("/staff/").get_data(as_text=True)
    assert "Website content to check" in dashboard and 'href="/staff/content"' in dashboard


def test_staff_see_pages_past_their_review_date(tmp_path, analyst_client, app, monkeypatch):
    monkeypatch.setattr("app.staff.website.content_review.today", lambda: date(2027, 12, 1))
    html = analyst_client.get("/staff/content").get_data(as_text=True)
    due = html.split('id="review-due"', 1)[1]
    assert "campaigns/domestic-abuse-support.md" in due and "30 November 2027 has passed" in due


def test_content_to_review_needs_a_staff_sign_in(client):
    response = client.get("/staff/content")
    assert response.status_code in (302, 303, 401, 403)


def test_production_start_up_logs_what_is_still_to_confirm(app, caplog):
    with caplog.at_level(logging.WARNING, logger="app.content"):
        production = create_app("production", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], **SAFE)
    with production.app_context():
        db.engine.dispose()
    logged = [r.getMessage() for r in caplog.records if r.name == "app.content"]
    assert any("pages/contact.md" in m and "To confirm: the team's phone number" in m for m in logged)
    assert any("detail(s) to confirm" in m for m in logged)


def test_councils_not_in_the_parish_list_appear_beside_the_chase_list(app, analyst_client):
    with app.app_context():
        insert_response(
            "parish-councils-2026-27",
            "2026/27",
            [],
            respondent_type="parish",
            respondent_name="Gumley Parish Meeting",
            submitted_at=datetime(2026, 11, 2, 10, 0),
        )
        insert_response("parish-councils-2026-27", "2026/27", [], respondent_type="parish", respondent_name="Foxton")
        db.session.commit()
    html = analyst_client.get("/staff/rounds/2026-27").get_data(as_text=True)
    unlisted = html.split("Councils not in the parish list", 1)[1]
    assert "Gumley Parish Meeting, answered 2 November 2026" in unlisted
    assert "Foxton" not in unlisted
