"""The allowlist every rendered Markdown body passes through before it can reach a page.

Content is written by staff, but a copied snippet can still carry a script, an event handler
or a `javascript:` link, and the site's CSP is the second line of defence, not the first.
nh3 (ammonia) keeps only the tags and attributes below and only http, https and mailto
links; it also adds the GOV.UK Frontend classes, so authors' own `class` attributes never
survive and the typography matches the rest of the site.
"""

import html as html_lib
import re

import nh3

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "code",
    "dd",
    "del",
    "details",
    "dl",
    "dt",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
}

ATTRIBUTES = {
    "*": {"lang", "title"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "h1": {"id"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "ol": {"start"},
}

URL_SCHEMES = {"http", "https", "mailto", "tel", "sms"}

# Added to every element of that kind after sanitising (replacing any class the author set).
GOVUK_CLASSES = {
    "h1": "govuk-heading-xl",
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "h5": "govuk-heading-s",
    "h6": "govuk-heading-s",
    "p": "govuk-body",
    "a": "govuk-link",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "dl": "govuk-body",
    "blockquote": "govuk-inset-text",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
    "table": "govuk-table",
    "caption": "govuk-table__caption govuk-table__caption--m",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "details": "govuk-details",
    "summary": "govuk-details__summary",
    "pre": "app-pre",
    "img": "app-content-image",
}

_SET_ATTRIBUTES = {tag: {"class": classes} for tag, classes in GOVUK_CLASSES.items()}
# Markdown tables only put <th> in the header row, so every one of them heads a column.
_SET_ATTRIBUTES["th"] = {"class": GOVUK_CLASSES["th"], "scope": "col"}


def sanitise(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        set_tag_attribute_values=_SET_ATTRIBUTES,
    )


# A wide table scrolls inside its own box on a narrow screen instead of widening the page;
# the box is focusable so keyboard users can scroll it too, and as a named region it needs a
# name of its own: the heading the table sits under. After sanitising, "<table" and "<h2" can
# only start real elements (text has its "<" escaped), so this runs on safe HTML.
_TABLE_OR_HEADING = re.compile(r"<table\b|<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)


def wrap_tables(html: str) -> str:
    labels_used: dict[str, int] = {}
    heading = ""

    def wrap(match: re.Match[str]) -> str:
        nonlocal heading
        if match.group(1):
            heading = plain_text(match.group(2))
            return match.group(0)
        label = f"Table: {heading}" if heading else "Table"
        labels_used[label] = labels_used.get(label, 0) + 1
        if labels_used[label] > 1:
            label = f"{label} ({labels_used[label]})"
        return f'<div class="app-table-wrapper" tabindex="0" role="region" aria-label="{html_lib.escape(label)}"><table'

    return _TABLE_OR_HEADING.sub(wrap, html).replace("</table>", "</table></div>")


def plain_text(html: str) -> str:
    """The words of sanitised HTML, for search and summaries."""
    spaced = html.replace("<", " <")  # so that "</td><td>" does not glue two words together
    text = html_lib.unescape(nh3.clean(spaced, tags=set()))
    return " ".join(text.split())
