"""Phone numbers become links people can tap; table cells carry their column for phones."""

import re

import pytest

from app.content.markdown.enhance import link_phone_numbers, phone_digits, stack_tables
from app.content.markdown.render import render_markdown


def links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', html)


@pytest.mark.parametrize(
    "text, href",
    [
        ("call 999", "tel:999"),
        ("call the police on 101", "tel:101"),
        ("Crimestoppers on 0800 555 111", "tel:0800555111"),
        ("the helpline on 0808 2000 247", "tel:08082000247"),
        ("Action Fraud on 0300 123 2040.", "tel:03001232040"),
        ("Childline, free, on 0800 1111", "tel:08001111"),
        ("text 85258", "sms:85258"),
        ("text SHOUT to 85258", "sms:85258"),
    ],
)
def test_phone_and_text_numbers_become_links(text, href):
    found = links(render_markdown(text).html)
    assert [h for h, _ in found] == [href]
    assert found[0][1] in text  # the number reads as the author wrote it


@pytest.mark.parametrize(
    "text",
    [
        "press 55 when asked",
        "in 2017 crime rose",
        "from 41% to 15%",
        "1 April 2016",
        "a 6.4% rise",
        "2,800 crimes",
        "LE16 7AG",
    ],
)
def test_things_that_are_not_phone_numbers_stay_text(text):
    assert links(render_markdown(text).html) == []


def test_a_number_already_in_a_link_is_left_alone():
    html = render_markdown("[call 0800 555 111](https://www.crimestoppers-uk.org)").html
    assert links(html) == [("https://www.crimestoppers-uk.org", "call 0800 555 111")]


def test_a_call_number_after_a_text_number_is_still_a_call():
    html = link_phone_numbers("Text 85258. Crimestoppers on 0800 555 111.")
    assert [h for h, _ in links(html)] == ["sms:85258", "tel:0800555111"]


def test_phone_digits_knows_uk_numbers():
    assert phone_digits("0116 222 2222") == "01162222222"
    assert phone_digits("2017") is None and phone_digits("55") is None and phone_digits("0123") is None


def test_every_body_cell_of_a_markdown_table_names_its_column():
    html = render_markdown("| Service | How to contact |\n| --- | --- |\n| Childline | 0800 1111 |\n").html
    assert 'class="govuk-table app-table--stack"' in html
    assert '<td class="govuk-table__cell" data-label="Service">Childline</td>' in html
    assert 'data-label="How to contact"><a class="govuk-link" href="tel:08001111">0800 1111</a>' in html


def test_template_tables_with_row_headers_are_labelled_and_keep_their_caption():
    html = stack_tables(
        '<table class="govuk-table"><caption>Cap</caption><thead><tr><th scope="col">Priority</th>'
        '<th scope="col">First</th></tr></thead><tbody><tr><th scope="row">Road &amp; safety</th>'
        "<td>7</td></tr></tbody></table>"
    )
    assert "<caption>Cap</caption>" in html
    assert '<th scope="row" data-label="Priority">Road &amp; safety</th>' in html
    assert '<td data-label="First">7</td>' in html


def test_a_heading_with_markup_gives_a_plain_escaped_label():
    html = stack_tables(
        "<table><thead><tr><th>A &lt;b&gt; <em>c</em></th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
    )
    assert 'data-label="A &lt;b&gt; c"' in html
