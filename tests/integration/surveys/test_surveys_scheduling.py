"""One answer to "is this survey open today?" for the public pages, the home page and staff."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from app.surveys.questions.definitions import get_survey
from tests.fixtures.staff import csrf_of
from tests.fixtures.surveys import OPEN_DAY, PARISH_SLUG, REAL_CONTENT, RESIDENT_SLUG


def listed_on_home_page(client, slug: str) -> bool:
    return f'href="/consultations/{slug}"' in client.get("/").get_data(as_text=True)


def close_early(admin_client, slug: str) -> None:
    url = f"/staff/surveys/{slug}/dates"
    page = admin_client.get(url)
    response = admin_client.post(url, data={"csrf_token": csrf_of(page.get_data(as_text=True)), "action": "close"})
    assert response.status_code == 302


def test_a_survey_staff_close_early_leaves_the_cached_home_page_at_once(app, admin_client, survey_today, page_cache):
    visitor = app.test_client()
    assert listed_on_home_page(visitor, RESIDENT_SLUG)  # and now the home page is cached
    assert visitor.get(f"/consultations/{RESIDENT_SLUG}").status_code == 200

    close_early(admin_client, RESIDENT_SLUG)

    assert not listed_on_home_page(visitor, RESIDENT_SLUG)
    assert listed_on_home_page(visitor, PARISH_SLUG)  # the other survey is still open
    start = visitor.get(f"/consultations/{RESIDENT_SLUG}").get_data(as_text=True)
    assert "This survey closed on" in start


def test_reopening_puts_it_back_on_the_home_page(app, admin_client, survey_today, page_cache):
    visitor = app.test_client()
    close_early(admin_client, RESIDENT_SLUG)
    assert not listed_on_home_page(visitor, RESIDENT_SLUG)
    url = f"/staff/surveys/{RESIDENT_SLUG}/dates"
    page = admin_client.get(url)
    admin_client.post(url, data={"csrf_token": csrf_of(page.get_data(as_text=True)), "action": "clear"})
    assert listed_on_home_page(visitor, RESIDENT_SLUG)


def test_staff_see_the_status_the_public_sees_on_a_fixed_date(app, admin_client, monkeypatch):
    survey = get_survey(str(REAL_CONTENT), RESIDENT_SLUG)
    real_today = datetime.now(ZoneInfo("Europe/London")).date()
    real_open = survey.opens <= real_today <= survey.closes
    # A day whose status differs from today's, so a page using the real date shows the wrong one.
    fixed = survey.closes + timedelta(days=1) if real_open else OPEN_DAY
    monkeypatch.setitem(app.config, "SURVEY_TODAY", fixed)
    public = app.test_client().get(f"/consultations/{RESIDENT_SLUG}").get_data(as_text=True)
    staff = admin_client.get(f"/staff/surveys/{RESIDENT_SLUG}/dates").get_data(as_text=True)
    if real_open:
        assert "This survey closed on" in public and "It is <strong>closed</strong>" in staff
    else:
        assert "You can answer until" in public and "It is <strong>open</strong>" in staff


def test_closing_early_closes_it_from_the_public_date(app, admin_client, survey_today):
    close_early(admin_client, RESIDENT_SLUG)
    staff = admin_client.get(f"/staff/surveys/{RESIDENT_SLUG}/dates").get_data(as_text=True)
    closed_from = (OPEN_DAY - timedelta(days=1)).strftime("%-d %B %Y")
    assert f"it now closes at the end of <strong>{closed_from}</strong>" in staff
    assert "This survey closed on" in app.test_client().get(f"/consultations/{RESIDENT_SLUG}").get_data(as_text=True)


def test_the_retention_page_counts_from_the_public_date(app, admin_client, monkeypatch):
    # The parish survey closes on 31 January 2027 and keeps contact details for 12 months.
    monkeypatch.setitem(app.config, "SURVEY_TODAY", date(2028, 2, 1))
    html = admin_client.get("/staff/retention").get_data(as_text=True)
    row = html.split("Parish and town council survey 2026/27", 1)[1].split("</tr>", 1)[0]
    assert "1 February 2028" in row and "Not due yet" not in row


def test_a_closing_date_staff_move_into_the_past_leaves_the_cached_home_page(
    app, admin_client, survey_today, page_cache
):
    visitor = app.test_client()
    assert listed_on_home_page(visitor, RESIDENT_SLUG)
    url = f"/staff/surveys/{RESIDENT_SLUG}/dates"
    page = admin_client.get(url)
    closes = OPEN_DAY - timedelta(days=2)
    admin_client.post(
        url,
        data={
            "csrf_token": csrf_of(page.get_data(as_text=True)),
            "action": "set",
            "closes-day": closes.day,
            "closes-month": closes.month,
            "closes-year": closes.year,
        },
    )
    assert not listed_on_home_page(visitor, RESIDENT_SLUG)
