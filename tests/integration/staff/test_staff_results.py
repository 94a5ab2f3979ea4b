"""Results arithmetic on hand-checked data, and the results pages that show it.

The expected numbers below were worked out by hand from the responses in each test, not by
the code under test.
"""

from datetime import datetime

import pytest

from app.extensions import db
from app.staff.reporting import distributions, rankings, response_counts
from app.staff.reporting.scoping import Filters, Scope
from app.staff.reporting.tally import tally
from app.surveys.questions.definitions import Option
from tests.fixtures.staff import insert_response, ranked_rows

PARISH = "parish-councils-2026-27"
RESIDENTS = "residents-2026-27"
ROUND = "2026/27"
PRIORITY_OPTIONS = [
    Option(i, label)
    for i, label in [
        ("road-safety", "Road safety"),
        ("acquisitive-crime", "Acquisitive crime"),
        ("anti-social-behaviour", "Anti-social behaviour"),
        ("violent-crime", "Violent crime"),
        ("domestic-abuse", "Domestic abuse"),
        ("vulnerable-people", "Vulnerable people"),
        ("fraud-cybercrime", "Fraud and cybercrime"),
        ("drugs-alcohol", "Drugs and alcohol"),
        ("criminal-damage", "Criminal damage"),
        ("other", "Something else"),
    ]
]

# Eight councils' top threes. Worked by hand (points 3/2/1):
#   road-safety        1st R1 R2, 2nd R3, 3rd R4      -> 9 points, first 2, top 4
#   acquisitive-crime  1st R3, 2nd R1 R4, 3rd R2      -> 8, first 1, top 4
#   anti-social-beh.   1st R4, 2nd R2, 3rd R1         -> 6, first 1, top 3  } equal: both 3=
#   drugs-alcohol      1st R5, 2nd R6, 3rd R3         -> 6, first 1, top 3  }
#   criminal-damage    1st R6, 2nd R5                 -> 5, first 1, top 2  } same points,
#   violent-crime      2nd R7 R8, 3rd R6              -> 5, first 0, top 3  } more firsts wins
#   fraud-cybercrime   1st R7, 3rd R5                 -> 4, first 1, top 2
#   vulnerable-people  1st R8                         -> 3, first 1, top 1
#   domestic-abuse     3rd R7 R8                      -> 2, first 0, top 2
#   other              -                              -> 0 (no rank)
# Checks: points total 8 x 6 = 48; firsts total 8; top-three places total 24.
COUNCILS = [
    ("Foxton", ["road-safety", "acquisitive-crime", "anti-social-behaviour"]),
    ("Fleckney", ["road-safety", "anti-social-behaviour", "acquisitive-crime"]),
    ("Billesdon", ["acquisitive-crime", "road-safety", "drugs-alcohol"]),
    ("Hallaton", ["anti-social-behaviour", "acquisitive-crime", "road-safety"]),
    ("Lubenham", ["drugs-alcohol", "criminal-damage", "fraud-cybercrime"]),
    ("Medbourne", ["criminal-damage", "drugs-alcohol", "violent-crime"]),
    ("Scraptoft", ["fraud-cybercrime", "violent-crime", "domestic-abuse"]),
    ("Cllr Example", ["vulnerable-people", "violent-crime", "domestic-abuse"]),
]

EXPECTED = [
    # rank label, option, first, top, points, by position, % in top three
    ("1", "road-safety", 2, 4, 9, (2, 1, 1), 50.0),
    ("2", "acquisitive-crime", 1, 4, 8, (1, 2, 1), 50.0),
    ("3=", "anti-social-behaviour", 1, 3, 6, (1, 1, 1), 37.5),
    ("3=", "drugs-alcohol", 1, 3, 6, (1, 1, 1), 37.5),
    ("5", "criminal-damage", 1, 2, 5, (1, 1, 0), 25.0),
    ("6", "violent-crime", 0, 3, 5, (0, 2, 1), 37.5),
    ("7", "fraud-cybercrime", 1, 2, 4, (1, 0, 1), 25.0),
    ("8", "vulnerable-people", 1, 1, 3, (1, 0, 0), 12.5),
    ("9", "domestic-abuse", 0, 2, 2, (0, 0, 2), 25.0),
    ("–", "other", 0, 0, 0, (0, 0, 0), 0.0),
]


@pytest.fixture
def parish_data(app):
    with app.app_context():
        for name, choices in COUNCILS:
            rtype = "councillor" if name.startswith("Cllr") else "parish"
            insert_response(
                PARISH,
                ROUND,
                ranked_rows("priorities", choices)
                + [
                    ("issues", f"issues:{choices[0]}", f"{name} issue about {choices[0]}"),
                ],
                respondent_type=rtype,
                respondent_name=name,
                area=name if rtype == "parish" else None,
                channel="paper" if name == "Medbourne" else "online",
            )
        # Not counted: an amended (superseded) answer and an answer from another round.
        insert_response(
            PARISH,
            ROUND,
            ranked_rows("priorities", ["other", "domestic-abuse", "fraud-cybercrime"]),
            respondent_type="parish",
            respondent_name="Foxton",
            is_current=False,
        )
        insert_response(
            PARISH,
            "2025/26",
            ranked_rows("priorities", ["other", "domestic-abuse", "fraud-cybercrime"]),
            respondent_type="parish",
            respondent_name="Foxton",
        )
        db.session.commit()


def test_ranking_arithmetic_with_ties(app, parish_data):
    with app.app_context():
        ranking = rankings.ranked(db.session, Scope(PARISH, ROUND), "priorities", PRIORITY_OPTIONS, 3)
    assert ranking.respondents == 8
    got = [
        (o.rank_label, o.option_id, o.first, o.top, o.points, o.by_position, o.top_percent or 0.0)
        for o in ranking.options
    ]
    assert got == EXPECTED
    assert [o.first_percent for o in ranking.options][:2] == [25.0, 12.5]


def test_ranking_filtered_by_respondent_type_channel_and_area(app, parish_data):
    with app.app_context():
        councillor = rankings.ranked(
            db.session, Scope(PARISH, ROUND, Filters(respondent_type="councillor")), "priorities", PRIORITY_OPTIONS, 3
        )
        paper = rankings.ranked(
            db.session, Scope(PARISH, ROUND, Filters(channel="paper")), "priorities", PRIORITY_OPTIONS, 3
        )
        area = rankings.ranked(
            db.session, Scope(PARISH, ROUND, Filters(area="Hallaton")), "priorities", PRIORITY_OPTIONS, 3
        )
    # Cllr Example: vulnerable-people, violent-crime, domestic-abuse -> 3, 2, 1 points.
    assert councillor.respondents == 1
    assert [(o.option_id, o.points) for o in councillor.options[:3]] == [
        ("vulnerable-people", 3),
        ("violent-crime", 2),
        ("domestic-abuse", 1),
    ]
    # Medbourne (paper): criminal-damage first.
    assert paper.respondents == 1 and paper.options[0].option_id == "criminal-damage"
    assert area.options[0].option_id == "anti-social-behaviour" and area.options[0].top_percent == 100.0


def test_issues_are_listed_beneath_each_priority(app, parish_data):
    with app.app_context():
        issues = rankings.issues_by_option(db.session, Scope(PARISH, ROUND), "issues")
    assert issues["road-safety"].total == 2
    assert sorted(t.text for t in issues["road-safety"].texts) == [
        "Fleckney issue about road-safety",
        "Foxton issue about road-safety",
    ]
    assert "other" not in issues  # the superseded answer's issues are not counted


def test_identical_issues_are_counted_together_and_limited(app):
    with app.app_context():
        for _ in range(4):
            insert_response(PARISH, ROUND, [("issues", "issues:road-safety", "Speeding")], respondent_type="parish")
        for n in range(3):
            insert_response(PARISH, ROUND, [("issues", "issues:road-safety", f"Parking {n}")], respondent_type="parish")
        db.session.commit()
        issues = rankings.issues_by_option(db.session, Scope(PARISH, ROUND), "issues", limit=2)
    assert issues["road-safety"].total == 7
    assert [(t.text, t.count) for t in issues["road-safety"].texts] == [("Speeding", 4), ("Parking 0", 1)]


def test_counts_by_type_sentence(app, parish_data):
    with app.app_context():
        count = response_counts.survey_count(db.session, Scope(PARISH, ROUND))
    assert count.sentence == "8 responses: 7 parish councils, 1 district councillor"
    assert count.paper == 1


SAFETY = [Option(i, i) for i in ("very-safe", "fairly-safe", "a-bit-unsafe", "very-unsafe", "dont-know")]
SCALE = [Option(i, i) for i in ("not-a-problem", "a-bit", "big", "dont-know")]
ITEMS = [Option("litter", "Litter"), Option("speeding", "Speeding")]


@pytest.fixture
def resident_data(app):
    # Day: very-safe x2, fairly-safe x2, a-bit-unsafe x1.  Dark: fairly-safe x1, very-unsafe x3, (one skipped).
    # Litter: not-a-problem 1, a-bit 2, big 1.  Speeding: big 3, dont-know 1.
    rows = [
        [
            ("safe-day", "", "very-safe"),
            ("safe-after-dark", "", "fairly-safe"),
            ("problems", "litter", "a-bit"),
            ("problems", "speeding", "big"),
        ],
        [
            ("safe-day", "", "very-safe"),
            ("safe-after-dark", "", "very-unsafe"),
            ("problems", "litter", "a-bit"),
            ("problems", "speeding", "big"),
        ],
        [
            ("safe-day", "", "fairly-safe"),
            ("safe-after-dark", "", "very-unsafe"),
            ("problems", "litter", "big"),
            ("problems", "speeding", "big"),
        ],
        [
            ("safe-day", "", "fairly-safe"),
            ("safe-after-dark", "", "very-unsafe"),
            ("problems", "litter", "not-a-problem"),
            ("problems", "speeding", "dont-know"),
        ],
        [("safe-day", "", "a-bit-unsafe")],
    ]
    with app.app_context():
        for i, answers in enumerate(rows):
            insert_response(RESIDENTS, ROUND, answers, submitted_at=datetime(2026, 10, 5 + 7 * (i % 2), 9))
        db.session.commit()


def test_feeling_safe_by_day_and_after_dark(app, resident_data):
    with app.app_context():
        day = distributions.distribution(db.session, Scope(RESIDENTS, ROUND), "safe-day", SAFETY)
        dark = distributions.distribution(db.session, Scope(RESIDENTS, ROUND), "safe-after-dark", SAFETY)
    assert day.answered == 5
    assert [(s.option_id, s.count, s.percent) for s in day.shares] == [
        ("very-safe", 2, 40.0),
        ("fairly-safe", 2, 40.0),
        ("a-bit-unsafe", 1, 20.0),
        ("very-unsafe", 0, 0.0),
        ("dont-know", 0, 0.0),
    ]
    assert dark.answered == 4
    assert [(s.count, s.percent) for s in dark.shares] == [(0, 0.0), (1, 25.0), (0, 0.0), (3, 75.0), (0, 0.0)]


def test_rated_issue_distributions(app, resident_data):
    with app.app_context():
        rated = distributions.rating(db.session, Scope(RESIDENTS, ROUND), "problems", ITEMS, SCALE)
    litter, speeding = rated
    assert (litter.label, litter.answered) == ("Litter", 4)
    assert [(s.count, s.percent) for s in litter.shares] == [(1, 25.0), (2, 50.0), (1, 25.0), (0, 0.0)]
    assert [(s.count, s.percent) for s in speeding.shares] == [(0, 0.0), (0, 0.0), (3, 75.0), (1, 25.0)]


def test_responses_by_week_include_empty_weeks(app, resident_data):
    with app.app_context():
        insert_response(RESIDENTS, ROUND, [], submitted_at=datetime(2026, 10, 28, 9))
        db.session.commit()
        weeks = response_counts.responses_by_week(db.session, [Scope(RESIDENTS, ROUND)])
    # 5 Oct 2026 is a Monday: 3 that week, 2 the week of 12 Oct, none the week of 19 Oct, 1 the week of 26 Oct.
    assert [(w.week_starting.isoformat(), w.count) for w in weeks] == [
        ("2026-10-05", 3),
        ("2026-10-12", 2),
        ("2026-10-19", 0),
        ("2026-10-26", 1),
    ]


def test_results_page_shows_ranking_issues_and_svg_chart_with_table(analyst_client, parish_data):
    response = analyst_client.get(f"/staff/results/{PARISH}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "8 responses: 7 parish councils, 1 district councillor" in html
    assert "<svg" in html and "<table" in html and "style=" not in html
    assert "3=" in html
    assert "Foxton issue about road-safety" in html
    filtered = analyst_client.get(f"/staff/results/{PARISH}?type=councillor").get_data(as_text=True)
    assert "1 response: 1 district councillor" in filtered


def test_results_page_for_residents_has_feeling_safe_and_ratings(analyst_client, resident_data):
    html = analyst_client.get(f"/staff/results/{RESIDENTS}").get_data(as_text=True)
    assert "How safe do you feel in your local area during the day?" in html
    assert "Very safe" in html and "40%" in html
    assert "Rubbish or litter lying around" in html and "75%" in html


def test_respondent_text_is_escaped_on_staff_pages(app, analyst_client):
    payload = '<script>alert(1)</script>" onmouseover="x'
    with app.app_context():
        insert_response(
            PARISH,
            ROUND,
            ranked_rows("priorities", ["road-safety", "acquisitive-crime", "other"])
            + [("issues", "issues:road-safety", payload), ("priorities", "other", payload)],
            respondent_type="parish",
            respondent_name=payload,
            area=payload,
        )
        db.session.commit()
    for url in (f"/staff/results/{PARISH}", f"/staff/results/{PARISH}/free-text", "/staff/rounds/2026-27"):
        html = analyst_client.get(url).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html, url
    html = analyst_client.get(f"/staff/results/{PARISH}/free-text").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_unknown_survey_is_404(analyst_client):
    assert analyst_client.get("/staff/results/no-such-survey").status_code == 404
    assert analyst_client.get("/staff/results/parish-councils-2017").status_code == 404  # historic: no responses


def test_counts_are_exact_whatever_way_the_database_counts_them(app):
    """Out-of-scope responses sit between those in scope (another survey, a superseded
    answer), so SQLite takes both its dense and its sparse route; PostgreSQL joins."""
    rows = [  # (survey, current, area, safe-day, wrote a comment)
        (RESIDENTS, True, "Foxton", "very-safe", True),
        ("residents-2025-26", True, None, "very-safe", True),
        (RESIDENTS, True, None, "fairly-safe", False),
        (RESIDENTS, False, None, "very-safe", True),
        (RESIDENTS, True, None, "very-safe", False),
        (RESIDENTS, True, None, "very-unsafe", True),
        (RESIDENTS, True, "Foxton", "very-safe", False),
    ]
    with app.app_context():
        for slug, current, area, safe, wrote in rows:
            answers = [("safe-day", "", safe), ("top-concerns", "other", "Loose dogs")]
            if wrote:
                answers.append(("feel-safer", "", "A comment"))
            insert_response(slug, ROUND, answers, is_current=current, area=area)
        db.session.commit()
        everyone = tally(db.session, Scope(RESIDENTS, ROUND), ["safe-day", "top-concerns"], ["feel-safer"])
        foxton = tally(db.session, Scope(RESIDENTS, ROUND, Filters(area="Foxton")), ["safe-day"], ["feel-safer"])
        nobody = tally(db.session, Scope(RESIDENTS, ROUND, Filters(area="Nowhere")), ["safe-day"], ["feel-safer"])
    # In scope: rows 1, 3, 5, 6, 7.
    assert everyone.values("safe-day") == {"very-safe": 3, "fairly-safe": 1, "very-unsafe": 1}
    assert everyone.written("feel-safer") == 2
    assert everyone.values("top-concerns", "other") == {}  # written "other" text is not a choice
    # Foxton: rows 1 and 7.
    assert foxton.values("safe-day") == {"very-safe": 2}
    assert foxton.written("feel-safer") == 1
    assert nobody.values("safe-day") == {} and nobody.written("feel-safer") == 0
