"""The staff menu marks the section the page belongs to (for sighted users and screen readers)."""

import re

import pytest


def current_items(html: str) -> list[str]:
    """The menu items marked as the current page or section."""
    items = re.findall(r'<li class="govuk-service-navigation__item[^"]*--active"[^>]*>(.*?)</li>', html, re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


@pytest.mark.parametrize(
    ("url", "section"),
    [
        ("/staff/", "Rounds and results"),
        ("/staff/retention", "Data retention"),
        ("/staff/responses", "Find a response"),
        ("/staff/users", "Staff"),
        ("/staff/audit", "Audit log"),
        ("/staff/account/password", "Change password"),
        ("/staff/results/residents-2026-27", "Rounds and results"),
    ],
)
def test_the_menu_marks_the_current_section(admin_client, url, section):
    html = admin_client.get(url).get_data(as_text=True)
    assert current_items(html) == [section]
