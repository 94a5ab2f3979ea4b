"""Data retention: personal data deleted after the retention period, anonymous answers kept."""

from datetime import date, datetime, timedelta

from sqlalchemy import select

from app import clock
from app.extensions import db
from app.staff.staff_models import AuditEvent
from app.surveys.survey_models import Answer, Draft, Response
from tests.fixtures.staff import csrf_of, insert_response, ranked_rows, sign_in

PARISH = "parish-councils-2026-27"
RESIDENTS = "residents-2026-27"
ROUND = "2026/27"


def add_responses(submitted_at):
    parish = insert_response(
        PARISH,
        ROUND,
        ranked_rows("priorities", ["road-safety", "other", "drugs-alcohol"])
        + [
            ("priorities", "other", "Hare coursing"),
            ("issues", "issues:road-safety", "Speeding on Main Street"),
            ("issues", "issues:drugs-alcohol", "Flagged text naming someone", True),
            ("contact-name", "", "Pat Clerk", True),
            ("contact-email", "", "clerk@example.org", True),
        ],
        respondent_type="parish",
        respondent_name="Foxton",
        submitted_at=submitted_at,
        stored={
            "priorities": ["road-safety", "other", "drugs-alcohol"],
            "priorities:other": "Hare coursing",
            "issues": {"road-safety": "Speeding on Main Street", "drugs-alcohol": "Flagged text naming someone"},
            "contact-name": "Pat Clerk",
            "contact-email": "clerk@example.org",
        },
    )
    resident = insert_response(
        RESIDENTS,
        ROUND,
        [("safe-day", "", "very-safe"), ("feel-safer", "", "More patrols near my house at 4 Elm Road", True)],
        submitted_at=submitted_at,
        stored={"safe-day": "very-safe", "feel-safer": "More patrols near my house at 4 Elm Road"},
    )
    return parish.id, resident.id


def remaining(app, response_id):
    with app.app_context():
        response = db.session.get(Response, response_id)
        rows = db.session.execute(
            select(Answer.question_id, Answer.part, Answer.value).where(Answer.response_id == response_id)
        ).all()
        return response.answers, sorted(tuple(r) for r in rows), response.personal_data_purged_at


def test_purge_command_deletes_personal_data_and_keeps_anonymous_answers(app):
    now = clock.now()
    with app.app_context():
        old_parish, old_resident = add_responses(now - timedelta(days=400))
        new_parish, _ = add_responses(now - timedelta(days=30))
        db.session.add(
            Draft(key="k1", survey_slug=RESIDENTS, answers={"feel-safer": "x"}, expires_at=now - timedelta(days=1))
        )
        db.session.add(Draft(key="k2", survey_slug=RESIDENTS, answers={}, expires_at=now + timedelta(days=1)))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["responses", "purge", "--older-than", "12m"])
    assert result.exit_code == 0, result.output
    assert "Removed personal data from 2 responses (4 answers) and 1 expired drafts." in result.output

    stored, rows, purged_at = remaining(app, old_parish)
    assert purged_at is not None
    assert stored == {
        "priorities": ["road-safety", "other", "drugs-alcohol"],
        "priorities:other": "Hare coursing",
        "issues": {"road-safety": "Speeding on Main Street"},
    }
    assert rows == [
        ("issues", "issues:road-safety", "Speeding on Main Street"),
        ("priorities", "1", "road-safety"),
        ("priorities", "2", "other"),
        ("priorities", "3", "drugs-alcohol"),
        ("priorities", "other", "Hare coursing"),
    ]
    stored, rows, _ = remaining(app, old_resident)
    assert stored == {"safe-day": "very-safe"} and rows == [("safe-day", "", "very-safe")]
    # Newer responses keep everything.
    stored, rows, purged_at = remaining(app, new_parish)
    assert purged_at is None and stored["contact-email"] == "clerk@example.org" and len(rows) == 8
    with app.app_context():
        assert [d.key for d in db.session.scalars(select(Draft))] == ["k2"]
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "personal data purged"))
        assert event.actor == "command line"
        assert event.detail == "responses older than 365 days: 2 responses, 4 answers, 1 expired drafts"


def test_purge_dry_run_changes_nothing(app):
    with app.app_context():
        parish_id, _ = add_responses(clock.now() - timedelta(days=400))
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["responses", "purge", "--older-than", "365d", "--dry-run"])
    assert "Would remove personal data from 2 responses (4 answers)" in result.output
    assert remaining(app, parish_id)[2] is None


def test_purge_rejects_an_unclear_age(app):
    result = app.test_cli_runner().invoke(args=["responses", "purge", "--older-than", "a while"])
    assert result.exit_code != 0 and "12m or 365d" in result.output


def test_retention_page_purges_a_survey_only_when_its_period_has_passed(app, admin, admin_client, monkeypatch):
    with app.app_context():
        parish_id, resident_id = add_responses(datetime(2026, 11, 1))
        db.session.commit()
    page = admin_client.get("/staff/retention")
    html = page.get_data(as_text=True)
    # Closes 31 January 2027, kept 12 months: personal data may go from 1 February 2028.
    assert "1 February 2028" in html and "Not due yet" in html
    early = admin_client.post(f"/staff/retention/{PARISH}", data={"csrf_token": csrf_of(html)})
    assert early.status_code == 400
    assert remaining(app, parish_id)[2] is None
    monkeypatch.setattr(clock, "now", lambda: datetime(2028, 2, 1, 9, 0))
    monkeypatch.setitem(app.config, "SURVEY_TODAY", date(2028, 2, 1))  # the local date moves with the clock
    admin_client = app.test_client()  # the old session has long expired by then
    sign_in(app, admin_client, admin)
    page = admin_client.get("/staff/retention")
    done = admin_client.post(f"/staff/retention/{PARISH}", data={"csrf_token": csrf_of(page.get_data(as_text=True))})
    assert done.status_code == 302
    assert "Personal data deleted from 1 responses" in admin_client.get("/staff/retention").get_data(as_text=True)
    assert remaining(app, parish_id)[2] is not None
    assert remaining(app, resident_id)[2] is None  # the other survey is untouched
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "personal data purged"))
        assert event.detail.startswith(f"survey {PARISH}, round {ROUND}: 1 responses, 3 answers")
