"""The staff menu, keyed by endpoint: each page is marked as part of one section."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    text: str
    endpoint: str
    admin_only: bool = False


MENU = (
    NavItem("Rounds and results", "staff.dashboard"),
    NavItem("Find a response", "staff.find_response"),
    NavItem("Content to review", "staff.content_to_review"),
    NavItem("Staff", "staff.users", admin_only=True),
    NavItem("Data retention", "staff.retention_page", admin_only=True),
    NavItem("Audit log", "staff.audit_log", admin_only=True),
    NavItem("Change password", "staff.change_password"),
)
# Pages that are not menu items themselves but belong to a section other than the rounds.
SECTIONS = {
    "staff.show_response": "staff.find_response",
    "staff.delete_response": "staff.find_response",
    "staff.purge_survey": "staff.retention_page",
}
DEFAULT_SECTION = "staff.dashboard"


def menu_for(is_admin: bool) -> list[NavItem]:
    return [item for item in MENU if is_admin or not item.admin_only]


def section_of(endpoint: str | None) -> str:
    """The menu item a page belongs to: itself, its section, or the rounds and results."""
    if endpoint is None:
        return DEFAULT_SECTION
    if any(item.endpoint == endpoint for item in MENU):
        return endpoint
    return SECTIONS.get(endpoint, DEFAULT_SECTION)
