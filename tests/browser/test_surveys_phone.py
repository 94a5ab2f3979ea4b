"""Survey pages on a 320 px phone screen and what the browser's Back button shows after sending."""

import re

import pytest

from tests.browser import data, keyboard
from tests.browser.crawl import Crawler

PHONE = {"width": 320, "height": 640}

# Text that does not fit in a closed drop-down is cut off, and on a phone the closed drop-down
# is all a person sees of their choice. The room left is the select's inner width less its
# padding and the arrow Chromium draws.
CUT_OFF_OPTIONS_JS = """() => {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  const problems = [];
  for (const select of document.querySelectorAll('main select')) {
    const style = getComputedStyle(select);
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20;
    const box = select.getBoundingClientRect();
    if (box.right > document.documentElement.clientWidth) problems.push(`${select.id} is wider than the screen`);
    for (const option of select.options) {
      if (ctx.measureText(option.text).width > room) problems.push(`${select.id}: ${option.text}`);
    }
  }
  return problems;
}"""


@pytest.fixture
def phone(chromium, live_server, app, screenshot_dir):
    crawler = Crawler(chromium, live_server, app, screenshot_dir, "phone")
    crawler.page.set_viewport_size(PHONE)
    yield crawler
    crawler.close()


def walk_to(page, heading: str, limit: int = 6) -> None:
    """Answer question pages with the keyboard until the page with this heading."""
    for _ in range(limit):
        if page.inner_text("main h1").strip() == heading:
            return
        keyboard.fill_form(page)
    raise AssertionError(f"never reached {heading!r}")


def test_ranked_choices_are_not_cut_off_on_a_phone(app, phone):
    resident = data.survey(app, "resident")
    phone.goto(f"/consultations/{resident.slug}/{resident.pages[0].id}")
    walk_to(phone.page, "Your main concerns")
    assert phone.page.query_selector("main select"), "no ranked drop-downs on the concerns page"
    assert phone.page.evaluate(CUT_OFF_OPTIONS_JS) == []

    parish = data.survey(app, "parish")
    phone.goto(f"/invite/{data.invitation(app, parish.slug)}")
    phone.goto(f"/consultations/{parish.slug}/priorities")
    assert phone.page.query_selector("main select"), "no ranked drop-downs on the priorities page"
    assert phone.page.evaluate(CUT_OFF_OPTIONS_JS) == []
    # The longer descriptions are still on the page, beside the short names.
    assert "burglary, vehicle crime" in phone.page.inner_text("main")


def test_back_after_sending_shows_the_reference_not_an_empty_survey(app, phone):
    resident = data.survey(app, "resident")
    page = phone.page
    phone.goto(f"/consultations/{resident.slug}/{resident.pages[0].id}")
    for _ in range(8):
        if "check your answers" in page.inner_text("main h1").lower():
            break
        keyboard.fill_form(page)
    keyboard.focus_main(page)
    keyboard.tab_to(page, lambda i: i["primary"], "the button that sends the answers")
    keyboard.submit(page)
    reference = re.search(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b", page.inner_text("main")).group(0)
    page.go_back()
    assert page.inner_text("main h1").strip() == "You have already sent your answers"
    assert reference in page.inner_text("main")
    assert not page.query_selector("main input[type=radio]:checked")
