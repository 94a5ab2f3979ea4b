"""Every problem `flask content check` can report, each with the file and line an author must fix."""

import pytest

from app.content.reading.loader import load_content
from tests.fixtures.site import write_site

CAMPAIGN = """\
---
title: New campaign
summary: A new campaign.
type: campaign
{extra}---
Intro paragraph.

{body}
"""


def campaign(extra: str = "", body: str = "More text.") -> str:
    return CAMPAIGN.format(extra=extra, body=body)


def problems(tmp_path, changes):
    return list(load_content(write_site(tmp_path / "content", changes)).problems)


def test_the_fixture_site_has_no_problems(tmp_path):
    assert problems(tmp_path, {}) == []


# (changes, file, line, words from the message)
CASES = {
    "invalid yaml": (
        {"campaigns/new.md": "---\ntitle: New\nsummary: x\n  type: campaign\n---\nBody\n"},
        "campaigns/new.md",
        4,
        "not valid YAML",
    ),
    "no front matter": (
        {"campaigns/new.md": "Just some text.\n"},
        "campaigns/new.md",
        1,
        "must start with front matter",
    ),
    "front matter not closed": (
        {"campaigns/new.md": "---\ntitle: New\nsummary: x\ntype: campaign\n\nBody\n"},
        "campaigns/new.md",
        1,
        "not closed",
    ),
    "front matter not fields": (
        {"campaigns/new.md": "---\n- a list\n---\nBody\n"},
        "campaigns/new.md",
        1,
        "list of fields",
    ),
    "missing title": (
        {"campaigns/new.md": "---\nsummary: x\ntype: campaign\n---\nBody\n"},
        "campaigns/new.md",
        1,
        "`title` is missing",
    ),
    "empty summary": (
        {"campaigns/new.md": "---\ntitle: New\nsummary: ''\ntype: campaign\n---\nBody\n"},
        "campaigns/new.md",
        3,
        "`summary` is missing",
    ),
    "missing type": (
        {"campaigns/new.md": "---\ntitle: New\nsummary: x\n---\nBody\n"},
        "campaigns/new.md",
        1,
        "`type` is missing",
    ),
    "type does not match folder": (
        {"campaigns/new.md": "---\ntitle: New\nsummary: x\ntype: news\n---\nBody\n"},
        "campaigns/new.md",
        4,
        "must have `type: campaign`, not `news`",
    ),
    "date in the wrong format": (
        {"campaigns/new.md": campaign("date: 01/05/2020\n")},
        "campaigns/new.md",
        5,
        "write it as YYYY-MM-DD",
    ),
    "date that does not exist": (
        {"campaigns/new.md": campaign("date: 2020-02-30\n")},
        "campaigns/new.md",
        5,
        "not a real date",
    ),
    "review_by that is not a date": (
        {"campaigns/new.md": campaign("review_by: soon\n")},
        "campaigns/new.md",
        5,
        "`review_by` `soon` is not a date",
    ),
    "news without a date": (
        {"news/2021-04-01-extra.md": "---\ntitle: Extra\nsummary: x\ntype: news\n---\nBody\n"},
        "news/2021-04-01-extra.md",
        1,
        "`date` is missing",
    ),
    "news date differs from file name": (
        {"news/2021-04-01-extra.md": "---\ntitle: Extra\nsummary: x\ntype: news\ndate: 2021-04-02\n---\nBody\n"},
        "news/2021-04-01-extra.md",
        5,
        "make them the same",
    ),
    "duplicate slug (the new file)": (
        {"campaigns/new.md": campaign("slug: fatal-four\n")},
        "campaigns/new.md",
        5,
        "Duplicate slug: campaigns/fatal-four.md",
    ),
    "duplicate slug (the old file)": (
        {"campaigns/new.md": campaign("slug: fatal-four\n")},
        "campaigns/fatal-four.md",
        None,
        "Duplicate slug: campaigns/new.md",
    ),
    "slug with capitals": (
        {"campaigns/new.md": campaign("slug: New Campaign\n")},
        "campaigns/new.md",
        5,
        "lowercase letters",
    ),
    "file name that cannot be an address": (
        {"campaigns/Big Campaign.md": campaign()},
        "campaigns/Big Campaign.md",
        None,
        "rename the file",
    ),
    "page slug the site uses itself": (
        {"pages/news.md": "---\ntitle: News\nsummary: x\ntype: page\n---\nBody\n"},
        "pages/news.md",
        None,
        "belongs to the site itself",
    ),
    "link to a page that does not exist": (
        {"campaigns/new.md": campaign(body="See [the page](/campaigns/nothing-here).")},
        "campaigns/new.md",
        8,
        "`/campaigns/nothing-here` points to a page that does not exist",
    ),
    "link to an unpublished page": (
        {
            "campaigns/new.md": campaign(body="See [scams](/campaigns/scams)."),
            "campaigns/scams.md": "---\ntitle: Scams\nsummary: x\ntype: campaign\npublished: false\n---\nBody\n",
        },
        "campaigns/new.md",
        8,
        "not published",
    ),
    "link to a section that does not exist": (
        {"campaigns/new.md": campaign(body="Line one.\n\nSee [priorities](/plan/2020-23#nowhere).")},
        "campaigns/new.md",
        10,
        "no heading with the id `nowhere`",
    ),
    "link to a section of the same page that does not exist": (
        {"campaigns/new.md": campaign(body="## Real\n\nSee [below](#unreal).")},
        "campaigns/new.md",
        10,
        "not on this page",
    ),
    "relative link": ({"campaigns/new.md": campaign(body="See [scams](scams).")}, "campaigns/new.md", 8, "is relative"),
    "link with a slash at the end": (
        {"campaigns/new.md": campaign(body="See [all](/campaigns/).")},
        "campaigns/new.md",
        8,
        "ends with a slash",
    ),
    "broken image": (
        {"campaigns/new.md": campaign(body="![A map](/images/map.png)")},
        "campaigns/new.md",
        8,
        "does not exist",
    ),
    "unknown tag": (
        {"campaigns/new.md": campaign("tags: [people, parking]\n")},
        "campaigns/new.md",
        5,
        "Unknown tag `parking`",
    ),
    "tags that are not a list": (
        {"campaigns/new.md": campaign("tags: people, fraud\n")},
        "campaigns/new.md",
        5,
        "must be a list",
    ),
    "published that is not true or false": (
        {"campaigns/new.md": campaign("published: no way\n")},
        "campaigns/new.md",
        5,
        "must be true or false",
    ),
    "order that is not a number": (
        {"campaigns/new.md": campaign("order: first\n")},
        "campaigns/new.md",
        5,
        "must be a whole number",
    ),
    "field given twice": ({"campaigns/new.md": campaign("title: Again\n")}, "campaigns/new.md", 5, "appears twice"),
    "second top-level heading": (
        {"campaigns/new.md": campaign(body="# Another title")},
        "campaigns/new.md",
        8,
        "second page title",
    ),
    "headings out of order": (
        {"campaigns/new.md": campaign(body="## Section\n\n#### Detail")},
        "campaigns/new.md",
        10,
        "jumps from level 2 to level 4",
    ),
    "plan without a period": (
        {"plans/2014-17.md": "---\ntitle: Old\nsummary: x\ntype: plan\nstatus: archived\n---\nBody\n"},
        "plans/2014-17.md",
        1,
        "`period` is missing",
    ),
    "plan with an unknown status": (
        {"plans/2014-17.md": "---\ntitle: Old\nsummary: x\ntype: plan\nperiod: 2014-17\nstatus: old\n---\nBody\n"},
        "plans/2014-17.md",
        6,
        "must be `current` or `archived`",
    ),
    "two current plans": (
        {"plans/2017-20.md": "---\ntitle: Old\nsummary: x\ntype: plan\nperiod: 2017-20\nstatus: current\n---\nBody\n"},
        "plans/2017-20.md",
        6,
        "Only one plan can be current",
    ),
    "no current plan": (
        {"plans/2020-23.md": None, "plans/2017-20.md": None},
        "plans",
        None,
        "No published plan has `status: current`",
    ),
    "focus area without a title": (
        {
            "priorities/property.md": "---\ntitle: Property\nsummary: x\ntype: priority\n"
            "focus_areas:\n  - {id: burglary}\n---\nBody\n"
        },
        "priorities/property.md",
        5,
        "Focus area 1 has no title or summary",
    ),
    "focus area id used by two priorities": (
        {
            "priorities/property.md": "---\ntitle: Property\nsummary: x\ntype: priority\nfocus_areas:\n"
            "  - {id: fraud, title: Fraud, summary: Scams.}\n---\nBody\n"
        },
        "priorities/property.md",
        5,
        "`fraud` is already used by priorities/people.md",
    ),
    "home page missing": ({"home.md": None}, "home.md", None, "home page is missing"),
    "markdown file in an unknown folder": (
        {"events/fair.md": campaign()},
        "events/fair.md",
        None,
        "would not be published",
    ),
    "data file with the wrong columns": (
        {"data/recorded-crime.csv": "crime,2015,2016\nTotal crime,1,2\n"},
        "data/recorded-crime.csv",
        1,
        "the first column is `crime`",
    ),
    "data file with a column that is not a year": (
        {"data/recorded-crime.csv": "measure,2015,Latest\nTotal crime,1,2\n"},
        "data/recorded-crime.csv",
        1,
        "found `Latest`",
    ),
    "data file with years out of order": (
        {"data/recorded-crime.csv": "measure,2016,2015\nTotal crime,1,2\n"},
        "data/recorded-crime.csv",
        1,
        "earliest first",
    ),
    "data file with a figure that is not a number": (
        {"data/recorded-crime.csv": "measure,2015,2016\nTotal crime,2800,2884\nShoplifting,lots,281\n"},
        "data/recorded-crime.csv",
        3,
        "The 2015 figure for `Shoplifting` is `lots`, which is not a whole number",
    ),
    "data file with a row of the wrong length": (
        {"data/recorded-crime.csv": "measure,2015,2016\nTotal crime,2800\n"},
        "data/recorded-crime.csv",
        2,
        "has 2 cells but the header has 3",
    ),
    "data file with a measure twice": (
        {"data/recorded-crime.csv": "measure,2015\nTotal crime,1\ntotal crime,2\n"},
        "data/recorded-crime.csv",
        3,
        "appears twice",
    ),
    "data file missing": ({"data/recorded-crime.csv": None}, "data/recorded-crime.csv", None, "This file is missing"),
}


@pytest.mark.parametrize("changes, path, line, words", CASES.values(), ids=CASES.keys())
def test_content_check_reports_problem_with_file_and_line(tmp_path, changes, path, line, words):
    found = problems(tmp_path, changes)
    matching = [p for p in found if p.path == path and words in p.message]
    assert matching, f"no problem in {path} mentioning {words!r}; found: {[str(p) for p in found]}"
    assert matching[0].line == line, str(matching[0])


def test_file_that_is_not_utf8_is_reported_by_name(tmp_path):
    folder = write_site(tmp_path / "content")
    (folder / "campaigns" / "latin.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    found = load_content(folder).problems
    assert [p.path for p in found if "not UTF-8" in p.message] == ["campaigns/latin.md"]


def test_every_problem_is_reported_at_once(tmp_path):
    found = problems(
        tmp_path,
        {
            "campaigns/one.md": campaign("tags: [nowhere]\n"),
            "campaigns/two.md": campaign(body="[x](/missing)"),
            "data/recorded-crime.csv": "measure,2015\nTotal crime,many\n",
        },
    )
    assert {p.path for p in found} == {"campaigns/one.md", "campaigns/two.md", "data/recorded-crime.csv"}


def test_problem_reads_as_file_line_message(tmp_path):
    found = problems(tmp_path, {"campaigns/new.md": campaign(body="[x](/missing)")})
    assert str(found[0]) == "campaigns/new.md:8: The link `/missing` points to a page that does not exist."


def test_links_the_site_or_other_features_own_are_not_problems(tmp_path):
    body = " ".join(
        f"[{n}]({url})"
        for n, url in enumerate(
            [
                "/",
                "/plan",
                "/priorities",
                "/campaigns",
                "/news",
                "/news/feed.xml",
                "/crime-figures",
                "/search?q=fraud",
                "/sitemap.xml",
                "/consultations",
                "/consultations/residents-2026-27",
                "/static/images/favicon.svg",
                "/priorities/people#fraud",
                "/priorities/places#road-safety",
                "/about#who-we-are",
                "https://www.police.uk/",
                "mailto:team@example.org",
            ]
        )
    )
    assert problems(tmp_path, {"campaigns/new.md": campaign(body=body)}) == []


def test_unpublished_pages_may_link_to_each_other(tmp_path):
    draft = (
        "---\ntitle: Draft\nsummary: x\ntype: campaign\npublished: false\n---\n"
        "See [the other draft](/campaigns/{other}).\n"
    )
    assert (
        problems(tmp_path, {"campaigns/a.md": draft.format(other="b"), "campaigns/b.md": draft.format(other="a")}) == []
    )


def test_headings_inside_code_blocks_are_not_checked(tmp_path):
    body = "## Example\n\n```\n# not a heading\n#### nor this\n```"
    assert problems(tmp_path, {"campaigns/new.md": campaign(body=body)}) == []


def test_review_by_is_a_reminder_not_a_problem(tmp_path):
    from datetime import date

    content = load_content(write_site(tmp_path / "content", {"campaigns/new.md": campaign("review_by: 2021-01-31\n")}))
    assert content.problems == ()
    assert [p.source for p in content.reviews_due(date(2021, 1, 31))] == ["campaigns/new.md"]
    assert content.reviews_due(date(2021, 1, 30)) == []
