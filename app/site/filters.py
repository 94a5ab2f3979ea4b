"""Template filters for dates and figures, written the GOV.UK way ("1 April 2020")."""

from datetime import date

from flask import Flask
from markupsafe import Markup

from app.content.enhance import link_phone_numbers, stack_tables
from app.content.figures import age_in_years, chart_layout


def govuk_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def number(value: int | None) -> str:
    return f"{value:,d}" if value is not None else ""


def stacked_tables(value: Markup | str) -> Markup:
    """`{% filter stacked_tables %}` around template tables: each row becomes a list on a phone."""
    return Markup(stack_tables(str(value)))


def phone_links(value: Markup | str) -> Markup:
    """`{% filter phone_links %}` around template text: phone numbers become `tel:` links."""
    return Markup(link_phone_numbers(str(value)))


def init_app(app: Flask) -> None:
    app.add_template_filter(stacked_tables)
    app.add_template_filter(phone_links)
    app.add_template_filter(govuk_date)
    app.add_template_filter(number)
    app.add_template_global(chart_layout)
    app.add_template_global(age_in_years, "figures_age")
