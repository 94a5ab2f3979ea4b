"""Rendered Markdown keeps GOV.UK typography and never carries script into a page."""

from html.parser import HTMLParser

import pytest

from app.content.markdown.render import render_markdown
from app.content.reading.loader import load_content
from tests.fixtures.site import write_site


class _Tags(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def tags(html: str, name: str) -> list[dict]:
    """The attributes of each <name> element (nh3 does not keep attributes in a fixed order)."""
    return [attrs for tag, attrs in _Tags(html).found if tag == name]


ATTACKS = {
    "script tag": "<script>alert('x')</script>",
    "script split over lines": "<script\n>alert('x')</script>",
    "javascript link": "[click me](javascript:alert(1))",
    "javascript link in capitals": "[click me](JaVaScRiPt:alert(1))",
    "javascript reference link": "[click me][evil]\n\n[evil]: javascript:alert(1)",
    "data link": "[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "image with onerror": "<img src=x onerror=alert(1)>",
    "event handler on a link": '<a href="/about" onmouseover="alert(1)">about</a>',
    "iframe": '<iframe src="https://example.org"></iframe>',
    "inline style": '<p style="background:url(javascript:alert(1))">styled</p>',
    "svg with script": "<svg><script>alert(1)</script></svg>",
    "form": '<form action="https://example.org"><input name="password"></form>',
    "object": '<object data="x.swf"></object>',
}


@pytest.mark.parametrize("markdown", ATTACKS.values(), ids=ATTACKS.keys())
def test_nothing_executable_survives_rendering(markdown):
    html = render_markdown(f"Before.\n\n{markdown}\n\nAfter.").html.lower()
    for dangerous in (
        "<script",
        "javascript:",
        "onerror",
        "onmouseover",
        "<iframe",
        "style=",
        "<svg",
        "<form",
        "<input",
        "<object",
        "data:text",
    ):
        assert dangerous not in html
    assert "before." in html and "after." in html


def test_script_in_a_content_file_never_reaches_the_page_object(tmp_path):
    body = "Hello <script>document.cookie</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    folder = write_site(
        tmp_path / "content", {"campaigns/new.md": f"---\ntitle: T\nsummary: S\ntype: campaign\n---\n{body}\n"}
    )
    page = load_content(folder).page_at("/campaigns/new")
    assert "<script" not in page.html and "document.cookie" not in page.html
    assert "javascript:" not in page.html and "onerror" not in page.html
    assert "document.cookie" not in page.text


def test_only_web_mail_and_phone_links_keep_their_address():
    html = render_markdown(
        "[a](https://a.example) [b](http://b.example) [c](mailto:c@example.org) "
        "[d](ftp://d.example) [e](tel:0123) [f](/about) [g](javascript:alert(1)) "
        "[h](sms:85258)"
    ).html
    assert [a.get("href") for a in tags(html, "a")] == [
        "https://a.example",
        "http://b.example",
        "mailto:c@example.org",
        None,
        "tel:0123",
        "/about",
        None,
        "sms:85258",
    ]
    assert "ftp:" not in html and "javascript:" not in html


def test_govuk_classes_replace_authors_classes():
    html = render_markdown('## Section\n\nText [link](/about)\n\n- item\n\n1. first\n\n<p class="evil">raw</p>').html
    assert tags(html, "h2") == [{"id": "section", "class": "govuk-heading-l"}]
    assert tags(html, "p") == [{"class": "govuk-body"}] * 2
    assert tags(html, "a") == [{"href": "/about", "class": "govuk-link"}]
    assert tags(html, "ul") == [{"class": "govuk-list govuk-list--bullet"}]
    assert tags(html, "ol") == [{"class": "govuk-list govuk-list--number"}]
    assert "evil" not in html


def test_tables_get_govuk_markup_column_headers_and_a_layout_for_phones():
    html = render_markdown("| Year | Crimes |\n|:--|--:|\n| 2016 | 2884 |").html
    assert html.startswith(
        '<div class="app-table-wrapper" tabindex="0" role="region" aria-label="Table">'
        '<table class="govuk-table app-table--stack">'
    )
    assert html.endswith("</table></div>")
    assert tags(html, "th") == [{"scope": "col", "class": "govuk-table__header"}] * 2
    # Each cell names its column, so a phone can show the row as "Year: 2016, Crimes: 2884".
    assert tags(html, "td") == [
        {"class": "govuk-table__cell", "data-label": "Year"},
        {"class": "govuk-table__cell", "data-label": "Crimes"},
    ]
    assert "style=" not in html  # the CSP forbids inline styles: alignment is dropped
    assert html.endswith("</table></div>")


def test_headings_keep_ids_and_long_pages_get_contents(tmp_path):
    sections = "\n\n".join(f"## Part {n}\n\nText." for n in range(1, 7))
    folder = write_site(
        tmp_path / "content",
        {
            "pages/long.md": f"---\ntitle: Long\nsummary: S\ntype: page\n---\n{sections}\n",
            "pages/short.md": "---\ntitle: Short\nsummary: S\ntype: page\n---\n## One\n\n### Sub\n\nText.\n",
            "pages/asked.md": "---\ntitle: Asked\nsummary: S\ntype: page\ntoc: true\n---\n## One\n\nText.\n",
        },
    )
    content = load_content(folder)
    assert [entry.id for entry in content.page_at("/long").toc] == [f"part-{n}" for n in range(1, 7)]
    assert 'id="part-6"' in content.page_at("/long").html
    assert content.page_at("/short").toc == ()
    assert {"one", "sub"} <= content.page_at("/short").anchors
    assert [entry.text for entry in content.page_at("/asked").toc] == ["One"]
    assert content.page_at("/plan/2020-23").toc, "plans always have contents"


def test_contents_entries_are_plain_text():
    toc = render_markdown("## Fish & <em>chips</em>").toc
    assert toc[0].text == "Fish & chips"


def test_figures_marker_splits_the_body_where_the_table_goes():
    rendered = render_markdown("Intro.\n\n<!-- figures -->\n\n## After\n\nMore.")
    assert len(rendered.parts) == 2
    assert "Intro." in rendered.parts[0] and "After" in rendered.parts[1]
    assert "figures" not in rendered.html


def test_plain_text_for_search_keeps_words_apart():
    assert render_markdown("| a | b |\n|---|---|\n| one | two |").text == "a b one two"


def test_each_scrolling_table_box_is_named_after_its_heading():
    table = "| a |\n|---|\n| 1 |"
    html = render_markdown(f"## Fees & charges\n\n{table}\n\n{table}\n\n### Other\n\n{table}").html
    labels = [attrs["aria-label"] for attrs in tags(html, "div")]
    assert labels == ["Table: Fees & charges", "Table: Fees & charges (2)", "Table: Other"]
