"""`flask samples load/remove`: made-up responses for a developer's database, always marked as such."""

import csv
import io

from sqlalchemy import func, select

from app.extensions import db
from app.surveys.questions import definitions
from app.surveys.questions.samples import SAMPLE_CHANNEL
from app.surveys.survey_models import Response
from tests.fixtures.staff import insert_response
from tests.fixtures.surveys import PARISH_SLUG, RESIDENT_SLUG


def samples(app, *args):
    return app.test_cli_runner().invoke(args=["samples", *args])


def counts(app) -> dict[tuple[str, str], int]:
    with app.app_context():
        rows = db.session.execute(
            select(Response.survey_slug, Response.channel, func.count()).group_by(
                Response.survey_slug, Response.channel
            )
        )
        return {(slug, channel): n for slug, channel, n in rows}


def test_load_adds_marked_responses_that_pass_the_surveys_own_checks(app):
    result = samples(app, "load", "--residents", "15", "--councils", "4")
    assert result.exit_code == 0, result.output
    assert counts(app) == {(RESIDENT_SLUG, SAMPLE_CHANNEL): 15, (PARISH_SLUG, SAMPLE_CHANNEL): 4}
    with app.app_context():
        survey = definitions.get_survey(app.config["CONTENT_DIR"], RESIDENT_SLUG)
        stored = db.session.scalars(select(Response).where(Response.survey_slug == RESIDENT_SLUG)).all()
        required = {q.id for q in survey.questions if q.required and not q.issues_for}
        assert all(required <= set(r.answers) for r in stored)
        councils = db.session.scalars(select(Response.respondent_name).where(Response.survey_slug == PARISH_SLUG)).all()
        assert len(set(councils)) == 4  # one response per council, as councils answer once


def test_staff_are_warned_and_export_names_say_sample_data(app, analyst_client):
    assert samples(app, "load", "--residents", "3", "--councils", "0").exit_code == 0
    page = analyst_client.get("/staff/").get_data(as_text=True)
    assert "3 made-up sample responses" in page and "flask samples remove" in page
    download = analyst_client.get(f"/staff/exports/{RESIDENT_SLUG}/download?format=csv&anonymised=no")
    assert download.status_code == 200
    assert 'filename="SAMPLE-DATA-' in download.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 3 and {row["Channel"] for row in rows} == {"sample"}


def test_remove_deletes_only_sample_responses(app, analyst_client):
    with app.app_context():
        insert_response(RESIDENT_SLUG, "2026/27", [("safe-day", "", "very-safe")])
        db.session.commit()
    assert samples(app, "load", "--residents", "5", "--councils", "2").exit_code == 0
    result = samples(app, "remove")
    assert result.exit_code == 0 and "Removed 7 sample responses" in result.output
    assert counts(app) == {(RESIDENT_SLUG, "online"): 1}
    assert "made-up sample" not in analyst_client.get("/staff/").get_data(as_text=True)
    download = analyst_client.get(f"/staff/exports/{RESIDENT_SLUG}/download?format=csv&anonymised=no")
    # Closed at once: a streamed export left open keeps its request context (and, on SQLite,
    # its transaction) until garbage collection, which can break whichever test runs next.
    download.close()
    assert "SAMPLE-DATA" not in download.headers["Content-Disposition"]


def test_samples_are_refused_in_production(app, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTION", True)
    for command in ("load", "remove"):
        result = samples(app, command)
        assert result.exit_code != 0 and "development databases only" in result.output
    assert counts(app) == {}
