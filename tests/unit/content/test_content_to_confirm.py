"""Details still to confirm and overdue reviews are counted and listed, never shown to the public."""

from datetime import date

from app.content.notices import REVIEW_DUE, TO_CONFIRM, content_notices
from app.content.reading.loader import load_content
from tests.fixtures.site import write_files, write_site

PAGE = """---
title: Contact us
summary: How to reach us.
type: page
review_by: 2026-11-30
to_confirm:
  - the team's phone number
  - opening hours
---
## Phone

Our phone number is not confirmed yet: email us and we will call you back.
<!-- to confirm: the out-of-hours number -->
"""


def test_front_matter_and_inline_markers_are_listed_with_their_lines(tmp_path):
    content = load_content(write_site(tmp_path / "content", {"pages/contact.md": PAGE}))
    notices = [n for n in content_notices(content, date(2026, 1, 1)) if n.path == "pages/contact.md"]
    assert [(n.line, n.message) for n in notices] == [
        (6, "opening hours"),
        (6, "the team's phone number"),
        (13, "the out-of-hours number"),
    ]
    assert {n.kind for n in notices} == {TO_CONFIRM}
    assert str(notices[-1]) == "pages/contact.md:13: To confirm: the out-of-hours number"


def test_the_public_page_never_shows_a_marker(tmp_path):
    page = load_content(write_site(tmp_path / "content", {"pages/contact.md": PAGE})).page_at("/contact")
    assert "confirm" not in page.html.replace("not confirmed yet", "")
    assert "out-of-hours" not in page.html and "out-of-hours" not in page.text


def test_a_review_date_that_has_passed_is_a_warning(tmp_path):
    content = load_content(write_site(tmp_path / "content", {"pages/contact.md": PAGE}))
    due = [n for n in content_notices(content, date(2026, 12, 1)) if n.kind == REVIEW_DUE]
    assert [(n.path, n.line) for n in due] == [("pages/contact.md", None)]
    assert "30 November 2026 has passed" in due[0].message
    assert not [n for n in content_notices(content, date(2026, 11, 29)) if n.kind == REVIEW_DUE]


def test_yaml_settings_files_can_carry_markers(tmp_path):
    folder = write_site(tmp_path / "content")
    write_files(folder, {"parishes.yaml": "# the list\nto_confirm:\n  - the full list of parishes\nparishes: []\n"})
    notices = [n for n in content_notices(load_content(folder), date(2026, 1, 1)) if n.path == "parishes.yaml"]
    assert [(n.line, n.message) for n in notices] == [(3, "the full list of parishes")]


def test_a_to_confirm_that_is_not_a_list_of_text_is_a_problem(tmp_path):
    content = load_content(
        write_site(
            tmp_path / "content",
            {"pages/about.md": "---\ntitle: About\nsummary: S\ntype: page\nto_confirm: {a: 1}\n---\nText.\n"},
        )
    )
    assert any(p.path == "pages/about.md" and "`to_confirm` must be a list" in p.message for p in content.problems)
