"""Survey definition files: reading, checking and hashing (no app, no database)."""

import shutil
import textwrap
from datetime import date
from pathlib import Path

import pytest

from app.surveys import scheduling
from app.surveys.parishes import check_parishes, find_parish, load_parishes
from app.surveys.questions import definitions
from app.surveys.questions.definitions import check, get_survey, load_surveys, read_survey_file, survey_from_stored

CONTENT = Path(__file__).resolve().parents[3] / "content"
TODAY = date(2026, 11, 21)

GOOD = """\
---
slug: test-survey
title: Test survey
summary: A survey for tests.
audience: resident
round: 2026/27
opens: 2026-10-01
closes: 2027-01-31
pages:
  - id: first
    title: First page
    questions:
      - id: colour
        type: single
        label: Which colour?
        options:
          - {id: red, label: Red}
          - {id: blue, label: Blue}
---
Introduction.
"""


@pytest.fixture
def content(tmp_path):
    (tmp_path / "surveys").mkdir()
    shutil.copy(CONTENT / "parishes.yaml", tmp_path / "parishes.yaml")
    return tmp_path


def write(content, name, text):
    path = content / "surveys" / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def messages(content):
    return [p.message for p in check(content)]


def test_shipped_surveys_have_no_problems_and_the_expected_rounds():
    assert check(CONTENT) == []
    surveys = {s.slug: s for s in load_surveys(CONTENT)}
    assert scheduling.status_on(surveys["residents-2026-27"], TODAY, surveys["residents-2026-27"].closes) == "open"
    assert (
        scheduling.status_on(surveys["parish-councils-2026-27"], TODAY, surveys["parish-councils-2026-27"].closes)
        == "open"
    )
    assert surveys["parish-councils-2026-27"].allow_without_invitation is False
    historic = [s for s in surveys.values() if not s.accepts_responses]
    assert {s.round for s in historic} == {"2017", "2019/20"}
    assert all(scheduling.status_on(s, TODAY, s.closes) == "closed" and s.historic_results for s in historic)


def test_shipped_option_ids_match_the_contract_so_years_compare():
    parish = get_survey(CONTENT, "parish-councils-2026-27").question("priorities")
    assert [o.id for o in parish.options] == [
        "road-safety",
        "acquisitive-crime",
        "anti-social-behaviour",
        "violent-crime",
        "domestic-abuse",
        "vulnerable-people",
        "fraud-cybercrime",
        "drugs-alcohol",
        "criminal-damage",
        "other",
    ]
    resident = get_survey(CONTENT, "residents-2026-27")
    ids = {
        "litter",
        "drunk-rowdy",
        "drugs",
        "criminal-damage",
        "speeding",
        "burglary",
        "vehicle-crime",
        "anti-social-behaviour",
        "violent-crime",
        "fraud-scams",
    }
    assert ids <= {o.id for o in resident.question("top-concerns").options}
    assert ids <= {i.id for i in resident.question("problems").items}


def test_2017_parish_results_are_the_published_figures():
    results = get_survey(CONTENT, "parish-councils-2017").historic_results
    assert results["respondents"] == {"total": 13, "by_type": {"parish": 12, "councillor": 1}}
    ranked = {row["option"]: row for row in results["ranked"]}
    assert ranked["road-safety"]["first"] == 7 and ranked["road-safety"]["top3"] == 13
    assert ranked["acquisitive-crime"]["first"] == 4
    assert ranked["anti-social-behaviour"]["top3"] == 8
    assert sum(row.get("first", 0) for row in results["ranked"]) == 13
    residents = get_survey(CONTENT, "residents-2017").historic_results
    assert residents["feeling_safe"] == {
        "day_percent": 100,
        "after_dark_percent": 94,
        "wording": "Felt safe (a yes or no question in the county council's survey)",
    }


def test_a_good_file_reads_into_typed_objects(content):
    write(content, "test.md", GOOD)
    survey = get_survey(content, "test-survey")
    assert survey.opens == date(2026, 10, 1) and survey.closes == date(2027, 1, 31)
    assert survey.question("colour").options[1].label == "Blue"
    assert survey.intro == "Introduction."
    assert [
        scheduling.status_on(survey, d, survey.closes)
        for d in (date(2026, 9, 30), date(2026, 10, 1), date(2027, 1, 31), date(2027, 2, 1))
    ] == ["upcoming", "open", "open", "closed"]
    assert check(content) == []


@pytest.mark.parametrize(
    "change, expected",
    [
        (("type: single", "type: slider"), "Unknown question type 'slider'"),
        (
            (
                "      - id: colour\n        type: single\n        label: Which colour?\n        options:\n"
                "          - {id: red, label: Red}\n          - {id: blue, label: Blue}\n",
                "      - id: colour\n        type: single\n        label: Which colour?\n",
            ),
            "has no options",
        ),
        (("closes: 2027-01-31", "closes: 2026-09-01"), "closes (2026-09-01) before it opens"),
        (("opens: 2026-10-01", "opens: 2026-13-45"), "'opens' is not a real date"),
        (("opens: 2026-10-01\n", ""), "'opens' is missing"),
        (("title: Test survey\n", ""), "'title' is missing"),
        (("audience: resident", "audience: everyone"), "Unknown audience 'everyone'"),
        (("        type: single\n", "        type: single\n        colour: red\n"), "Unknown setting 'colour'"),
        (("{id: blue, label: Blue}", "{id: blue, label: Blue, or navy}"), "put the label in quotes"),
        (
            (
                "type: single\n        label: Which colour?\n        options:\n          - {id: red, label: Red}",
                "type: ranked\n        count: 2\n        label: Which colour?\n        options:\n"
                "          - {id: red, label: Red with a tint of crimson and scarlet}",
            ),
            "The choice 'Red with a tint of crimson and scarlet' is 38 characters long",
        ),
    ],
)
def test_each_problem_is_reported_in_words_staff_can_act_on(content, change, expected):
    old, new = change
    assert old in GOOD
    write(content, "test.md", GOOD.replace(old, new))
    found = messages(content)
    assert any(expected in m for m in found), found


def test_duplicate_question_ids_are_reported_with_their_line(content):
    text = GOOD.replace(
        "---\nIntroduction.",
        """\
      - id: colour
        type: yesno
        label: Again?
---
Introduction.""",
    )
    path = write(content, "test.md", text)
    problems = check(content)
    assert [p.message for p in problems] == ["Duplicate question id 'colour'."]
    line = path.read_text().splitlines()[problems[0].line - 1]
    assert line.strip() == "- id: colour" and problems[0].line > 12
    assert str(problems[0]).startswith("surveys/test.md:")


def test_issues_for_must_name_an_earlier_ranked_question(content):
    text = GOOD.replace(
        "---\nIntroduction.",
        """\
  - id: second
    title: Second page
    questions:
      - id: why
        type: longtext
        label: Why?
        issues_for: nowhere
---
Introduction.""",
    )
    write(content, "test.md", text)
    assert any("'issues_for: nowhere' must name a ranked" in m for m in messages(content))


def test_duplicate_slugs_are_reported_and_only_one_survey_loads(content):
    write(content, "a.md", GOOD)
    write(content, "b.md", GOOD)
    assert any("Slug 'test-survey' is already used by surveys/a.md" in m for m in messages(content))
    assert [s.slug for s in load_surveys(content)] == ["test-survey"]


def test_broken_yaml_and_missing_front_matter_are_problems_not_crashes(content):
    write(content, "bad.md", "---\nslug: [unclosed\n---\nBody")
    write(content, "none.md", "Just text, no front matter.")
    found = messages(content)
    assert any("not valid YAML" in m for m in found)
    assert any("must start with front matter" in m for m in found)
    assert load_surveys(content) == []


def test_a_historic_round_may_leave_out_dates_but_needs_results(content):
    write(
        content,
        "old.md",
        """\
    ---
    slug: old
    title: Old survey
    summary: Long ago.
    audience: parish
    round: "2017"
    accepts_responses: false
    ---
    Body.
    """,
    )
    assert messages(content) == ["A survey that does not accept responses should have 'historic_results'."]
    survey = get_survey(content, "old")
    assert scheduling.status_on(survey, TODAY, survey.closes) == "closed" and survey.opens is None


def test_definition_hash_is_stable_and_changes_with_any_wording(content):
    path = write(content, "test.md", GOOD)
    first, _ = read_survey_file(path, content)
    again, _ = read_survey_file(path, content)
    assert first.definition_hash == again.definition_hash and len(first.definition_hash) == 64
    path.write_text(GOOD.replace("Which colour?", "Which colour do you like?"))
    changed, _ = read_survey_file(path, content)
    assert changed.definition_hash != first.definition_hash
    path.write_text(GOOD.replace("Introduction.", "A new introduction."))
    assert read_survey_file(path, content)[0].definition_hash != first.definition_hash


def test_a_stored_copy_rebuilds_the_same_definition():
    survey = get_survey(CONTENT, "parish-councils-2026-27")
    rebuilt = survey_from_stored(survey.data)
    assert rebuilt.definition_hash == survey.definition_hash
    assert [q.id for q in rebuilt.questions] == [q.id for q in survey.questions]
    assert survey_from_stored({"nonsense": True}) is None


def test_load_surveys_sees_an_edited_file_without_a_restart(content):
    path = write(content, "test.md", GOOD)
    assert get_survey(content, "test-survey").title == "Test survey"
    path.write_text(GOOD.replace("title: Test survey", "title: Renamed survey with a longer title"))
    assert get_survey(content, "test-survey").title == "Renamed survey with a longer title"


def test_definitions_module_does_not_import_flask():
    source = Path(definitions.__file__).read_text()
    assert "import flask" not in source and "from flask" not in source


def test_parish_list_kinds_and_lookup(content):
    parishes = load_parishes(CONTENT)
    lutterworth = find_parish(CONTENT, "lutterworth town council")
    assert lutterworth.kind == "town-council" and lutterworth.display_name == "Lutterworth Town Council"
    assert find_parish(CONTENT, "Market Harborough").kind == "parish-council"
    assert find_parish(CONTENT, "Atlantis") is None
    assert check_parishes(CONTENT) == [] and len(parishes) >= 15

    (content / "parishes.yaml").write_text(
        "parishes:\n  - {name: Foxton, kind: parish-council, status: retired}\n"
        "  - {name: Oldtown, kind: hamlet, status: active}\n  - {name: Lubenham, kind: parish-council}\n"
        "  - {name: lubenham, kind: parish-council}\n"
    )
    assert [p.name for p in load_parishes(content)] == ["Lubenham"]
    assert [p.name for p in load_parishes(content, include_retired=True)] == ["Foxton", "Lubenham"]
    assert find_parish(content, "Foxton") is None  # retired: no new invitations
    problems = [p.message for p in check_parishes(content)]
    assert any("Oldtown: kind must be" in m for m in problems)
    assert any("lubenham is listed twice" in m for m in problems)
