"""Every public page of the real content/ folder: status, title, description, headings and key content."""

import re
from datetime import timedelta

import pytest

from app.content.reading.loader import load_content
from app.content.settings import load_site_settings
from app.surveys import scheduling
from app.surveys.questions.definitions import load_surveys
from tests.fixtures.site import REAL_CONTENT, PageFacts

CONTENT = load_content(REAL_CONTENT)
SETTINGS = load_site_settings(REAL_CONTENT)
SECTION = {"plan": "/plan", "priority": "/priorities", "campaign": "/campaigns", "news": "/news"}
NAV = {item["href"] for item in SETTINGS["navigation"]}


def get_page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response, response.get_data(as_text=True)


@pytest.mark.parametrize("page", CONTENT.published_pages, ids=lambda page: page.url)
def test_every_content_page_is_served_with_its_title_summary_and_one_h1(client, page):
    response, html = get_page(client, page.url)
    facts = PageFacts(html)
    assert facts.title == f"{page.title} – {SETTINGS['name']}"
    assert facts.description == page.summary
    assert facts.h1 == [page.title]
    assert facts.heading_jumps() == []
    expected_nav = SECTION.get(page.type, page.url if page.url in NAV else None)
    assert facts.active_nav == ([expected_nav] if expected_nav else [])
    assert (facts.breadcrumbs[:1] == ["/"]) is (page.url != "/")
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert 'class="app-prose"' in html or not page.html


@pytest.mark.parametrize(
    "url, title",
    [
        ("/priorities", "Our priorities"),
        ("/campaigns", "Campaigns"),
        ("/news", "News"),
        ("/search", "Search"),
    ],
)
def test_list_pages_have_a_title_description_and_one_h1(client, url, title):
    _, html = get_page(client, url)
    facts = PageFacts(html)
    assert facts.title.startswith(title + " – ")
    assert facts.description
    assert facts.h1 == [title]
    assert facts.heading_jumps() == []
    assert facts.breadcrumbs == ["/"]


def test_home_page_shows_purpose_priorities_news_campaigns_and_how_to_get_in_touch(client):
    _, html = get_page(client, "/")
    facts = PageFacts(html)
    assert facts.h1 == [CONTENT.home.title]
    subheadings = [text for level, text in facts.headings if level == 3]
    for priority in CONTENT.priorities:
        assert f'href="{priority.url}"' in html and priority.title in subheadings
    assert len(CONTENT.news) > 3
    for item in CONTENT.news[:3]:
        assert f'href="{item.url}"' in html
    assert f'href="{CONTENT.news[3].url}"' not in html
    assert f'href="{CONTENT.latest_campaigns(1)[0].url}"' in html
    assert f"mailto:{SETTINGS['contact_email']}" in html and 'href="/contact"' in html
    assert [text for level, text in facts.headings if level == 2] == [
        "Our priorities",
        "Have your say",
        "Campaigns",
        "Latest news",
        "Get in touch",
    ]


def test_home_page_lists_the_consultations_open_that_day(client, monkeypatch, page_cache):
    survey = next(s for s in load_surveys(REAL_CONTENT) if s.accepts_responses and s.opens)
    monkeypatch.setattr(scheduling, "today_for", lambda config: survey.opens)
    _, html = get_page(client, "/")
    assert f'href="/consultations/{survey.slug}"' in html
    assert survey.title in html

    monkeypatch.setattr(scheduling, "today_for", lambda config: survey.opens - timedelta(days=1))
    _, html = get_page(client, "/")
    assert f'href="/consultations/{survey.slug}"' not in html


def test_plan_address_redirects_to_the_current_plan(client):
    response = client.get("/plan")
    assert response.status_code == 302
    assert response.headers["Location"] == CONTENT.current_plan.url


def test_current_plan_has_contents_and_links_to_the_archive(client):
    _, html = get_page(client, CONTENT.current_plan.url)
    assert 'aria-labelledby="contents-title"' in html
    for entry in CONTENT.current_plan.toc:
        assert f'href="#{entry.id}"' in html and f'id="{entry.id}"' in html
    for archived in CONTENT.archived_plans:
        assert f'href="{archived.url}"' in html
    assert "This earlier plan covered" not in html


@pytest.mark.parametrize("plan", CONTENT.archived_plans, ids=lambda plan: plan.url)
def test_archived_plans_are_clearly_marked_and_point_to_the_latest_plan(client, plan):
    _, html = get_page(client, plan.url)
    banner = re.search(r'<div class="govuk-notification-banner".*?</div>\s*</div>', html, re.S).group(0)
    assert f"This earlier plan covered {plan.covers()}." in banner
    assert f'href="{CONTENT.current_plan.url}"' in banner
    assert f"Earlier plan, {plan.covers()}" in html


def test_priorities_page_lists_every_theme_and_focus_area(client):
    _, html = get_page(client, "/priorities")
    for priority in CONTENT.priorities:
        assert f'href="{priority.url}"' in html
        for area in priority.focus_areas:
            assert f'href="{priority.url}#{area.id}"' in html


@pytest.mark.parametrize("priority", CONTENT.priorities, ids=lambda page: page.url)
def test_each_priority_lists_its_campaigns_and_every_focus_area_can_be_linked_to(client, priority):
    _, html = get_page(client, priority.url)
    campaigns = CONTENT.campaigns_for(priority)
    for campaign in campaigns:
        assert f'href="{campaign.url}"' in html
    for other in set(CONTENT.campaigns) - set(campaigns):
        assert f'href="{other.url}"' not in html.split("Campaigns under this priority")[1]
    for area in priority.focus_areas:
        assert f'id="{area.id}"' in html


def test_campaigns_page_lists_every_campaign(client):
    _, html = get_page(client, "/campaigns")
    assert len(CONTENT.campaigns) >= 8
    for campaign in CONTENT.campaigns:
        assert f'href="{campaign.url}"' in html


def test_campaign_page_links_to_the_priorities_it_is_tagged_with(client):
    campaign = next(c for c in CONTENT.campaigns if CONTENT.tag_targets(c))
    _, html = get_page(client, campaign.url)
    for target in CONTENT.tag_targets(campaign):
        assert f'href="{target["href"]}"' in html


def test_news_is_listed_newest_first_with_dates(client):
    _, html = get_page(client, "/news")
    positions = [html.index(f'href="{item.url}"') for item in CONTENT.news]
    assert positions == sorted(positions)
    dates = [item.date for item in CONTENT.news]
    assert dates == sorted(dates, reverse=True)
    assert f'<time datetime="{dates[0].isoformat()}">' in html
    assert 'href="/news/feed.xml"' in html


def test_crime_figures_table_has_every_figure_and_each_year_on_year_change(client):
    table = CONTENT.recorded_crime
    _, html = get_page(client, "/crime-figures")
    assert re.search(r'<th scope="col"[^>]*>Change from year ending March 2016 to year ending March 2017</th>', html)
    assert re.search(
        r"<caption[^>]*>\s*Recorded crime and anti-social behaviour, "
        r"year ending March 2015 to year ending March 2017",
        html,
    )
    for measure in table.measures:
        row = re.search(r'<th scope="row"[^>]*>' + re.escape(measure.name) + r"</th>(.*?)</tr>", html, re.S).group(1)
        cells = [c.strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        assert cells[:3] == [f"{v:,d}" if v is not None else "Not published" for v in measure.values]
        assert cells[3:] == [c.text if c else "Not available" for c in measure.changes()]
    assert "+801 (+27.8%)" in html  # total crime, 2016 to 2017, from the 2017–20 plan


def test_crime_figures_chart_is_an_accessible_svg_without_inline_styles(client):
    _, html = get_page(client, "/crime-figures")
    svg = re.search(r"<svg .*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    assert re.search(rf'<title id="{labelled_by[0]}">[^<]+</title>', svg)
    assert re.search(rf'<desc id="{labelled_by[1]}">[^<]+</desc>', svg)
    assert svg.count("<rect") == sum(v is not None for m in CONTENT.recorded_crime.measures for v in m.values)
    assert "style=" not in html
    assert "<script>" not in svg


def test_crime_figures_page_gives_the_2019_findings_and_says_where_figures_come_from(client):
    _, html = get_page(client, "/crime-figures")
    facts = PageFacts(html)
    assert "6.4%" in html
    assert "Where these figures come from" in [text for _, text in facts.headings]
    assert 'href="/plan/2017-20"' in html and 'href="/plan/2020-23"' in html


@pytest.mark.parametrize("url", ["/about", "/contact", "/accessibility", "/privacy", "/cookies"])
def test_footer_and_statutory_pages_exist(client, url):
    get_page(client, url)


def test_every_page_has_the_emergency_banner_and_footer_links(client):
    for url in ["/", "/crime-figures", "/campaigns", CONTENT.campaigns[0].url, "/search?q=fraud"]:
        _, html = get_page(client, url)
        assert 'In an emergency call <a class="govuk-link" href="tel:999">999</a>' in html
        assert '<a class="govuk-link" href="tel:101">101</a>' in html
        for link in SETTINGS["footer_links"]:
            assert f'href="{link["href"]}"' in html
