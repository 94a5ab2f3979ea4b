"""Every template filter and shared template global, registered in one place by the app factory.

Dates are written the GOV.UK way ("1 April 2020"), numbers with thousands separators, and
percentages as "12.5%" or "–" where there is no base to work one out from.
"""

from __future__ import annotations

from datetime import date

from flask import Flask
from markupsafe import Markup

from app.content.figures import age_in_years, chart_layout
from app.content.markdown.enhance import link_phone_numbers, stack_tables


def govuk_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def number(value: int | None) -> str:
    return f"{value:,d}" if value is not None else ""


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:g}%"


def stacked_tables(value: Markup | str) -> Markup:
    """`{% filter stacked_tables %}` around a template's tables: on a phone each row becomes a list."""
    return Markup(stack_tables(str(value)))


def phone_links(value: Markup | str) -> Markup:
    """`{% filter phone_links %}` around template text: phone numbers become `tel:` links."""
    return Markup(link_phone_numbers(str(value)))


def counted(value: int | None, noun: str, plural: str | None = None) -> str:
    """ "1 respondent", "2,345 respondents": the count with the noun that agrees with it."""
    n = value or 0
    return f"{n:,d} {noun if n == 1 else plural or noun + 's'}"


def init_app(app: Flask) -> None:
    app.add_template_filter(stacked_tables)
    app.add_template_filter(phone_links)
    app.add_template_filter(govuk_date)
    app.add_template_filter(govuk_date, "survey_date")
    app.add_template_filter(number)
    app.add_template_filter(counted)
    app.add_template_filter(percent, "pc")
    app.add_template_global(chart_layout)
    app.add_template_global(age_in_years, "figures_age")
