"""Figures say which period they cover; plans say what their dates mean today."""

from datetime import date

from app.content.figures import Period, age_in_years, chart_layout, parse_figures, parse_period
from app.content.reading.loader import load_content
from tests.fixtures.site import write_site

CSV = (
    "measure,year ending March 2015,year ending March 2016,year ending March 2017\n"
    "Total crime,2800,2884,3685\nShoplifting,,281,386\n"
)


def test_a_data_file_declares_years_ending_in_march():
    table, problems = parse_figures(CSV, "data/recorded-crime.csv")
    assert problems == []
    assert [p.label for p in table.periods] == [
        "year ending March 2015",
        "year ending March 2016",
        "year ending March 2017",
    ]
    assert table.span == "year ending March 2015 to year ending March 2017"
    assert table.years == (2015, 2016, 2017)
    assert table.latest.starts == date(2016, 4, 1) and table.latest.ends == date(2017, 3, 31)


def test_the_chart_labels_each_bar_with_its_period():
    table, _ = parse_figures(CSV, "x.csv")
    bars = chart_layout(table).groups[0].bars
    assert [bar.label for bar in bars] == ["Mar 2015", "Mar 2016", "Mar 2017"]


def test_bare_years_are_calendar_years():
    assert parse_period("2019") == Period(2019) and Period(2019).label == "2019"
    assert Period(2019).starts == date(2019, 1, 1)


def test_mixed_or_unknown_periods_are_problems():
    _, problems = parse_figures("measure,year ending March 2015,2016\nTotal crime,1,2\n", "x.csv")
    assert "every column must end in the same month" in problems[0].message
    _, problems = parse_figures("measure,year ending Marchember 2015\nTotal crime,1\n", "x.csv")
    assert "found `year ending Marchember 2015`" in problems[0].message


def test_a_bad_figure_names_its_period():
    _, problems = parse_figures("measure,year ending March 2015\nTotal crime,lots\n", "x.csv")
    assert "The year ending March 2015 figure for `Total crime`" in problems[0].message


def test_age_of_figures_counts_whole_years_from_the_end_of_the_period():
    latest = Period(2017, 3)
    assert age_in_years(latest, date(2026, 12, 1)) == 9
    assert age_in_years(latest, date(2018, 3, 30)) == 0 and age_in_years(latest, date(2018, 3, 31)) == 1


def plan_site(tmp_path, status="current", dates="starts: 2020-04-01\nends: 2023-03-31\n"):
    return load_content(
        write_site(
            tmp_path / "content",
            {
                "plans/2020-23.md": "---\ntitle: Plan\nsummary: S\ntype: plan\nperiod: 2020–23\n"
                f"status: {status}\n{dates}"
                "now: We are consulting on the next plan.\n---\n## Body\n",
            },
        )
    )


def test_plan_wording_comes_from_its_dates(tmp_path):
    plan = plan_site(tmp_path).current_plan
    assert plan.covers() == "April 2020 to March 2023"
    assert plan.period_sentence(date(2021, 6, 1)) == "Our plan covers April 2020 to March 2023."
    assert plan.period_sentence(date(2026, 12, 1)) == "Our latest plan covered April 2020 to March 2023."
    assert plan.now == "We are consulting on the next plan."


def test_a_plan_that_ends_before_it_starts_is_a_problem(tmp_path):
    content = plan_site(tmp_path, dates="starts: 2023-04-01\nends: 2020-03-31\n")
    assert any("`ends` (2020-03-31) before it `starts`" in p.message for p in content.problems)
