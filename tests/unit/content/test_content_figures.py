"""Crime figures: reading the data file, year-on-year change, and the chart's bar lengths."""

import pytest

from app.content.figures import Change, change_between, chart_layout, parse_figures

CSV = "measure,2015,2016,2017\nTotal crime,2800,2884,3685\nTheft of a motor vehicle,67,80,64\nShoplifting,,281,386\n"


@pytest.fixture
def table():
    table, problems = parse_figures(CSV, "data/recorded-crime.csv")
    assert problems == []
    return table


def test_data_file_becomes_years_and_measures(table):
    assert table.years == (2015, 2016, 2017)
    assert table.year_pairs == ((2015, 2016), (2016, 2017))
    assert [m.name for m in table.measures] == ["Total crime", "Theft of a motor vehicle", "Shoplifting"]
    assert table.measure("shoplifting").values == (None, 281, 386)


def test_year_on_year_change_in_number_and_percent(table):
    up, big_up = table.measure("Total crime").changes()
    assert (up.number, round(up.percent, 1), up.text) == (84, 3.0, "+84 (+3.0%)")
    assert big_up.text == "+801 (+27.8%)"
    rise, fall = table.measure("Theft of a motor vehicle").changes()
    assert rise.text == "+13 (+19.4%)" and rise.direction == "up"
    assert fall.text == "-16 (-20.0%)" and fall.direction == "down"


def test_a_missing_figure_has_no_change_rather_than_a_wrong_one(table):
    before, after = table.measure("Shoplifting").changes()
    assert before is None
    assert after.text == "+105 (+37.4%)"


def test_change_from_zero_and_no_change():
    assert change_between(0, 5) == Change(5, None)
    assert change_between(0, 5).text == "+5"
    assert change_between(7, 7).text == "0 (0.0%)"
    assert change_between(7, 7).direction == "same"
    assert change_between(None, 7) is None


def test_thousands_separators_are_read():
    table, problems = parse_figures('measure,2015\nTotal crime,"2,800"\n', "data/x.csv")
    assert problems == [] and table.measures[0].values == (2800,)


def test_chart_draws_each_measure_to_its_own_scale(table):
    layout = chart_layout(table, width=360)
    total, theft, shoplifting = layout.groups
    longest = max(bar.width for bar in total.bars)
    assert [bar.width for bar in theft.bars][1] == longest  # 80 is theft's largest
    assert theft.bars[0].width == pytest.approx(longest * 67 / 80, abs=0.1)
    assert shoplifting.bars[0].value is None and shoplifting.bars[0].width == 0
    # room after every bar for a figure such as "3,685" at 14px (about 40px)
    assert all(layout.width - bar.value_x >= 40 for group in layout.groups for bar in group.bars)


def test_chart_wraps_long_names_and_bars_do_not_overlap(table):
    table, _ = parse_figures(
        "measure,2016\nAnti-social behaviour reported to the police by residents,5\nOther,3\n", "x.csv"
    )
    layout = chart_layout(table, width=360)
    first, second = layout.groups
    assert len(first.title_lines) == 2
    assert first.bars[0].y > first.title_lines[-1][1]
    assert second.title_lines[0][1] > first.bars[-1].y + layout.bar_height
    assert layout.height > second.bars[-1].y
