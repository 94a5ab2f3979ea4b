"""Template filters for dates and figures, written the GOV.UK way ("1 April 2020")."""

from datetime import date

from app.content.figures import chart_layout


def govuk_date(value: date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def number(value: int | None) -> str:
    return f"{value:,d}" if value is not None else ""


def counted(value: int | None, noun: str, plural: str | None = None) -> str:
    """"1 respondent", "2,345 respondents": the count with the noun that agrees with it."""
    n = value or 0
    return f"{n:,d} {noun if n == 1 else plural or noun + 's'}"


def init_app(app) -> None:
    app.add_template_filter(govuk_date)
    app.add_template_filter(number)
    app.add_template_filter(counted)
    app.add_template_global(chart_layout)
