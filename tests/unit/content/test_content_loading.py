"""Markdown files become typed pages at the right addresses, in the order authors asked for."""

from datetime import date

from app.content.pages import Campaign, GenericPage, Home, NewsItem, Plan, Priority
from app.content.reading.loader import load_content
from tests.fixtures.site import write_site


def test_each_folder_gives_its_own_type_of_page_and_address(site_folder):
    content = load_content(site_folder)
    expected = {
        "/": Home,
        "/about": GenericPage,
        "/plan/2020-23": Plan,
        "/priorities/people": Priority,
        "/campaigns/fatal-four": Campaign,
        "/news/new-plan": NewsItem,
    }
    for url, cls in expected.items():
        assert isinstance(content.page_at(url), cls), url


def test_front_matter_fields_are_typed(site_folder):
    content = load_content(site_folder)
    plan = content.page_at("/plan/2020-23")
    assert (plan.title, plan.summary, plan.period, plan.is_current) == (
        "Plan 2020 to 2023",
        "Our current plan.",
        "2020–23",
        True,
    )
    scams = content.page_at("/campaigns/scams")
    assert scams.date == date(2021, 2, 1) and scams.tags == ("people", "fraud")
    assert [area.id for area in content.page_at("/priorities/people").focus_areas] == ["domestic-abuse", "fraud"]


def test_news_slug_drops_the_date_from_the_file_name_and_an_explicit_slug_wins(tmp_path):
    content = load_content(
        write_site(
            tmp_path / "content",
            {
                "news/2021-05-05-spring-event.md": "---\ntitle: T\nsummary: S\ntype: news\ndate: 2021-05-05\n---\nB\n",
                "campaigns/long-file-name.md": "---\ntitle: T\nsummary: S\ntype: campaign\nslug: short\n---\nB\n",
            },
        )
    )
    assert content.page_at("/news/spring-event").date == date(2021, 5, 5)
    assert content.page_at("/campaigns/short") is not None
    assert content.page_at("/campaigns/long-file-name") is None


def test_news_is_newest_first_and_lists_follow_order_then_date(tmp_path):
    content = load_content(
        write_site(
            tmp_path / "content",
            {
                "campaigns/first.md": "---\ntitle: Zebra crossings\nsummary: S\ntype: campaign\norder: 1\n---\nB\n",
            },
        )
    )
    assert [item.slug for item in content.news] == ["new-plan", "survey"]
    assert [c.slug for c in content.campaigns] == ["first", "scams", "fatal-four"]
    assert [c.slug for c in content.latest_campaigns(2)] == ["scams", "fatal-four"]
    assert [p.slug for p in content.priorities] == ["people", "places"]


def test_current_and_archived_plans(site_folder):
    content = load_content(site_folder)
    assert content.current_plan.slug == "2020-23"
    assert [plan.slug for plan in content.archived_plans] == ["2017-20"]


def test_campaigns_under_a_priority_by_its_slug_or_a_focus_area(site_folder):
    content = load_content(site_folder)
    people, places = content.page_at("/priorities/people"), content.page_at("/priorities/places")
    assert [c.slug for c in content.campaigns_for(people)] == ["scams"]
    assert [c.slug for c in content.campaigns_for(places)] == ["fatal-four"]
    assert [t["href"] for t in content.tag_targets(content.page_at("/campaigns/scams"))] == [
        "/priorities/people",
        "/priorities/people#fraud",
    ]


def test_focus_areas_without_their_own_heading_are_listed_by_the_page(site_folder):
    people = load_content(site_folder).page_at("/priorities/people")
    assert "domestic-abuse" in people.anchors  # the body has a "Domestic abuse" heading
    assert [area.id for area in people.focus_areas_without_section()] == ["fraud"]
    assert "fraud" in people.link_targets()


def test_unpublished_pages_are_read_but_not_served_listed_or_searched(tmp_path):
    content = load_content(
        write_site(
            tmp_path / "content",
            {
                "campaigns/secret.md": "---\ntitle: Secret plan\nsummary: S\ntype: campaign\npublished: false\n"
                "---\nHidden words.\n",
            },
        )
    )
    assert "campaigns/secret.md" in [page.source for page in content.pages]
    assert content.page_at("/campaigns/secret") is None
    assert "secret" not in [c.slug for c in content.campaigns]
    assert content.search("hidden") == []
    assert "/campaigns/secret" not in [page.url for page in content.published_pages]


def test_survey_files_and_readme_are_not_pages(tmp_path):
    folder = write_site(
        tmp_path / "content",
        {
            "surveys/residents.md": "---\nslug: residents\n---\nQuestions.\n",
            "README.md": "# Notes for authors\n",
        },
    )
    content = load_content(folder)
    assert content.problems == ()
    assert not any(page.source.startswith("surveys/") or page.source == "README.md" for page in content.pages)


def test_figures_are_loaded_from_the_data_folder(site_folder):
    table = load_content(site_folder).recorded_crime
    assert table.years == (2015, 2016, 2017)
    assert table.measure("Shoplifting").values == (None, 281, 386)


def test_a_focus_area_links_to_the_heading_that_names_it(tmp_path):
    content = load_content(
        write_site(
            tmp_path / "content",
            {
                "priorities/property.md": """\
---
title: Property
summary: S
type: priority
focus_areas:
  - {id: rural-theft, title: Rural theft, summary: Farms.}
  - {id: heritage-crime, title: Heritage crime, summary: Churches.}
  - {id: retail-theft, title: Retail theft, summary: Shops.}
---
## What we focus on

### Rural theft and heritage crime

Farms and churches.
"""
            },
        )
    )
    page = content.page_at("/priorities/property")
    heading = page.html.split("<h3", 1)[1].split("</h3>")[0]
    assert 'id="rural-theft-and-heritage-crime"' in heading  # its own id stays, for the contents
    assert '<span id="rural-theft"></span>' in heading and '<span id="heritage-crime"></span>' in heading
    assert [area.id for area in page.focus_areas_without_section()] == ["retail-theft"]
