"""Crime figures from `content/data/*.csv`: reading, checking, year-on-year change, chart layout.

A data file has a `measure` column, then one column per period in order. The header declares
what each period is, and the table, chart, text and change columns all use that wording:

    measure,year ending March 2015,year ending March 2016,year ending March 2017
    Total crime,2800,2884,3685
    Shoplifting,,281,386

A column headed with a bare year (`2015`) is a calendar year.

A figure that was not published is left empty; it shows as "not published" and its changes
as "not available", never as zero.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app.content.problems import Problem

RECORDED_CRIME = "recorded-crime.csv"  # the file the crime figures page shows
_YEAR = re.compile(r"^\d{4}$")
_MONTHS = {name.casefold(): number for number, name in enumerate(calendar.month_name) if name}
_YEAR_ENDING = re.compile(r"^(?:year|12 months) ending (?:31 )?([a-z]+) (\d{4})$", re.I)


@dataclass(frozen=True)
class Period:
    """One column of a data file: a calendar year, or the twelve months ending in a month."""

    year: int  # the year the period ends in
    end_month: int = 12

    @property
    def label(self) -> str:
        """ "year ending March 2017", or "2017" for a calendar year."""
        if self.end_month == 12:
            return str(self.year)
        return f"year ending {calendar.month_name[self.end_month]} {self.year}"

    @property
    def heading(self) -> str:
        """The label starting with a capital, for a column heading: "Year ending March 2017"."""
        return self.label[:1].upper() + self.label[1:]

    @property
    def short(self) -> str:
        """For a chart's bar label: "Mar 2017", or "2017"."""
        return str(self.year) if self.end_month == 12 else f"{calendar.month_abbr[self.end_month]} {self.year}"

    @property
    def ends(self) -> date:
        return date(self.year, self.end_month, calendar.monthrange(self.year, self.end_month)[1])

    @property
    def starts(self) -> date:
        month = self.end_month % 12 + 1
        return date(self.year - (1 if self.end_month != 12 else 0), month, 1)


def parse_period(cell: str) -> Period | None:
    if _YEAR.match(cell):
        return Period(int(cell))
    match = _YEAR_ENDING.match(" ".join(cell.split()))
    if match and match.group(1).casefold() in _MONTHS:
        return Period(int(match.group(2)), _MONTHS[match.group(1).casefold()])
    return None


def age_in_years(period: Period, today: date) -> int:
    """Whole years between the end of a period and today, for "these figures are 9 years old"."""
    end = period.ends
    return today.year - end.year - ((today.month, today.day) < (end.month, end.day))


@dataclass(frozen=True)
class Change:
    number: int
    percent: float | None  # None when the earlier figure was 0

    @property
    def text(self) -> str:
        number = f"{self.number:+,d}" if self.number else "0"
        if self.percent is None:
            return number
        percent = f"{self.percent:+.1f}%" if round(self.percent, 1) else "0.0%"
        return f"{number} ({percent})"

    @property
    def direction(self) -> str:
        return "up" if self.number > 0 else "down" if self.number < 0 else "same"


def change_between(before: int | None, after: int | None) -> Change | None:
    if before is None or after is None:
        return None
    difference = after - before
    percent = difference / before * 100 if before else None
    return Change(difference, percent)


@dataclass(frozen=True)
class Measure:
    name: str
    values: tuple[int | None, ...]  # one per year of the table, None when not published

    def changes(self) -> tuple[Change | None, ...]:
        """The change into each year from the one before (one fewer than the years)."""
        return tuple(change_between(a, b) for a, b in zip(self.values, self.values[1:], strict=False))


@dataclass(frozen=True)
class FiguresTable:
    source: str  # e.g. "data/recorded-crime.csv"
    periods: tuple[Period, ...]
    measures: tuple[Measure, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(period.year for period in self.periods)

    @property
    def year_pairs(self) -> tuple[tuple[int, int], ...]:
        return tuple(zip(self.years, self.years[1:], strict=False))

    @property
    def period_pairs(self) -> tuple[tuple[Period, Period], ...]:
        return tuple(zip(self.periods, self.periods[1:], strict=False))

    @property
    def span(self) -> str:
        """ "year ending March 2015 to year ending March 2017" """
        return f"{self.periods[0].label} to {self.periods[-1].label}"

    @property
    def latest(self) -> Period:
        return self.periods[-1]

    def measure(self, name: str) -> Measure | None:
        return next((m for m in self.measures if m.name.lower() == name.lower()), None)


def read_figures(path: Path, relative: str) -> tuple[FiguresTable | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [Problem(relative, None, f"The file is not UTF-8 text ({error.reason}): save it as UTF-8 CSV.")]
    return parse_figures(text, relative)


def parse_figures(text: str, relative: str) -> tuple[FiguresTable | None, list[Problem]]:
    rows = [
        (number, row)
        for number, row in enumerate(csv.reader(io.StringIO(text)), start=1)
        if any(cell.strip() for cell in row)
    ]
    if not rows:
        return None, [
            Problem(
                relative,
                None,
                "The file is empty: it needs a header row (measure, then the years) and one row per measure.",
            )
        ]
    header_line, header = rows[0]
    header = [cell.strip() for cell in header]
    expected = (
        "The columns must be `measure` then one column per year in order, e.g. `measure,2015,2016,2017` "
        "for calendar years or `measure,year ending March 2015,year ending March 2016` for other years"
    )
    if header[0].lower() != "measure":
        return None, [Problem(relative, header_line, f"{expected}; the first column is `{header[0]}`.")]
    year_cells = header[1:]
    parsed = [parse_period(cell) for cell in year_cells]
    bad = [cell for cell, period in zip(year_cells, parsed, strict=False) if period is None]
    if not year_cells or bad:
        found = ", ".join(f"`{cell}`" for cell in bad) or "no year columns"
        return None, [Problem(relative, header_line, f"{expected}; found {found}.")]
    periods = tuple(period for period in parsed if period is not None)
    if len({period.end_month for period in periods}) > 1:
        return None, [Problem(relative, header_line, f"{expected}: every column must end in the same month.")]
    years = tuple(period.year for period in periods)
    if list(years) != sorted(set(years)):
        return None, [Problem(relative, header_line, f"{expected}: each year once, earliest first.")]

    problems: list[Problem] = []
    measures: list[Measure] = []
    seen: set[str] = set()
    for line, row in rows[1:]:
        cells = [cell.strip() for cell in row]
        if len(cells) != len(header):
            problems.append(
                Problem(
                    relative,
                    line,
                    f"This row has {len(cells)} cells but the header has {len(header)}: "
                    "leave a cell empty (two commas together) for a figure that was not published.",
                )
            )
            continue
        name = cells[0]
        if not name:
            problems.append(Problem(relative, line, "The measure name (first cell) is empty."))
            continue
        if name.lower() in seen:
            problems.append(Problem(relative, line, f"The measure `{name}` appears twice."))
            continue
        seen.add(name.lower())
        values: list[int | None] = []
        bad_cells = False
        for period, cell in zip(periods, cells[1:], strict=False):
            if cell == "":
                values.append(None)
                continue
            digits = cell.replace(",", "")
            if not digits.isdigit():
                problems.append(
                    Problem(
                        relative,
                        line,
                        f"The {period.label} figure for `{name}` is `{cell}`, "
                        "which is not a whole number: write digits only, or leave the "
                        "cell empty if it was not published.",
                    )
                )
                values.append(None)
                bad_cells = True
                continue
            values.append(int(digits))
        if all(value is None for value in values) and not bad_cells:
            problems.append(Problem(relative, line, f"`{name}` has no figures: remove the row or add them."))
        measures.append(Measure(name, tuple(values)))
    if not measures and not problems:
        problems.append(Problem(relative, None, "The file has a header but no measures."))
    if problems:
        return None, problems
    return FiguresTable(relative, periods, tuple(measures)), []


# --- Chart layout ---------------------------------------------------------------------------
# A horizontal bar chart, one group of bars per measure. Each measure is drawn to its own
# scale (its largest figure is a full-length bar) because the point is the change over the
# years, and total crime is ten to fifty times the size of the other measures.


@dataclass(frozen=True)
class Bar:
    year: int
    label: str  # the period, short enough for the space beside the bar
    value: int | None
    label_y: float
    y: float
    width: float  # 0 when the figure was not published
    value_x: float


@dataclass(frozen=True)
class BarGroup:
    name: str
    title_lines: tuple[tuple[str, float], ...]  # SVG text does not wrap: (line, y) pairs
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class ChartLayout:
    width: int
    height: int
    bar_x: int
    bar_height: int
    groups: tuple[BarGroup, ...]


def chart_layout(table: FiguresTable, width: int = 360) -> ChartLayout:
    bar_height, bar_gap, title_height, group_gap = 20, 6, 28, 22
    # Room for the longest period label ("Mar 2017") at about 8px a character.
    bar_x = max(44, 8 * max(len(period.short) for period in table.periods) + 8)
    value_room = 56  # room after the longest bar for its figure
    longest = width - bar_x - value_room
    groups = []
    y = 0.0
    # About 0.6em a character for bold text at 15px: wrap names before they run off the edge.
    characters = int(width / 9)
    for measure in table.measures:
        lines = []
        for line in textwrap.wrap(measure.name, characters) or [""]:
            lines.append((line, y + 20))
            y += 20
        y += title_height - 20
        biggest = max((v for v in measure.values if v is not None), default=0) or 1
        bars = []
        for period, value in zip(table.periods, measure.values, strict=False):
            bar_width = round(longest * value / biggest, 1) if value else 0
            bars.append(
                Bar(
                    year=period.year,
                    label=period.short,
                    value=value,
                    label_y=y + bar_height - 5,
                    y=y,
                    width=bar_width,
                    value_x=bar_x + bar_width + 8,
                )
            )
            y += bar_height + bar_gap
        groups.append(BarGroup(measure.name, tuple(lines), tuple(bars)))
        y += group_gap
    return ChartLayout(width=width, height=int(y), bar_x=bar_x, bar_height=bar_height, groups=tuple(groups))
