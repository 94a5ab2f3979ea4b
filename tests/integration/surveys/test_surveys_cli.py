"""`flask invites issue …`: one CSV row per new link, working links, clear errors."""

import csv
import io

from sqlalchemy import select

from app.extensions import db
from app.surveys.parishes import load_parishes
from app.surveys.survey_models import Invitation
from tests.fixtures.surveys import PARISH_SLUG, RESIDENT_SLUG


def invoke(app, *args):
    return app.test_cli_runner().invoke(args=["invites", "issue", *args])


def rows(result):
    return list(csv.DictReader(io.StringIO(result.output)))


def test_issue_for_named_parishes_prints_csv_with_working_links(app, respondent, monkeypatch):
    monkeypatch.setitem(app.config, "SITE_URL", "https://safer.example.org")
    result = invoke(app, PARISH_SLUG, "--parish", "Foxton", "--parish", "lutterworth town council")
    assert result.exit_code == 0, result.output
    printed = rows(result)
    assert [(r["respondent"], r["type"]) for r in printed] == [("Foxton", "parish"), ("Lutterworth", "parish")]
    assert all(r["link"].startswith("https://safer.example.org/invite/") for r in printed)
    token = printed[1]["link"].rsplit("/", 1)[1]
    respondent.get(f"/invite/{token}")
    assert "You are answering for <strong>Lutterworth</strong>" in respondent.page_html(f"/consultations/{PARISH_SLUG}")
    with app.app_context():
        assert db.session.query(Invitation).count() == 2


def test_issue_for_all_parishes(app, survey_today):
    result = invoke(app, PARISH_SLUG, "--all-parishes")
    assert result.exit_code == 0, result.output
    expected = [p.name for p in load_parishes(app.config["CONTENT_DIR"])]
    assert [r["respondent"] for r in rows(result)] == expected
    assert len({r["link"] for r in rows(result)}) == len(expected)


def test_issue_for_a_councillor_and_ward(app, survey_today):
    result = invoke(app, PARISH_SLUG, "--councillor", "Sam Jones", "--ward", "Broughton Astley South")
    assert result.exit_code == 0, result.output
    assert [(r["respondent"], r["type"]) for r in rows(result)] == [("Sam Jones", "councillor")]
    with app.app_context():
        invitation = db.session.scalar(select(Invitation))
        assert (invitation.ward, invitation.round) == ("Broughton Astley South", "2026/27")


def test_an_unknown_parish_is_a_clear_error_and_makes_no_links(app, survey_today):
    result = invoke(app, PARISH_SLUG, "--parish", "Foxton", "--parish", "Atlantis")
    assert result.exit_code != 0
    assert "Not in content/parishes.yaml (or retired): Atlantis" in result.output
    with app.app_context():
        assert db.session.query(Invitation).count() == 0


def test_other_mistakes_are_clear_errors(app, survey_today):
    assert "There is no survey 'nope'" in invoke(app, "nope", "--all-parishes").output
    assert "residents answer without invitations" in invoke(app, RESIDENT_SLUG, "--all-parishes").output
    assert "has closed" in invoke(app, "parish-councils-2017", "--all-parishes").output
    result = invoke(app, PARISH_SLUG, "--councillor", "Sam Jones")
    assert result.exit_code != 0 and "Give both --councillor NAME and --ward WARD" in result.output
    result = invoke(app, PARISH_SLUG)
    assert result.exit_code != 0 and "Say who to invite" in result.output
