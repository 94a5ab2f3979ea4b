"""Geometry for server-rendered SVG bar charts. No Flask here.

The template macro in templates/staff/_charts.html draws these: no JavaScript, no style
attributes (the CSP forbids inline styles; SVG presentation attributes are not styles), and
every chart has a table with the same figures beside it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

WIDTH = 460
LABEL_HEIGHT = 20
BAR_HEIGHT = 18
GAP = 14
VALUE_SPACE = 90  # room to the right of the longest bar for its value


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown, e.g. "12 (40%)"
    label_y: int
    bar_y: int
    width: float


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    bar_height: int = BAR_HEIGHT


def bar_chart(
    chart_id: str, title: str, rows: Iterable[tuple[object, float, object]], maximum: float | None = None
) -> Chart:
    """`rows` are (label, value, text). Bars are scaled to the largest value (or `maximum`)."""
    listed = list(rows)
    top = maximum if maximum else max((r[1] for r in listed), default=0) or 1
    usable = WIDTH - VALUE_SPACE
    bars, y = [], 0
    for label, value, text in listed:
        width = usable * (value / top) if value else 0
        bars.append(Bar(str(label), value, str(text), y + LABEL_HEIGHT - 6, y + LABEL_HEIGHT, round(width, 1)))
        y += LABEL_HEIGHT + BAR_HEIGHT + GAP
    return Chart(chart_id, title, tuple(bars), WIDTH, max(y, 1))
