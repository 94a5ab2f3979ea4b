"""The public site on a 320px phone: tables readable without sideways scrolling, every phone
number tappable, and a quick exit on sensitive pages that works with and without JavaScript."""

import pytest

from app.content.reading.loader import load_content
from tests.browser.audit import run_axe
from tests.fixtures.site import REAL_CONTENT

PHONE = {"width": 320, "height": 720}
CONTENT = load_content(REAL_CONTENT)
# Pages with a Markdown table, the crime figures table, and published survey results.
TABLE_PAGES = [
    "/contact",
    "/crime-figures",
    "/plan/2017-20",
    "/campaigns/anti-social-behaviour",
    "/consultations/parish-councils-2017",
    "/consultations/residents-2017",
]
SENSITIVE = "/campaigns/domestic-abuse-support"
EXIT_URL = "https://www.bbc.co.uk/weather"

# For each table: how far it reaches past the screen, whether its box scrolls sideways, whether
# its caption is on screen, and any cell that sticks out or reads without its column heading.
TABLES_JS = """() => [...document.querySelectorAll('main table')].map((table) => {
  const box = table.closest('.app-table-wrapper') || table;
  const caption = table.querySelector('caption:not(.govuk-visually-hidden)');
  const cells = [...table.querySelectorAll('tbody td, tbody th')];
  return {
    right: Math.round(table.getBoundingClientRect().right),
    scrolls: box.scrollWidth > box.clientWidth + 1,
    captionRight: caption ? Math.round(caption.getBoundingClientRect().right) : 0,
    cellsOutside: cells.filter((c) => c.getBoundingClientRect().right > innerWidth + 1).length,
    unlabelled: cells.filter((c) => c.tagName === 'TD' && !c.dataset.label).length,
    role: table.getAttribute('role') || 'table',
  };
})"""

# Text outside links that looks like a UK phone number (the numbers the site gives out).
UNLINKED_NUMBERS_JS = r"""() => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const number = /(?<![\w/.,£-])(999|101|111|116 ?123|85258|0\d{2,4}(?: ?\d{3,4}){1,2})(?![\w/%-])/g;
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (node.parentElement.closest('a, script, style, title, svg')) continue;
    for (const match of node.textContent.matchAll(number)) found.push(match[1]);
  }
  return found;
}"""


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(base_url=live_server, viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def test_tables_are_readable_at_320px_without_sideways_scrolling(phone):
    for path in TABLE_PAGES:
        assert phone.goto(path).status == 200, path
        assert phone.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"], path
        tables = phone.evaluate(TABLES_JS)
        assert tables, f"{path} has no table"
        for table in tables:
            assert table["right"] <= PHONE["width"] and not table["scrolls"], (path, table)
            assert table["captionRight"] <= PHONE["width"], (path, table)
            assert table["cellsOutside"] == 0 and table["unlabelled"] == 0, (path, table)
            assert table["role"] == "table", (path, table)
        # Each row still reads as a table row to a screen reader.
        assert phone.get_by_role("table").count() == len(tables)


def test_crime_figures_show_every_year_and_change_on_a_phone(phone):
    phone.goto("/crime-figures")
    row = phone.locator("main table tbody tr").first
    for label in (
        "Year ending March 2015",
        "Year ending March 2016",
        "Year ending March 2017",
        "Change from year ending March 2016 to year ending March 2017",
    ):
        cell = row.locator(f'td[data-label="{label}"]')
        box = cell.bounding_box()
        assert cell.is_visible() and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, label
        # The label is shown before the figure (as generated text, hidden from screen readers,
        # which hear the column heading instead).
        shown = cell.evaluate("el => getComputedStyle(el, '::before').content")
        assert label in shown, shown


def test_every_phone_number_is_a_link_to_call_or_text(phone):
    paths = [
        "/",
        "/contact",
        *[c.url for c in CONTENT.campaigns],
        "/priorities/people",
        "/priorities/property",
        "/news/autumn-vehicle-crime",
        "/consultations/residents-2026-27",
    ]
    for path in paths:
        phone.goto(path)
        assert phone.evaluate(UNLINKED_NUMBERS_JS) == [], path
    phone.goto("/contact")
    hrefs = phone.eval_on_selector_all("main a[href^='tel:'], main a[href^='sms:']", "els => els.map(e => e.href)")
    assert {"tel:999", "tel:101", "tel:0800555111", "tel:08082000247", "tel:08001111"} <= set(hrefs)
    emergency = phone.locator(".app-emergency a[href='tel:999']")
    assert emergency.is_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_quick_exit_leaves_the_page_with_and_without_javascript(chromium, live_server, javascript):
    context = chromium.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=javascript)
    try:
        page = context.new_page()
        page.route(
            f"{EXIT_URL}**",
            lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Weather</title>"),
        )
        page.goto(SENSITIVE)
        button = page.get_by_role("button", name="Emergency Exit this page").or_(
            page.get_by_role("link", name="Emergency Exit this page")
        )
        assert button.is_visible()
        assert button.bounding_box()["y"] < PHONE["height"]  # on screen without scrolling
        if javascript:  # axe runs as a script; the markup it checks is the same without JavaScript
            assert run_axe(page) == []
        assert page.get_by_role("heading", name="If someone checks your phone or computer").is_visible()
        button.click()
        page.wait_for_url(f"{EXIT_URL}**")
        if javascript:
            page.goto(SENSITIVE)
            page.locator("body").click(position={"x": 5, "y": 300})
            for _ in range(3):
                page.keyboard.press("Shift")
            page.wait_for_url(f"{EXIT_URL}**")
    finally:
        context.close()
